/**
 * Query results in the shape of the Log Analytics query API
 * (`{"tables":[{"name","columns":[{"name","type"}],"rows":[[…]]}], "render": {…}}`).
 * Both the local workspace and the real Log Analytics gateway return this, so
 * charts and summaries never care where a result came from.
 *
 * Row values are wire values: datetimes are ISO 8601 UTC strings ending in `Z`,
 * numbers are numbers, `dynamic` values are JSON text, timespans are `[d.]hh:mm:ss[.fffffff]`.
 */

export const KUSTO_TYPES = ['bool', 'datetime', 'dynamic', 'guid', 'int', 'long', 'real', 'decimal', 'string', 'timespan'] as const;
export type KustoType = (typeof KUSTO_TYPES)[number];

export interface ResultColumn {
  name: string;
  type: KustoType;
}

export type WireValue = string | number | boolean | null;

export interface ResultTable {
  name: string;
  columns: ResultColumn[];
  rows: WireValue[][];
}

/** The `render` operator's visualization and its `with(...)` properties (title, xtitle, ytitle, series, kind, …). */
export interface RenderHint {
  visualization: string;
  title?: string;
  xtitle?: string;
  ytitle?: string;
  xcolumn?: string;
  ycolumns?: string[];
  series?: string[];
  kind?: string;
  legend?: string;
  ymin?: number;
  ymax?: number;
  [property: string]: unknown;
}

export interface QueryResult {
  tables: ResultTable[];
  render?: RenderHint;
  /** Sentences for the person who asked, e.g. that Log Analytics returned a partial result. */
  warnings?: string[];
}
