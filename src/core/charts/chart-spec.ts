/**
 * Result table + render hint → vega-lite spec. Pure: no I/O, no clock, no SDKs. One file
 * per chart kind, each `(table, hint, options) => TopLevelSpec`; this dispatcher picks
 * one by the hint's visualization. The spec carries its rows inline under the data name
 * `table` (chart-data.ts) so the renderer can reuse a compiled view per spec shape.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RenderHint, ResultTable } from '../result-table.ts';
import { ChartError } from './chart-error.ts';
import { type ChartOptions, type ResolvedChartOptions, resolveChartOptions } from './chart-options.ts';
import { timechartSpec } from './timechart.ts';

/** Every visualization Kusto's `render` operator names. */
export const CHART_KINDS = [
  'anomalychart',
  'areachart',
  'barchart',
  'card',
  'columnchart',
  'ladderchart',
  'linechart',
  'piechart',
  'pivotchart',
  'scatterchart',
  'stackedareachart',
  'table',
  'timechart',
  'timepivot',
  'treemap',
] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export type ChartBuilder = (table: ResultTable, hint: RenderHint, opts: ResolvedChartOptions) => TopLevelSpec;

/** The kinds drawn so far; linechart, areachart, columnchart, barchart, piechart and table come next, in this shape. */
export const CHART_BUILDERS: Partial<Record<ChartKind, ChartBuilder>> = {
  timechart: timechartSpec,
};

export function isChartKind(kind: string): kind is ChartKind {
  return (CHART_KINDS as readonly string[]).includes(kind);
}

export function chartSpec(table: ResultTable, hint: RenderHint, opts?: ChartOptions): TopLevelSpec {
  const kind = hint.visualization;
  if (!isChartKind(kind)) {
    throw new ChartError('chart_unknown_kind', `"${kind}" is not a Kusto visualization; render one of: ${CHART_KINDS.join(', ')}.`);
  }
  const build = CHART_BUILDERS[kind];
  if (!build) {
    const drawn = Object.keys(CHART_BUILDERS).join(', ');
    throw new ChartError('chart_unsupported_kind', `"render ${kind}" is not drawn yet; supported: ${drawn}.`);
  }
  return build(table, hint, resolveChartOptions(opts));
}

export { ChartError } from './chart-error.ts';
export type { ChartOptions } from './chart-options.ts';
