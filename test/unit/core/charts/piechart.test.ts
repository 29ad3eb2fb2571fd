import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChartError } from '../../../../src/core/charts/chart-error.ts';
import { resolveChartOptions } from '../../../../src/core/charts/chart-options.ts';
import { chartSpec } from '../../../../src/core/charts/chart-spec.ts';
import { formatShare, labelPlacement, MAX_SLICES, pieData } from '../../../../src/core/charts/piechart.ts';
import type { RenderHint, ResultTable } from '../../../../src/core/result-table.ts';
import { rankTable, regionResultTable } from './kind-tables.ts';

// biome-ignore lint/suspicious/noExplicitAny: reading a JSON spec
type Json = any;
const hint = (h: Partial<RenderHint> = {}): RenderHint => ({ visualization: 'piechart', ...h });
const slices = (table: ResultTable, h: Partial<RenderHint> = {}, opts = {}) => pieData(table, hint(h), resolveChartOptions(opts)).slices;

describe('piechart', () => {
  it('slices = the first text column, size = the first numeric column, largest first with its share', () => {
    const s = slices(rankTable([25, 50, 25]));
    assert.deepEqual(
      s.map((x) => [x.name, x.value, x.o, x.pl]),
      [
        ['ec2.amazonaws.com', 50, 0, '50%'],
        ['s3.amazonaws.com', 25, 1, '25%'],
        ['iam.amazonaws.com', 25, 2, '25%'],
      ],
    );
    assert.equal(s[0].c, 'ec2.amazonaws.com — 50%');
  });

  it(`gathers slices beyond ${MAX_SLICES} into "Other"`, () => {
    const table = rankTable();
    const s = slices(table);
    assert.equal(s.length, MAX_SLICES);
    const other = s[MAX_SLICES - 1];
    assert.equal(other.name, 'Other (4 more)');
    assert.equal(other.value, 40 + 30 + 20 + 10);
    assert.equal(
      s.reduce((sum, x) => sum + x.value, 0),
      table.rows.reduce((sum, r) => sum + (r[1] as number), 0),
      'nothing lost',
    );
    assert.equal(slices(table, {}, { language: 'zh' })[MAX_SLICES - 1].name, '其他（4项）');
    assert.equal(slices(rankTable([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).length, 10, 'exactly ten: no Other');
  });

  it('sums rows of one slice, leaves out slices of zero or less, labels only slices big enough', () => {
    const table = rankTable([100, 0, -5, 2]);
    table.rows.push(['s3.amazonaws.com', 100, 0, 0]);
    const s = slices(table);
    assert.deepEqual(
      s.map((x) => [x.name, x.value, x.pl]),
      [
        ['s3.amazonaws.com', 200, '99%'],
        ['sts.amazonaws.com', 2, ''],
      ],
    );
  });

  it('places labels away from the pie: right half left-aligned, left half right-aligned, top and bottom centred', () => {
    assert.deepEqual(labelPlacement(0.25), { al: 'left', bl: 'middle' });
    assert.deepEqual(labelPlacement(0.75), { al: 'right', bl: 'middle' });
    assert.deepEqual(labelPlacement(0.01), { al: 'center', bl: 'bottom' });
    assert.deepEqual(labelPlacement(0.5), { al: 'center', bl: 'top' });
    const s = slices(rankTable([50, 30, 20]));
    assert.deepEqual(
      s.map((x) => x.al),
      ['left', 'right', 'right'],
      'midpoints at 25%, 65%, 90% of the way round',
    );
  });

  it('formats shares', () => {
    assert.equal(formatShare(0.456), '46%');
    assert.equal(formatShare(0.0456), '4.6%');
    assert.equal(formatShare(0.0001), '<0.1%');
  });

  it('builds an arc spec ordered by size, with title and legend=hidden honoured', () => {
    const spec: Json = chartSpec(rankTable([1, 3]), hint({ title: '按服务的活动', legend: 'hidden' }));
    assert.equal(spec.title, '按服务的活动');
    assert.equal(spec.layer[0].mark.type, 'arc');
    assert.equal(spec.encoding.theta.field, 'value');
    assert.deepEqual(spec.encoding.order, { field: 'o', type: 'quantitative', sort: 'ascending' });
    assert.equal(spec.encoding.color.legend, null);
    assert.equal(spec.data.values[0].name, 'ec2.amazonaws.com');
    assert.equal(spec.layer[1].encoding.text.field, 'pn', 'no legend: slices carry their names');
    assert.equal(spec.data.values[0].pn, 'ec2.amazonaws.com 75%');
    const withLegend: Json = chartSpec(rankTable([1, 3]), hint());
    assert.equal(withLegend.layer[1].encoding.text.field, 'pl');
  });

  it('uses xcolumn / ycolumns / series when given', () => {
    const s = slices(regionResultTable(), { xcolumn: 'Result' });
    assert.deepEqual(
      s.map((x) => [x.name, x.value]),
      [
        ['Success', 920],
        ['Failure', 140],
      ],
    );
    const split = slices(regionResultTable(), { series: ['Result'] });
    assert.equal(split[0].name, 'us-east-1 · Success');
  });

  it('refuses kind=map and tables without numbers', () => {
    assert.throws(
      () => chartSpec(rankTable(), hint({ kind: 'map' })),
      (e: unknown) => e instanceof ChartError && e.code === 'chart_bad_property',
    );
    const noNumber: ResultTable = { name: 'PrimaryResult', columns: [{ name: 'a', type: 'string' }], rows: [] };
    assert.throws(
      () => chartSpec(noNumber, hint()),
      (e: unknown) => e instanceof ChartError && e.code === 'chart_bad_columns',
    );
  });
});
