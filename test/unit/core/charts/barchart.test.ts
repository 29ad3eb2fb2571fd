import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_TEXT_CATEGORIES } from '../../../../src/core/charts/bars.ts';
import { chartSpec } from '../../../../src/core/charts/chart-spec.ts';
import type { RenderHint, ResultTable } from '../../../../src/core/result-table.ts';
import { rankTable, regionResultTable, splitSeriesTable } from './kind-tables.ts';

// biome-ignore lint/suspicious/noExplicitAny: reading a JSON spec
type Json = any;
const build = (table: ResultTable, hint: Partial<RenderHint> = {}, opts = {}): Json =>
  chartSpec(table, { visualization: 'barchart', ...hint }, opts);
const categories = (spec: Json): string[] => {
  const seen = new Map<string, number>();
  for (const p of spec.data.values) seen.set(p.c, p.o);
  return [...seen.entries()].sort((a, b) => a[1] - b[1]).map(([c]) => c);
};

describe('barchart', () => {
  it('draws horizontal bars: categories on y, values on x', () => {
    const spec = build(rankTable([3, 1, 2]));
    assert.equal(spec.encoding.y.field, 'c');
    assert.equal(spec.encoding.x.field, 'value');
    assert.equal(spec.encoding.y.title, 'EventSource', 'xtitle names the category axis');
  });

  it('sorts categories by value, descending (ties keep row order), the largest on top', () => {
    const spec = build(rankTable([3, 9, 1, 9, 4]));
    assert.deepEqual(categories(spec), [
      'ec2.amazonaws.com',
      'sts.amazonaws.com',
      'kms.amazonaws.com',
      's3.amazonaws.com',
      'iam.amazonaws.com',
    ]);
    assert.deepEqual(spec.encoding.y.sort, { field: 'o', op: 'min', order: 'ascending' });
  });

  it('sorts by the total over all series', () => {
    const spec = build(regionResultTable(), { kind: 'stacked' });
    assert.deepEqual(categories(spec), ['us-east-1', 'eu-west-1', 'ap-southeast-1', 'ap-northeast-1']);
    assert.equal(spec.encoding.x.stack, 'zero');
    assert.equal(spec.mark.type, 'bar', 'several series: no value labels');
  });

  it('prints the value at the end of single-series bars', () => {
    const spec = build(rankTable([30, 20, 10]));
    assert.equal(spec.layer.length, 3);
    assert.equal(spec.layer[0].mark.type, 'bar');
    assert.equal(spec.layer[1].encoding.text.format, ',d');
  });

  it('keeps time categories in time order and honours titles, ymin/ymax on the value axis', () => {
    const spec = build(splitSeriesTable(3), { xtitle: 'Day', ytitle: 'Events', ymax: 100 });
    assert.deepEqual(categories(spec), ['Nov 22', 'Nov 23', 'Nov 24']);
    assert.equal(spec.encoding.y.title, 'Day (UTC)');
    assert.equal(spec.encoding.x.title, 'Events');
    assert.equal(spec.encoding.x.scale.domainMax, 100);
    assert.deepEqual(spec.encoding.yOffset, { field: 'series', type: 'nominal' }, 'series side by side by default');
  });

  it(`keeps the ${MAX_TEXT_CATEGORIES} largest of many categories`, () => {
    const counts = Array.from({ length: 40 }, (_, i) => i + 1);
    const spec = build(rankTable(counts));
    assert.equal(categories(spec).length, MAX_TEXT_CATEGORIES);
    assert.equal(spec.data.values[0].value, 40);
    assert.equal(Math.min(...spec.data.values.map((p: Json) => p.value)), 11);
    assert.equal(spec.title.subtitle, 'Top 30 of 40 shown');
  });
});
