import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_TEXT_CATEGORIES } from '../../../../src/core/charts/bars.ts';
import { ChartError } from '../../../../src/core/charts/chart-error.ts';
import { chartSpec } from '../../../../src/core/charts/chart-spec.ts';
import type { RenderHint, ResultTable } from '../../../../src/core/result-table.ts';
import { rankTable, regionResultTable, splitSeriesTable } from './kind-tables.ts';

// biome-ignore lint/suspicious/noExplicitAny: reading a JSON spec
type Json = any;
const build = (table: ResultTable, hint: Partial<RenderHint> = {}, opts = {}): Json =>
  chartSpec(table, { visualization: 'columnchart', ...hint }, opts);
const categories = (spec: Json): string[] => {
  const seen = new Map<string, number>();
  for (const p of spec.data.values) seen.set(p.c, p.o);
  return [...seen.entries()].sort((a, b) => a[1] - b[1]).map(([c]) => c);
};

describe('columnchart', () => {
  it('x = the first text column, y = the numeric columns (not the summary columns), in row order', () => {
    const spec = build(rankTable([5, 9, 7]));
    assert.equal(spec.mark.type, 'bar');
    assert.equal(spec.encoding.x.field, 'c');
    assert.equal(spec.encoding.x.title, 'EventSource');
    assert.deepEqual(spec.encoding.x.sort, { field: 'o', op: 'min', order: 'ascending' });
    assert.equal(spec.encoding.y.title, 'Count');
    assert.deepEqual(categories(spec), ['s3.amazonaws.com', 'ec2.amazonaws.com', 'iam.amazonaws.com']);
    assert.deepEqual(
      spec.data.values.map((p: Json) => p.value),
      [5, 9, 7],
    );
    assert.equal(spec.encoding.color.legend, null, 'one series, no legend');
  });

  it('splits series by the other text column; by default side by side (kind=default/unstacked)', () => {
    const spec = build(regionResultTable());
    assert.deepEqual(categories(spec), ['eu-west-1', 'us-east-1', 'ap-southeast-1', 'ap-northeast-1']);
    assert.equal(spec.encoding.y.stack, null);
    assert.deepEqual(spec.encoding.xOffset, { field: 'series', type: 'nominal' });
    assert.notEqual(spec.encoding.color.legend, null);
    const eu = spec.data.values.filter((p: Json) => p.c === 'eu-west-1');
    assert.deepEqual(eu.map((p: Json) => [p.series, p.value]).sort(), [
      ['Failure', 90],
      ['Success', 300],
    ]);
  });

  it('kind=stacked and kind=stacked100', () => {
    const stacked = build(regionResultTable(), { kind: 'stacked' });
    assert.equal(stacked.encoding.y.stack, 'zero');
    assert.equal(stacked.encoding.xOffset, undefined);
    const full = build(regionResultTable(), { kind: 'stacked100' });
    assert.equal(full.encoding.y.stack, 'normalize');
    assert.equal(full.encoding.y.axis.format, '.0%');
    assert.throws(
      () => build(regionResultTable(), { kind: 'pyramid' }),
      (e: unknown) => e instanceof ChartError && e.code === 'chart_bad_property',
    );
  });

  it('honours xcolumn, ycolumns, series, titles, legend, ymin/ymax', () => {
    const spec = build(regionResultTable(), {
      xcolumn: 'Result',
      series: ['AWSRegion'],
      ycolumns: ['Count'],
      title: '按区域的控制台登录',
      xtitle: 'Outcome',
      ytitle: 'Logins',
      legend: 'hidden',
      ymin: 0,
      ymax: 1000,
    });
    assert.deepEqual(categories(spec), ['Success', 'Failure']);
    assert.equal(spec.title, '按区域的控制台登录');
    assert.equal(spec.encoding.x.title, 'Outcome');
    assert.equal(spec.encoding.y.title, 'Logins');
    assert.equal(spec.encoding.color.legend, null);
    assert.equal(spec.encoding.y.scale.domainMax, 1000);
    assert.equal(spec.encoding.y.scale.domainMin, 0);
  });

  it('sums rows of the same category and series, and names an empty category', () => {
    const table = rankTable([1, 2]);
    table.rows.push(['s3.amazonaws.com', 10, 0, 0], ['', 4, 0, 0], [null, 1, 0, 0]);
    const spec = build(table);
    assert.deepEqual(
      spec.data.values.map((p: Json) => [p.c, p.value]),
      [
        ['s3.amazonaws.com', 11],
        ['ec2.amazonaws.com', 2],
        ['(empty)', 5],
      ],
    );
  });

  it('time categories: oldest first, named in the zone and language, the zone in the axis title', () => {
    const table = splitSeriesTable(3).rows.slice().reverse();
    const spec = build(
      { ...splitSeriesTable(3), rows: table },
      { xcolumn: 'Time', ycolumns: ['Value'], series: ['Legend'], kind: 'stacked' },
      { timeZone: 'Asia/Shanghai', language: 'zh' },
    );
    assert.deepEqual(categories(spec), ['11月22日', '11月23日', '11月24日']);
    assert.equal(spec.encoding.x.title, 'Time (Asia/Shanghai, UTC+8)');
    const en = build(splitSeriesTable(3), {}, { timeZone: 'UTC' });
    assert.deepEqual(categories(en), ['Nov 22', 'Nov 23', 'Nov 24']);
  });

  it(`draws at most ${MAX_TEXT_CATEGORIES} text categories, the largest, and says so`, () => {
    const counts = Array.from({ length: 45 }, (_, i) => (i * 37) % 101);
    const spec = build(rankTable(counts), { title: 'Top services' }, { language: 'en' });
    const kept = categories(spec);
    assert.equal(kept.length, MAX_TEXT_CATEGORIES);
    const smallestKept = Math.min(...spec.data.values.map((p: Json) => p.value));
    const dropped = counts.filter((c) => c < smallestKept).length;
    assert.equal(dropped, 45 - MAX_TEXT_CATEGORIES);
    assert.deepEqual(spec.title, { text: 'Top services', subtitle: 'Top 30 of 45 shown', subtitleFontSize: 12, subtitleColor: '#555' });
    assert.match(build(rankTable(counts), {}, { language: 'zh' }).title.subtitle, /45项中最大的30项/);
  });

  it('refuses a table with nothing to draw', () => {
    const onlyText: ResultTable = { name: 'PrimaryResult', columns: [{ name: 'a', type: 'string' }], rows: [['x']] };
    assert.throws(
      () => build(onlyText),
      (e: unknown) => e instanceof ChartError && e.code === 'chart_bad_columns' && /numeric/.test(e.message),
    );
    const onlyNumber: ResultTable = { name: 'PrimaryResult', columns: [{ name: 'n', type: 'long' }], rows: [[1]] };
    assert.throws(
      () => build(onlyNumber),
      (e: unknown) => e instanceof ChartError && e.code === 'chart_bad_columns',
    );
  });
});
