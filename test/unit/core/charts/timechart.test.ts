import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChartError } from '../../../../src/core/charts/chart-error.ts';
import { resolveChartOptions } from '../../../../src/core/charts/chart-options.ts';
import { chartSpec } from '../../../../src/core/charts/chart-spec.ts';
import { CHART_FONT_FAMILY } from '../../../../src/core/charts/theme.ts';
import { EMPTY_SERIES, timechartSpec } from '../../../../src/core/charts/timechart.ts';
import type { RenderHint, ResultTable } from '../../../../src/core/result-table.ts';
import { DAY, NOW, seedTable, sparseSeriesTable } from './seed-table.ts';

type Point = { t: number; value: number; series: string };
// The spec is a plain JSON object; these helpers read it without vega-lite's deep union types.
// biome-ignore lint/suspicious/noExplicitAny: reading a JSON spec
type Json = any;

const TIMECHART: RenderHint = { visualization: 'timechart' };

function build(table: ResultTable, hint: RenderHint = TIMECHART, opts = {}): Json {
  return chartSpec(table, hint, opts) as Json;
}
function points(spec: Json): Point[] {
  return spec.data.values;
}
function linesOf(spec: Json): string[] {
  return [...new Set(points(spec).map((p) => p.series))];
}

describe('timechart: the seed query result', () => {
  const spec = build(seedTable());

  it('plots Value over Time as one line named by Legend', () => {
    assert.equal(points(spec).length, 30);
    assert.deepEqual(linesOf(spec), ['awsCloudTrail']);
    assert.equal(spec.encoding.x.field, 't');
    assert.equal(spec.encoding.x.type, 'temporal');
    assert.equal(spec.encoding.y.field, 'value');
    assert.equal(spec.encoding.y.title, 'Value');
  });

  it('sorts by time although the rows arrive newest first', () => {
    const ts = points(spec).map((p) => p.t);
    assert.deepEqual(
      ts,
      [...ts].sort((a, b) => a - b),
    );
    assert.equal(ts[0], NOW - 30 * DAY);
    assert.equal(ts[29], NOW - DAY);
    assert.equal(points(spec)[0].value, (30 * 37) % 101);
  });

  it('draws straight segments between the actual points, with points marked', () => {
    assert.equal(spec.mark.type, 'line');
    assert.equal(spec.mark.interpolate, 'linear');
    assert.ok(spec.mark.point, 'points are marked');
  });

  it('has no legend for a single line, integer ticks for counts, readable day labels and the zone in the x title', () => {
    assert.equal(spec.encoding.color.legend, null);
    assert.equal(spec.encoding.y.axis.format, ',d');
    assert.equal(spec.encoding.y.axis.tickMinStep, 1);
    assert.equal(spec.encoding.x.title, 'Time (UTC)');
    assert.equal(spec.encoding.x.scale.type, 'utc');
    const axis = spec.encoding.x.axis;
    assert.ok(axis.format === '%b %-d' || /%b %-d/.test(axis.labelExpr), `day labels like "Nov 3": ${JSON.stringify(axis)}`);
  });

  it('names the CJK font first and a Latin fallback, and has the default size', () => {
    assert.ok(spec.config.font.startsWith(`${CHART_FONT_FAMILY},`));
    assert.match(spec.config.font, /sans-serif$/);
    assert.equal(spec.width, 1040);
    assert.equal(spec.height, 460);
    assert.equal(spec.title, undefined);
  });
});

describe('timechart: zero-fill', () => {
  it('fills missing bins with 0 when the times lie on a regular step', () => {
    const table = seedTable();
    const gaps = new Set([3, 4, 17]);
    table.rows = table.rows.filter((_, i) => !gaps.has(i + 1));
    const spec = build(table);
    assert.equal(points(spec).length, 30);
    for (const d of gaps) {
      const p = points(spec).find((q) => q.t === NOW - d * DAY);
      assert.deepEqual(p, { t: NOW - d * DAY, value: 0, series: 'awsCloudTrail' });
    }
  });

  it('fills every series on the shared grid, and treats null values as missing', () => {
    const table = sparseSeriesTable();
    table.rows.push([table.rows[0][0], 'AssumeRole', null]);
    const spec = build(table);
    assert.deepEqual(linesOf(spec), ['AssumeRole', 'ConsoleLogin']);
    const byLine = (name: string) => points(spec).filter((p) => p.series === name);
    assert.equal(byLine('AssumeRole').length, 6, 'hours 0..5');
    assert.equal(byLine('ConsoleLogin').length, 6);
    assert.deepEqual(
      byLine('ConsoleLogin').map((p) => p.value),
      [4, 0, 0, 0, 0, 2],
    );
    assert.deepEqual(
      byLine('AssumeRole').map((p) => p.value),
      [0, 1, 7, 0, 0, 0],
    );
  });

  it('leaves irregular times alone (no invented points)', () => {
    const table = seedTable(() => 5, 3);
    table.rows[1][1] = new Date(NOW - 2 * DAY + 1234).toISOString(); // not on the step
    const spec = build(table);
    assert.equal(points(spec).length, 3);
    assert.ok(points(spec).every((p) => p.value === 5));
  });
});

