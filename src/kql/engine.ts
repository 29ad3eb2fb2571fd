/**
 * The local workspace's query engine: official parser → evaluation over
 * columnar tables → a result in the Log Analytics API shape.
 */
import type { QueryResult, ResultTable } from '../core/result-table.ts';
import type { Table } from './columns.ts';
import { type EvaluateOptions, Evaluator, type TimeRange } from './evaluate.ts';
import { analyzeOrThrow } from './kusto.ts';
import { toWire } from './values.ts';

export interface QueryOptions {
  /** now() in ms since the epoch; defaults to the current time. */
  now?: number;
  /** Query time range in ms, ending at `now`: applied to TimeGenerated of every table, like the API's timespan. */
  timespanMs?: number;
  maxRows?: number;
}

export type TableSource = (name: string) => Table | undefined;

/** Runs `text` over the tables `source` provides. Throws ChatopsError for bad or unsupported queries. */
export function runQuery(text: string, source: TableSource, options: QueryOptions = {}): QueryResult {
  const code = analyzeOrThrow(text);
  const now = options.now ?? Date.now();
  const timespan: TimeRange | undefined = options.timespanMs === undefined ? undefined : { start: now - options.timespanMs, end: now };
  const evalOptions: EvaluateOptions = { now, timespan, maxRows: options.maxRows };
  const { tables, render } = new Evaluator(source, evalOptions).run(code);
  const result: QueryResult = { tables: tables.map((t, i) => toResultTable(t, i === 0 ? 'PrimaryResult' : `Table_${i}`)) };
  if (render) result.render = render;
  return result;
}

export function toResultTable(t: Table, name: string): ResultTable {
  const rows = new Array(t.length);
  for (let r = 0; r < t.length; r++) rows[r] = t.columns.map((c, i) => toWire(t.data[i].get(r), c.type));
  return { name, columns: t.columns.map((c) => ({ name: c.name, type: c.type })), rows };
}
