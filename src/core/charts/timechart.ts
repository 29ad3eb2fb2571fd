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
 * Steps 1, 2, 4-6 are shared with linechart and areachart (xy-chart.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RenderHint, ResultTable } from '../result-table.ts';
import type { SeriesPoint } from './chart-data.ts';
import type { ResolvedChartOptions } from './chart-options.ts';
import { pointSize, sortPoints, type XyRoles, xyPoints, xyRoles, xySpec } from './xy-chart.ts';
import { gridPoints, regularGrid } from './zero-fill.ts';

export type TimechartRoles = XyRoles;
export { EMPTY_SERIES } from './series.ts';
export { sortPoints } from './xy-chart.ts';

// 1. roles
export function timechartRoles(table: ResultTable, hint: RenderHint): TimechartRoles {
  return xyRoles(table, hint, { chart: 'timechart', xTypes: [['datetime']], xWords: 'a datetime column' });
}

// 2. points (times still UTC)
export function timechartPoints(table: ResultTable, roles: TimechartRoles): { points: SeriesPoint[]; lines: string[] } {
  return xyPoints(table, roles);
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

export function timechartSpec(table: ResultTable, hint: RenderHint, opts: ResolvedChartOptions): TopLevelSpec {
  const roles = timechartRoles(table, hint);
  const { points, lines } = timechartPoints(table, roles);
  const sorted = sortPoints(zeroFill(points, lines));
  const perLine = lines.length ? sorted.length / lines.length : 0;
  return xySpec({
    hint,
    opts,
    roles,
    points: sorted,
    lines,
    mark: { type: 'line', interpolate: 'linear', strokeWidth: 2, point: { filled: true, size: pointSize(perLine) } },
  });
}
