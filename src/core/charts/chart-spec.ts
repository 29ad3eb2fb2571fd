/**
 * Result table + render hint → vega-lite spec. Pure: no I/O, no clock, no SDKs. One file
 * per chart kind, each `(table, hint, options) => TopLevelSpec`; this dispatcher picks
 * one by the hint's visualization. The spec carries its rows inline under the data name
 * `table` (chart-data.ts) so the renderer can reuse a compiled view per spec shape.
 * `buildChart` adds what goes along with the image: the full table as CSV when a table
 * image shows only part of it.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RenderHint, ResultTable } from '../result-table.ts';
import { areachartSpec } from './areachart.ts';
import { barchartSpec } from './barchart.ts';
import { ChartError } from './chart-error.ts';
import { type ChartOptions, type ResolvedChartOptions, resolveChartOptions } from './chart-options.ts';
import { columnchartSpec } from './columnchart.ts';
import { linechartSpec } from './linechart.ts';
import { piechartSpec } from './piechart.ts';
import { tableCsv } from './table-csv.ts';
import { tableLayout, tableSpec, tableSpecFromLayout } from './table-image.ts';
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

/** The kinds drawn; the others (anomalychart, card, ladderchart, pivotchart, scatterchart, timepivot, treemap) are refused. */
export const CHART_BUILDERS: Partial<Record<ChartKind, ChartBuilder>> = {
  timechart: timechartSpec,
  linechart: linechartSpec,
  areachart: areachartSpec,
  stackedareachart: areachartSpec,
  columnchart: columnchartSpec,
  barchart: barchartSpec,
  piechart: piechartSpec,
  table: tableSpec,
};

export function isChartKind(kind: string): kind is ChartKind {
  return (CHART_KINDS as readonly string[]).includes(kind);
}

function builderFor(kind: string): ChartBuilder {
  if (!isChartKind(kind)) {
    throw new ChartError('chart_unknown_kind', `"${kind}" is not a Kusto visualization; render one of: ${CHART_KINDS.join(', ')}.`);
  }
  const build = CHART_BUILDERS[kind];
  if (!build) {
    const drawn = Object.keys(CHART_BUILDERS).join(', ');
    throw new ChartError('chart_unsupported_kind', `"render ${kind}" is not drawn yet; supported: ${drawn}.`);
  }
  return build;
}

/**
 * The hint with Kusto's wire forms read: `ycolumns` and `series` as comma-separated text
 * ("a, b", as Kusto's visualization JSON carries them) become lists, and numeric text in
 * `ymin`/`ymax` becomes numbers. Other properties are left as they are.
 */
export function normalizeHint(hint: RenderHint): RenderHint {
  const list = (v: unknown): string[] | undefined =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : Array.isArray(v)
        ? v.map(String)
        : undefined;
  const num = (v: unknown): number | undefined => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    return Number.isFinite(n) ? n : undefined;
  };
  const out: RenderHint = { ...hint };
  for (const key of ['ycolumns', 'series'] as const) {
    const v = list(hint[key]);
    if (v?.length) out[key] = v;
    else delete out[key];
  }
  for (const key of ['ymin', 'ymax'] as const) {
    const v = num(hint[key]);
    if (v === undefined) delete out[key];
    else out[key] = v;
  }
  for (const key of ['title', 'xtitle', 'ytitle', 'xcolumn', 'kind', 'legend'] as const) {
    if (hint[key] === null || hint[key] === '') delete out[key];
  }
  return out;
}

export function chartSpec(table: ResultTable, hint: RenderHint, opts?: ChartOptions): TopLevelSpec {
  return builderFor(hint.visualization)(table, normalizeHint(hint), resolveChartOptions(opts));
}

/** A file to post with the chart image. */
export interface ChartAttachment {
  filename: string;
  mimeType: 'text/csv';
  /** UTF-8 text; CSVs start with a byte order mark so spreadsheets read Chinese text right. */
  text: string;
}

export interface BuiltChart {
  spec: TopLevelSpec;
  attachments: ChartAttachment[];
}

/** The CSV attachment's name: "<title or table name>.csv", safe as a file name. */
export function csvFilename(table: ResultTable, hint: RenderHint, opts?: ChartOptions): string {
  const base = (hint.title ?? opts?.title ?? table.name ?? 'result')
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return `${base || 'result'}.csv`;
}

/**
 * The spec and what goes along with it: for a table whose image shows only part of it
 * (more than 20 rows, columns or text left out), the whole table as CSV.
 */
export function buildChart(table: ResultTable, rawHint: RenderHint, opts?: ChartOptions): BuiltChart {
  const build = builderFor(rawHint.visualization);
  const hint = normalizeHint(rawHint);
  const resolved = resolveChartOptions(opts);
  if (build !== tableSpec) return { spec: build(table, hint, resolved), attachments: [] };
  const layout = tableLayout(table, resolved);
  const spec = tableSpecFromLayout(layout, hint, resolved);
  if (!layout.partial) return { spec, attachments: [] };
  return { spec, attachments: [{ filename: csvFilename(table, hint, opts), mimeType: 'text/csv', text: `\uFEFF${tableCsv(table)}` }] };
}

export { ChartError } from './chart-error.ts';
export type { ChartOptions } from './chart-options.ts';
