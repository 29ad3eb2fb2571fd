import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChartError } from '../../../../src/core/charts/chart-error.ts';
import { chartSpec } from '../../../../src/core/charts/chart-spec.ts';
import type { RenderHint, ResultTable } from '../../../../src/core/result-table.ts';
import { splitSeriesTable } from './kind-tables.ts';
import { sparseSeriesTable } from './seed-table.ts';

// biome-ignore lint/suspicious/noExplicitAny: reading a JSON spec
type Json = any;
const build = (table: ResultTable, hint: Partial<RenderHint> = {}, opts = {}): Json =>
  chartSpec(table, { visualization: 'areachart', ...hint }, opts);

describe('areachart', () => {
  it("by default each area stands on its own (Kusto's documented default), translucent so none hides another", () => {
    const spec = build(splitSeriesTable());
    assert.equal(spec.mark.type, 'area');
    assert.equal(spec.encoding.y.stack, null);
    assert.ok(spec.mark.fillOpacity < 0.5);
    assert.deepEqual(build(splitSeriesTable(), { kind: 'unstacked' }).encoding.y, spec.encoding.y);
  });

  it('kind=stacked stacks the areas, and the value axis fits the stacked totals', () => {
    const spec = build(splitSeriesTable(), { kind: 'stacked' });
    assert.equal(spec.encoding.y.stack, 'zero');
    assert.equal(spec.encoding.y.axis.format, ',d');
    assert.equal(build(splitSeriesTable(), { visualization: 'stackedareachart' }).encoding.y.stack, 'zero', 'stackedareachart');
  });

  it('kind=stacked100 stretches every x to 100%', () => {
    const y = build(splitSeriesTable(), { kind: 'stacked100' }).encoding.y;
    assert.equal(y.stack, 'normalize');
    assert.deepEqual(y.scale.domain, [0, 1]);
    assert.equal(y.axis.format, '.0%');
  });

  it('zero-fills time bins and gives every area a point at every x, so stacks line up', () => {
    const spec = build(sparseSeriesTable(), { kind: 'stacked' });
    const by = (s: string) => spec.data.values.filter((p: Json) => p.series === s);
    assert.equal(by('AssumeRole').length, 6);
    assert.equal(by('ConsoleLogin').length, 6);
    assert.deepEqual(
      by('ConsoleLogin').map((p: Json) => p.value),
      [4, 0, 0, 0, 0, 2],
    );
    const numeric: ResultTable = {
      name: 'PrimaryResult',
      columns: [
        { name: 'x', type: 'long' },
        { name: 's', type: 'string' },
        { name: 'n', type: 'long' },
      ],
      rows: [
        [1, 'a', 1],
        [2, 'b', 2],
      ],
    };
    assert.equal(build(numeric).data.values.length, 4, 'a at 2 and b at 1 added as 0');
  });

  it('refuses a kind Kusto does not define', () => {
    assert.throws(
      () => build(splitSeriesTable(), { kind: 'sideways' }),
      (e: unknown) => e instanceof ChartError && e.code === 'chart_bad_property' && /stacked100/.test(e.message),
    );
  });
});
