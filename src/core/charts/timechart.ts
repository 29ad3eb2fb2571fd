/**
 * `render timechart`, as Azure Log Analytics draws it:
 * 1. roles: x = hint.xcolumn or the first datetime column; y = hint.ycolumns or every
 *    numeric column; series = hint.series or every string column;
 * 2. points: one line per series value × y column (nulls are missing points);
 * 3. zero-fill: on a regular step (bin() output) a missing point is 0, per line;
 * 4. sort by line, then time (results often arrive sorted descending);
 * 5. shift to the requested zone's wall clock (see time-zone.ts);
 * 6. spec: straight segments between the actual points (no smoothing), points marked,
 *    readable date ticks, the zone in the x title, integer ticks for counts, a legend
 *    when there is more than one line.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RenderHint, ResultTable, WireValue } from '../result-table.ts';
import { DATA_NAME, FIELD, type SeriesPoint } from './chart-data.ts';
import { ChartError } from './chart-error.ts';
import type { ResolvedChartOptions } from './chart-options.ts';
import {
  columnsOfType,
  describeColumns,
  INTEGER_TYPES,
  type IndexedColumn,
  indexColumns,
  NUMERIC_TYPES,
  namedColumn,
  SERIES_TYPES,
} from './columns.ts';
import { chartConfig, FIT_AUTOSIZE } from './theme.ts';
import { timeAxis } from './time-axis.ts';
import { timeZoneLabel, toWallClock } from './time-zone.ts';
import { gridPoints, regularGrid } from './zero-fill.ts';

export interface TimechartRoles {
  x: IndexedColumn;
  ys: IndexedColumn[];
  series: IndexedColumn[];
}

/** Shown for a series whose key is null or empty. */
export const EMPTY_SERIES = '(empty)';

// 1. roles
export function timechartRoles(table: ResultTable, hint: RenderHint): TimechartRoles {
  const x = hint.xcolumn ? namedColumn(table, hint.xcolumn, ['datetime'], 'x') : columnsOfType(table, ['datetime'])[0];
  if (!x) {
    throw new ChartError(
      'chart_bad_columns',
      `A timechart needs a datetime column for its x axis; the result has ${describeColumns(table)}.`,
    );
  }
  const ys = hint.ycolumns?.length
    ? hint.ycolumns.map((name) => namedColumn(table, name, NUMERIC_TYPES, 'y'))
    : columnsOfType(table, NUMERIC_TYPES, [x]);
  if (ys.length === 0) {
    throw new ChartError(
      'chart_bad_columns',
      `A timechart needs at least one numeric column to plot; the result has ${describeColumns(table)}.`,
    );
  }
  const series = hint.series?.length
    ? hint.series.map((name) => {
        const c = indexColumns(table).find((col) => col.name === name);
        if (!c)
          throw new ChartError(
            'chart_bad_columns',
            `The chart's series column "${name}" is not in the result. Columns: ${describeColumns(table)}.`,
          );
        return c;
      })
    : columnsOfType(table, SERIES_TYPES, [x, ...ys]);
  return { x, ys, series };
}

function seriesKey(row: readonly WireValue[], series: readonly IndexedColumn[]): string {
  const key = series.map((c) => (row[c.index] === null || row[c.index] === undefined ? '' : String(row[c.index]))).join(', ');
  return key === '' ? EMPTY_SERIES : key;
}

function lineName(key: string | undefined, y: IndexedColumn, ys: readonly IndexedColumn[]): string {
  if (key === undefined) return y.name;
  return ys.length === 1 ? key : `${key} · ${y.name}`;
}

function toNumber(v: WireValue): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

