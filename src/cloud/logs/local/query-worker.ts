/**
 * Worker thread that owns the local workspace's data and the Kusto parser, so
 * parsing and query execution never block the bot's event loop. Warmed at
 * start: the parser's first analysis takes 1-2 s, later ones ~20 ms.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { asChatopsError } from '../../../core/errors.ts';
import type { LogsQuery } from '../../../core/questions/logs-gateway.ts';
import { runLocalQuery } from './run-local-query.ts';
import { openWorkspace, type Workspace } from './workspace.ts';

export type WorkerRequest = { id: number; type: 'query'; query: LogsQuery } | { id: number; type: 'reload' };
export type WorkerResponse =
  | { id: -1; ok: true; result: { ready: true; rows: number } }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string } };

const port = parentPort;
if (!port) throw new Error('query-worker.ts runs only as a worker thread');

let workspace: Workspace = await openWorkspace((workerData as { dataDir: string }).dataDir);
runLocalQuery(workspace.table(), { kql: 'AWSCloudTrail | take 1 | summarize count() by bin(TimeGenerated, 1d)' });
port.postMessage({ id: -1, ok: true, result: { ready: true, rows: workspace.table().length } } satisfies WorkerResponse);

port.on('message', async (req: WorkerRequest) => {
  try {
    if (req.type === 'reload') {
      workspace = await openWorkspace((workerData as { dataDir: string }).dataDir);
      port.postMessage({ id: req.id, ok: true, result: { rows: workspace.table().length } } satisfies WorkerResponse);
      return;
    }
    port.postMessage({ id: req.id, ok: true, result: runLocalQuery(workspace.table(), req.query) } satisfies WorkerResponse);
  } catch (e) {
    const err = asChatopsError(e);
    port.postMessage({ id: req.id, ok: false, error: { code: err.code, message: err.message } } satisfies WorkerResponse);
  }
});
