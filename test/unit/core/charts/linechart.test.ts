import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChartError } from '../../../../src/core/charts/chart-error.ts';
import { chartSpec } from '../../../../src/core/charts/chart-spec.ts';
import type { RenderHint, ResultTable } from '../../../../src/core/result-table.ts';
import { splitSeriesTable } from './kind-tables.ts';
import { DAY, NOW, seedTable } from './seed-table.ts';

// biome-ignore lint/suspicious/noExplicitAny: reading a JSON spec
type Json = any;
const build = (table: ResultTable, hint: Partial<RenderHint> = {}, opts = {}): Json =>
  chartSpec(table, { visualization: 'linechart', ...hint }, opts);

describe('linechart', () => {
  it('with a datetime column draws like a timechart: time axis in the zone, one line per series, summary columns left out', () => {
    const spec = build(splitSeriesTable(), {}, { timeZone: 'Asia/Shanghai' });
    assert.equal(spec.mark.type, 'line');
    assert.equal(spec.encoding.x.type, 'temporal');
    assert.equal(spec.encoding.x.title, 'Time (Asia/Shanghai, UTC+8)');
    assert.equal(spec.encoding.y.title, 'Value', 'WindowTotal and PreviousTotal are not plotted');
    const lines = [...new Set(spec.data.values.map((p: Json) => p.series))];
    assert.deepEqual(lines, ['AssumeRole', 'ConsoleLogin', 'GetObject']);
    assert.equal(spec.data.values[0].t, NOW - 14 * DAY + 8 * 3_600_000);
  });

  it('does not zero-fill: a missing bin is no point', () => {
    const table = seedTable(() => 5, 10);
    table.rows.splice(3, 2);
    assert.equal(build(table).data.values.length, 8);
  });

  it('takes a numeric x (the first numeric column when there is no datetime), sorted, on a linear axis', () => {
    const table: ResultTable = {
      name: 'PrimaryResult',
      columns: [
        { name: 'LatencyMs', type: 'long' },
        { name: 'Requests', type: 'long' },
      ],
      rows: [
        [300, 2],
        [100, 9],
        [200, 4],
      ],
    };
    const spec = build(table, { title: '延迟分布' });
    assert.equal(spec.encoding.x.type, 'quantitative');
    assert.equal(spec.encoding.x.title, 'LatencyMs');
    assert.deepEqual(
      spec.data.values.map((p: Json) => [p.t, p.value]),
      [
        [100, 9],
        [200, 4],
        [300, 2],
      ],
    );
    assert.equal(spec.title, '延迟分布');
  });

  it('honours xcolumn, ycolumns, series, xtitle, ytitle, legend=hidden, ymin and ymax', () => {
    const table = splitSeriesTable(3);
    const spec = build(table, {
      xcolumn: 'Time',
      ycolumns: ['Value'],
      series: ['Legend'],
      xtitle: 'Day',
      ytitle: 'Events',
      legend: 'hidden',
      ymin: 5,
      ymax: 50,
    });
    assert.equal(spec.encoding.x.title, 'Day (UTC)');
    assert.equal(spec.encoding.y.title, 'Events');
    assert.equal(spec.encoding.color.legend, null);
    assert.equal(spec.encoding.y.scale.domainMin, 5);
    assert.equal(spec.encoding.y.scale.domainMax, 50);
  });

  it('refuses a table without an x column or without values', () => {
    const text: ResultTable = { name: 'PrimaryResult', columns: [{ name: 'Name', type: 'string' }], rows: [['a']] };
    assert.throws(
      () => build(text),
      (e: unknown) => e instanceof ChartError && e.code === 'chart_bad_columns' && /datetime or numeric/.test(e.message),
    );
    const oneNumber: ResultTable = { name: 'PrimaryResult', columns: [{ name: 'n', type: 'long' }], rows: [[1]] };
    assert.throws(
      () => build(oneNumber),
      (e: unknown) => e instanceof ChartError && e.code === 'chart_bad_columns',
    );
  });
});