describe('timechart: series and columns', () => {
  it('splits series by string columns and shows a legend when there is more than one line', () => {
    const spec = build(sparseSeriesTable());
    assert.deepEqual(linesOf(spec), ['AssumeRole', 'ConsoleLogin']);
    assert.notEqual(spec.encoding.color.legend, null);
    assert.equal(spec.encoding.y.title, 'count_');
    assert.equal(spec.encoding.x.title, 'TimeGenerated (UTC)');
  });

  it('draws one line per series × numeric column', () => {
    const table: ResultTable = {
      name: 'PrimaryResult',
      columns: [
        { name: 'T', type: 'datetime' },
        { name: 'Region', type: 'string' },
        { name: 'Calls', type: 'long' },
        { name: 'Errors', type: 'long' },
      ],
      rows: [
        ['2025-11-01T00:00:00Z', 'us-east-1', 10, 1],
        ['2025-11-01T00:00:00Z', 'eu-west-1', 5, 0],
        ['2025-11-02T00:00:00Z', 'us-east-1', 12, 2],
      ],
    };
    const spec = build(table);
    assert.deepEqual(linesOf(spec).sort(), ['eu-west-1 · Calls', 'eu-west-1 · Errors', 'us-east-1 · Calls', 'us-east-1 · Errors']);
    assert.equal(points(spec).length, 8, 'two days × four lines, eu-west-1 zero-filled on Nov 2');
    assert.equal(spec.encoding.y.title, 'Calls, Errors');
  });

  it('with no string column, names lines after the numeric columns', () => {
    const table: ResultTable = {
      name: 'PrimaryResult',
      columns: [
        { name: 'T', type: 'datetime' },
        { name: 'avg_latency', type: 'real' },
      ],
      rows: [
        ['2025-11-01T00:00:00Z', 1.5],
        ['2025-11-02T00:00:00Z', 2.25],
      ],
    };
    const spec = build(table);
    assert.deepEqual(linesOf(spec), ['avg_latency']);
    assert.deepEqual(spec.encoding.y.axis, {}, 'real values keep decimal ticks');
  });

  it('follows the hint: xcolumn, ycolumns, series', () => {
    const table: ResultTable = {
      name: 'PrimaryResult',
      columns: [
        { name: 'Ingested', type: 'datetime' },
        { name: 'Generated', type: 'datetime' },
        { name: 'Account', type: 'string' },
        { name: 'Region', type: 'string' },
        { name: 'a', type: 'long' },
        { name: 'b', type: 'long' },
      ],
      rows: [
        ['2025-11-01T00:00:00Z', '2025-10-01T00:00:00Z', '111', 'x', 1, 2],
        ['2025-11-02T00:00:00Z', '2025-10-02T00:00:00Z', '111', 'y', 3, 4],
      ],
    };
    const spec = build(table, { visualization: 'timechart', xcolumn: 'Generated', ycolumns: ['b'], series: ['Region'] });
    assert.equal(spec.encoding.x.title, 'Generated (UTC)');
    assert.deepEqual(linesOf(spec), ['x', 'y']);
    assert.deepEqual(
      points(spec).map((p) => p.value),
      [2, 0, 0, 4],
    );
    assert.equal(points(spec)[0].t, Date.parse('2025-10-01T00:00:00Z'));
  });

  it('labels a null or empty series value', () => {
    const table = seedTable(() => 1, 2);
    table.rows[0][2] = null;
    assert.ok(linesOf(build(table)).includes(EMPTY_SERIES));
  });

  it('refuses tables it cannot draw, with a coded error naming the columns', () => {
    const noTime: ResultTable = { name: 'PrimaryResult', columns: [{ name: 'n', type: 'long' }], rows: [[1]] };
    assert.throws(
      () => build(noTime),
      (e: unknown) =>
        e instanceof ChartError && e.code === 'chart_bad_columns' && /datetime/.test(e.message) && /n \(long\)/.test(e.message),
    );
    const noNumber: ResultTable = { name: 'PrimaryResult', columns: [{ name: 't', type: 'datetime' }], rows: [] };
    assert.throws(
      () => build(noNumber),
      (e: unknown) => e instanceof ChartError && e.code === 'chart_bad_columns',
    );
    for (const hint of [{ xcolumn: 'Nope' }, { xcolumn: 'Value' }, { ycolumns: ['Legend'] }, { series: ['Nope'] }]) {
      assert.throws(
        () => build(seedTable(), { visualization: 'timechart', ...hint }),
        (e: unknown) => e instanceof ChartError && e.code === 'chart_bad_columns',
        JSON.stringify(hint),
      );
    }
  });

  it('keeps an all-zero chart (no activity yet) on the floor of a 0..1 axis', () => {
    const spec = build(seedTable(() => 0));
    assert.equal(spec.encoding.y.scale.domainMax, 1);
    assert.equal(build(seedTable()).encoding.y.scale.domainMax, undefined);
    assert.equal(
      build(
        seedTable(() => 0),
        { visualization: 'timechart', ymax: 10 },
      ).encoding.y.scale.domainMax,
      10,
    );
  });

  it('draws an empty result as an empty chart', () => {
    const table = seedTable();
    table.rows = [];
    assert.deepEqual(points(build(table)), []);
  });
});