// 2. points (times still UTC)
export function timechartPoints(table: ResultTable, roles: TimechartRoles): { points: SeriesPoint[]; lines: string[] } {
  const points: SeriesPoint[] = [];
  const lines = new Set<string>();
  for (const row of table.rows) {
    const raw = row[roles.x.index];
    const t = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
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

// 3. zero-fill
export function zeroFill(points: readonly SeriesPoint[], lines: readonly string[]): SeriesPoint[] {
  const distinct = [...new Set(points.map((p) => p.t))].sort((a, b) => a - b);
  const grid = regularGrid(distinct);
  if (!grid) return [...points];
  const seen = new Map<string, Set<number>>(lines.map((l) => [l, new Set<number>()]));
  for (const p of points) seen.get(p.series)?.add(p.t);
  const filled = [...points];
  const times = gridPoints(grid);
  for (const series of lines) {
    const have = seen.get(series) ?? new Set<number>();
    for (const t of times) if (!have.has(t)) filled.push({ t, value: 0, series });
  }
  return filled;
}

// 4. sort
export function sortPoints(points: SeriesPoint[]): SeriesPoint[] {
  return points.sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : a.t - b.t));
}

function yAxisFormat(ys: readonly IndexedColumn[], points: readonly SeriesPoint[]): { format?: string; tickMinStep?: number } {
  if (!ys.every((y) => INTEGER_TYPES.includes(y.type))) return {};
  const max = points.reduce((m, p) => Math.max(m, Math.abs(p.value)), 0);
  return { format: max >= 1e6 ? '~s' : ',d', tickMinStep: 1 };
}

function pointSize(count: number): number {
  return count <= 60 ? 36 : count <= 200 ? 16 : 6;
}

export function timechartSpec(table: ResultTable, hint: RenderHint, opts: ResolvedChartOptions): TopLevelSpec {
  const roles = timechartRoles(table, hint);
  const { points, lines } = timechartPoints(table, roles);
  const utcPoints = sortPoints(zeroFill(points, lines));
  const first = utcPoints.reduce((m, p) => Math.min(m, p.t), Number.POSITIVE_INFINITY);
  const last = utcPoints.reduce((m, p) => Math.max(m, p.t), Number.NEGATIVE_INFINITY);
  const values = utcPoints.map((p) => ({ ...p, t: toWallClock(opts.timeZone, p.t) }));

  const zone = values.length ? timeZoneLabel(opts.timeZone, first, last) : timeZoneLabel(opts.timeZone);
  const showLegend = lines.length > 1 && hint.legend !== 'hidden';
  const plotWidth = opts.width - 110 - (showLegend ? 180 : 0);
  const axis = values.length ? timeAxis(toWallClock(opts.timeZone, first), toWallClock(opts.timeZone, last), plotWidth) : undefined;
  const perLine = lines.length ? values.length / lines.length : 0;
  const title = hint.title ?? opts.title;
  const yTitle = hint.ytitle ?? roles.ys.map((y) => y.name).join(', ');
  // All zeros (no activity yet) would give vega an empty domain and a line floating mid-chart: pin it to 0..1.
  const allZero = utcPoints.every((p) => p.value === 0);
  const yDomain = {
    ...(typeof hint.ymin === 'number' ? { domainMin: hint.ymin } : {}),
    ...(typeof hint.ymax === 'number' ? { domainMax: hint.ymax } : allZero ? { domainMax: 1 } : {}),
  };

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(title ? { title } : {}),
    width: opts.width,
    height: opts.height,
    autosize: FIT_AUTOSIZE,
    config: chartConfig(),
    data: { name: DATA_NAME, values },
    mark: { type: 'line', interpolate: 'linear', strokeWidth: 2, point: { filled: true, size: pointSize(perLine) } },
    encoding: {
      x: {
        field: FIELD.x,
        type: 'temporal',
        scale: { type: 'utc' },
        title: `${hint.xtitle ?? roles.x.name} (${zone})`,
        // tickCount holds vega-time unit names ("hours"), which vega-lite's types spell "hour" (see time-axis.ts).
        axis: { labelOverlap: true, labelFlush: true, ...((axis ?? {}) as object) },
      },
      y: {
        field: FIELD.y,
        type: 'quantitative',
        title: yTitle,
        scale: { zero: true, ...yDomain },
        axis: yAxisFormat(roles.ys, utcPoints),
      },
      color: {
        field: FIELD.series,
        type: 'nominal',
        legend: showLegend ? { title: null, orient: 'right' } : null,
      },
    },
  };
}
