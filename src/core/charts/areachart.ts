/**
 * `render areachart` (and `render stackedareachart`): the linechart's roles (x = datetime
 * or number), drawn as filled areas. Kusto's `kind`: `default`/`unstacked` — each area
 * stands on its own (Kusto's documented default; drawn translucent so none hides another),
 * `stacked` — areas on top of each other, `stacked100` — stacked and stretched to 100%.
 * `stackedareachart` is `kind=stacked`. Time bins are zero-filled as on a timechart, and
 * every area gets a point at every x, so stacks line up.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RenderHint, ResultTable } from '../result-table.ts';
import type { ResolvedChartOptions } from './chart-options.ts';
import { linechartRoles } from './linechart.ts';
import { zeroFill } from './timechart.ts';
import { stackKindOf, vegaStack } from './value-axis.ts';
import { alignLines, isTimeX, sortPoints, xyPoints, xySpec } from './xy-chart.ts';

export function areachartSpec(table: ResultTable, hint: RenderHint, opts: ResolvedChartOptions): TopLevelSpec {
  const stacked = hint.visualization === 'stackedareachart';
  const kind = stacked ? 'stacked' : stackKindOf(hint, 'areachart');
  const stack = vegaStack(kind);
  const roles = linechartRoles(table, hint);
  const { points, lines } = xyPoints(table, roles);
  const filled = isTimeX(roles) ? zeroFill(points, lines) : points;
  const sorted = sortPoints(alignLines(filled, lines));
  return xySpec({
    hint,
    opts,
    roles,
    points: sorted,
    lines,
    stack,
    mark: {
      type: 'area',
      interpolate: 'linear',
      // Unstacked areas overlap: translucent fills with a solid edge keep each one visible.
      fillOpacity: stack === null && lines.length > 1 ? 0.35 : 0.75,
      line: { strokeWidth: 1.5 },
    },
  });
}
