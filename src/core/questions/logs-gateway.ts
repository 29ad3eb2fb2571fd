import type { QueryResult } from '../result-table.ts';

/** A KQL query for a workspace, with the query time range the Log Analytics API takes. */
export interface LogsQuery {
  kql: string;
  /** ISO 8601 duration ending at `now` (e.g. "P30D"), applied to TimeGenerated of every table. */
  timespan?: string;
  /** Fixes now() and the end of the time range (ms since the epoch); defaults to the current time. */
  now?: number;
}

/** Runs KQL against a workspace: the local workspace, or Log Analytics. */
export interface LogsGateway {
  query(q: LogsQuery): Promise<QueryResult>;
  close(): Promise<void>;
}
