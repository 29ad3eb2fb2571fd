import { ChatopsError } from '../../../core/errors.ts';
import { parseIsoDuration } from '../../../core/iso-duration.ts';
import type { LogsGateway, LogsQuery } from '../../../core/questions/logs-gateway.ts';
import type { QueryResult } from '../../../core/result-table.ts';
import type { Table } from '../../../kql/columns.ts';
import { runQuery } from '../../../kql/engine.ts';

import { AWSCLOUDTRAIL_TABLE } from './awscloudtrail-columns.ts';

/** Runs a query on the local workspace's table, in this thread. */
export function runLocalQuery(table: Table, q: LogsQuery): QueryResult {
  let timespanMs: number | undefined;
  if (q.timespan !== undefined) {
    timespanMs = parseIsoDuration(q.timespan);
    if (timespanMs === undefined || timespanMs <= 0) {
      throw new ChatopsError(
        'bad_input',
        `timespan ${JSON.stringify(q.timespan)} is not an ISO 8601 duration such as P30D, PT12H or P1DT6H`,
      );
    }
  }
  return runQuery(q.kql, (name) => (name === AWSCLOUDTRAIL_TABLE ? table : undefined), { now: q.now, timespanMs });
}

/** The local workspace as a LogsGateway in this thread: for one-shot commands and benchmarks (serve uses the worker). */
export function inThreadLogsGateway(workspace: { table(): Table }): LogsGateway {
  return {
    query: async (q) => runLocalQuery(workspace.table(), q),
    close: async () => {},
  };
}
