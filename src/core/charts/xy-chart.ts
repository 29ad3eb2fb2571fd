/**
 * What timechart, linechart and areachart share: an x column (time or number), numeric y
 * columns and series columns, as Azure Log Analytics assigns them for `render`; one line
 * (or area) per series value × y column; and the spec around a mark: the time axis in the
 * request's zone (time-zone.ts, time-axis.ts) or a numeric axis, the value axis
 * (value-axis.ts), the legend and the theme.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { KustoType, RenderHint, ResultTable } from '../result-table.ts';
import { DATA_NAME, FIELD, type SeriesPoint } from './chart-data.ts';
import { ChartError } from './chart-error.ts';
import type { ResolvedChartOptions } from './chart-options.ts';
import { columnsOfType, describeColumns, type IndexedColumn, NUMERIC_TYPES, namedColumn, seriesColumns } from './columns.ts';
import { lineName, seriesKey, toNumber } from './series.ts';
import { chartConfig, FIT_AUTOSIZE } from './theme.ts';
import { timeAxis } from './time-axis.ts';
import { timeZoneLabel, toWallClock } from './time-zone.ts';
import { stackTotals, valueAxisFormat, valueScale } from './value-axis.ts';

export interface XyRoles {
  x: IndexedColumn;
  ys: IndexedColumn[];
  series: IndexedColumn[];
}

export interface XyRoleRules {
  /** The chart's name in messages ("timechart"). */
  chart: string;
  /** x column types, by preference: the first column of the first group found is x. */
  xTypes: readonly (readonly KustoType[])[];
  /** How the x types read in a message ("a datetime column"). */
  xWords: string;
}

export function xyRoles(table: ResultTable, hint: RenderHint, rules: XyRoleRules): XyRoles {
  const x = hint.xcolumn
    ? namedColumn(table, hint.xcolumn, rules.xTypes.flat(), 'x')
    : rules.xTypes.map((types) => columnsOfType(table, types)[0]).find((c) => c !== undefined);
  if (!x) {
    throw new ChartError(
      'chart_bad_columns',
      `A ${rules.chart} needs ${rules.xWords} for its x axis; the result has ${describeColumns(table)}.`,
    );
  }
  const ys = hint.ycolumns?.length
    ? hint.ycolumns.map((name) => namedColumn(table, name, NUMERIC_TYPES, 'y'))
    : columnsOfType(table, NUMERIC_TYPES, [x]);
  if (ys.length === 0) {
    throw new ChartError(
      'chart_bad_columns',
      `A ${rules.chart} needs at least one numeric column to plot besides its x column; the result has ${describeColumns(table)}.`,
    );
  }
  return { x, ys, series: seriesColumns(table, hint.series, [x, ...ys]) };
}

export function isTimeX(roles: XyRoles): boolean {
  return roles.x.type === 'datetime';
}

/** Points with x as UTC epoch ms (datetime x) or the number itself; rows without a usable x are skipped. */
export function xyPoints(table: ResultTable, roles: XyRoles): { points: SeriesPoint[]; lines: string[] } {
  const points: SeriesPoint[] = [];
  const lines = new Set<string>();
  const time = isTimeX(roles);
  for (const row of table.rows) {
    const raw = row[roles.x.index];
    const t = time ? (typeof raw === 'string' ? Date.parse(raw) : Number.NaN) : (toNumber(raw) ?? Number.NaN);
    if (!Number.isFinite(t)) continue;
    const key = roles.series.length ? seriesKey(row, roles.series) : undefined;
    for (const y of roles.ys) {
      const series = lineName(key, y, roles.ys);
      lines.add(series);
      const value = toNumber(row[y.index]);
      if (value !== undefined) points.push({ t, value, series });
    }
  }
  return { points, lines: [...lines].sort() };
}

/** By line, then x (results often arrive sorted descending). */
export function sortPoints(points: SeriesPoint[]): SeriesPoint[] {
  return points.sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : a.t - b.t));
}

