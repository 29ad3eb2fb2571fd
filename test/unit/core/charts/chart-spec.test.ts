import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHART_BUILDERS, CHART_KINDS, ChartError, chartSpec, normalizeHint } from '../../../../src/core/charts/chart-spec.ts';
import { seedTable } from './seed-table.ts';

describe('chartSpec dispatcher', () => {
  it('builds a timechart', () => {
    const spec = chartSpec(seedTable(), { visualization: 'timechart' });
    assert.equal((spec as { mark: { type: string } }).mark.type, 'line');
  });

  it('refuses an unknown visualization with a clear, coded error', () => {
    assert.throws(
      () => chartSpec(seedTable(), { visualization: 'sparkles' }),
      (e: unknown) =>
        e instanceof ChartError && e.code === 'chart_unknown_kind' && /"sparkles"/.test(e.message) && /timechart/.test(e.message),
    );
  });

  it('refuses a Kusto visualization that is not drawn yet, naming the ones that are', () => {
    assert.throws(
      () => chartSpec(seedTable(), { visualization: 'treemap' }),
      (e: unknown) =>
        e instanceof ChartError && e.code === 'chart_unsupported_kind' && /treemap/.test(e.message) && /piechart/.test(e.message),
    );
  });

  it('draws every kind the catalog and render use', () => {
    for (const kind of ['timechart', 'linechart', 'areachart', 'stackedareachart', 'columnchart', 'barchart', 'piechart', 'table']) {
      assert.ok(kind in CHART_BUILDERS, kind);
    }
  });

  it('only registers builders for Kusto kinds', () => {
    for (const kind of Object.keys(CHART_BUILDERS)) assert.ok((CHART_KINDS as readonly string[]).includes(kind), kind);
  });

  it('is pure: the same input gives the same spec, and the table is not modified', () => {
    const table = seedTable();
    const before = structuredClone(table);
    assert.deepEqual(chartSpec(table, { visualization: 'timechart' }), chartSpec(table, { visualization: 'timechart' }));
    assert.deepEqual(table, before);
  });

  it("reads Kusto's wire forms of the hint: comma-separated column lists, numbers as text, nulls", () => {
    assert.deepEqual(
      normalizeHint({
        visualization: 'columnchart',
        ycolumns: 'a, b' as never,
        series: '' as never,
        ymin: '5' as never,
        ymax: 'x' as never,
        title: null as never,
      }),
      { visualization: 'columnchart', ycolumns: ['a', 'b'], ymin: 5 },
    );
    const spec = chartSpec(seedTable(), { visualization: 'timechart', ycolumns: 'Value' as never, ymax: '200' as never }) as {
      encoding: { y: { scale: { domainMax: number } } };
    };
    assert.equal(spec.encoding.y.scale.domainMax, 200);
  });
});
