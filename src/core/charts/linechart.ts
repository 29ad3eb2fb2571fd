/**
 * `render linechart`: like a timechart, but x may also be a number (Kusto: "first column is
 * x-axis, and should be a numeric column"). x = hint.xcolumn, else the first datetime
 * column, else the first numeric one; y = the other numeric columns; series = string
 * columns. Lines join the points that are there: no zero-fill (a linechart of raw values
 * is not a count per bin). A datetime x reads in the request's zone, as on a timechart.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RenderHint, ResultTable } from '../result-table.ts';
import type { ResolvedChartOptions } from './chart-options.ts';
import { NUMERIC_TYPES } from './columns.ts';
import { pointSize, sortPoints, type XyRoles, xyPoints, xyRoles, xySpec } from './xy-chart.ts';

export function linechartRoles(table: ResultTable, hint: RenderHint): XyRoles {
  return xyRoles(table, hint, { chart: 'linechart', xTypes: [['datetime'], NUMERIC_TYPES], xWords: 'a datetime or numeric column' });
}

export function linechartSpec(table: ResultTable, hint: RenderHint, opts: ResolvedChartOptions): TopLevelSpec {
  const roles = linechartRoles(table, hint);
  const { points, lines } = xyPoints(table, roles);
  const sorted = sortPoints(points);
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