/** Every line gets a point (0) at every x some line has: stacked areas need them aligned. */
export function alignLines(points: readonly SeriesPoint[], lines: readonly string[]): SeriesPoint[] {
  const xs = [...new Set(points.map((p) => p.t))];
  const have = new Set(points.map((p) => `${p.series}\u0000${p.t}`));
  const out = [...points];
  for (const series of lines) for (const t of xs) if (!have.has(`${series}\u0000${t}`)) out.push({ t, value: 0, series });
  return out;
}

/** Room the y axis and its title take, and the legend when shown (for the tick count of a time axis). */
const Y_AXIS_PX = 110;
const LEGEND_PX = 180;

export interface XySpecInput {
  hint: RenderHint;
  opts: ResolvedChartOptions;
  roles: XyRoles;
  /** Sorted points; datetime x still in UTC (shifted to the zone here). */
  points: readonly SeriesPoint[];
  lines: readonly string[];
  /** vega-lite mark definition, e.g. `{ type: 'line', … }`. */
  mark: Record<string, unknown>;
  /** vega-lite's stack for y; omitted = not stacked (lines). */
  stack?: 'zero' | 'normalize' | null;
}

function xEncoding(input: XySpecInput, values: readonly SeriesPoint[], showLegend: boolean): Record<string, unknown> {
  const { hint, opts, roles, points } = input;
  const name = hint.xtitle ?? roles.x.name;
  if (!isTimeX(roles)) {
    return { field: FIELD.x, type: 'quantitative', title: name, scale: { zero: false, nice: false }, axis: { labelOverlap: true } };
  }
  const first = points.reduce((m, p) => Math.min(m, p.t), Number.POSITIVE_INFINITY);
  const last = points.reduce((m, p) => Math.max(m, p.t), Number.NEGATIVE_INFINITY);
  const zone = values.length ? timeZoneLabel(opts.timeZone, first, last) : timeZoneLabel(opts.timeZone);
  const plotWidth = opts.width - Y_AXIS_PX - (showLegend ? LEGEND_PX : 0);
  const axis = values.length
    ? timeAxis(toWallClock(opts.timeZone, first), toWallClock(opts.timeZone, last), plotWidth, opts.language)
    : undefined;
  return {
    field: FIELD.x,
    type: 'temporal',
    scale: { type: 'utc' },
    title: `${name} (${zone})`,
    // tickCount holds vega-time unit names ("hours"), which vega-lite's types spell "hour" (see time-axis.ts).
    axis: { labelOverlap: true, labelFlush: true, ...((axis ?? {}) as object) },
  };
}

function yEncoding(input: XySpecInput): Record<string, unknown> {
  const { hint, roles, points, stack } = input;
  const title = hint.ytitle ?? roles.ys.map((y) => y.name).join(', ');
  const base = { field: FIELD.y, type: 'quantitative', title };
  if (stack === 'normalize') {
    return { ...base, stack, scale: { domain: [0, 1] }, axis: { format: '.0%' } };
  }
  const shown = stack === 'zero' ? stackTotals(points, (i) => points[i].t) : points.map((p) => p.value);
  return {
    ...base,
    ...(stack !== undefined ? { stack } : {}),
    scale: valueScale(hint, shown),
    axis: valueAxisFormat(roles.ys, shown),
  };
}

export function xySpec(input: XySpecInput): TopLevelSpec {
  const { hint, opts, lines } = input;
  const values = isTimeX(input.roles) ? input.points.map((p) => ({ ...p, t: toWallClock(opts.timeZone, p.t) })) : [...input.points];
  const showLegend = lines.length > 1 && hint.legend !== 'hidden';
  const title = hint.title ?? opts.title;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(title ? { title } : {}),
    width: opts.width,
    height: opts.height,
    autosize: FIT_AUTOSIZE,
    config: chartConfig(),
    data: { name: DATA_NAME, values },
    mark: input.mark,
    encoding: {
      x: xEncoding(input, values, showLegend),
      y: yEncoding(input),
      color: {
        field: FIELD.series,
        type: 'nominal',
        legend: showLegend ? { title: null, orient: 'right' } : null,
      },
    },
  } as unknown as TopLevelSpec;
}

/** Point marks on lines: large while they can be told apart, small for dense series. */
export function pointSize(pointsPerLine: number): number {
  return pointsPerLine <= 60 ? 36 : pointsPerLine <= 200 ? 16 : 6;
}