describe('timechart: titles and time zones', () => {
  it('takes the title from the hint, else from the options, else none', () => {
    assert.equal(build(seedTable(), { visualization: 'timechart', title: '过去30天的AWS活动' }).title, '过去30天的AWS活动');
    assert.equal(build(seedTable(), TIMECHART, { title: 'AWS activity' }).title, 'AWS activity');
    assert.equal(build(seedTable(), { visualization: 'timechart', title: 'Hint' }, { title: 'Option' }).title, 'Hint');
  });

  it('takes axis titles from xtitle and ytitle, keeping the zone on x', () => {
    const spec = build(seedTable(), { visualization: 'timechart', xtitle: 'Day', ytitle: 'Events' }, { timeZone: 'UTC' });
    assert.equal(spec.encoding.x.title, 'Day (UTC)');
    assert.equal(spec.encoding.y.title, 'Events');
  });

  it('shows times as wall-clock times of the requested zone, named on the axis', () => {
    const spec = build(seedTable(), TIMECHART, { timeZone: 'Asia/Shanghai' });
    assert.equal(spec.encoding.x.title, 'Time (Asia/Shanghai, UTC+8)');
    assert.equal(points(spec)[0].t, NOW - 30 * DAY + 8 * 3_600_000);
  });

  it('names the zone without an offset when the range crosses a DST change', () => {
    const table = seedTable(() => 1, 30); // Oct 26 - Nov 24 2025: New York leaves DST on Nov 2
    const spec = build(table, TIMECHART, { timeZone: 'America/New_York' });
    assert.equal(spec.encoding.x.title, 'Time (America/New_York)');
    const pts = points(spec);
    assert.equal(pts[0].t, NOW - 30 * DAY - 4 * 3_600_000, 'EDT before');
    assert.equal(pts[29].t, NOW - DAY - 5 * 3_600_000, 'EST after');
  });

  it('refuses a zone that is not an IANA name', () => {
    assert.throws(
      () => build(seedTable(), TIMECHART, { timeZone: 'Mars/Olympus' }),
      (e: unknown) => e instanceof ChartError && e.code === 'chart_bad_time_zone',
    );
  });

  it('uses the given size', () => {
    const spec = timechartSpec(seedTable(), TIMECHART, resolveChartOptions({ width: 600, height: 300 }));
    assert.equal((spec as Json).width, 600);
    assert.equal((spec as Json).height, 300);
    assert.throws(() => resolveChartOptions({ width: 10 }), RangeError);
  });
});
