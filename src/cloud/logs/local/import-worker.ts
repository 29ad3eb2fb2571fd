/**
 * Worker thread of `importCloudTrail`: reads, decompresses, parses and maps the files it is sent
 * and posts each file's rows back as a column chunk (typed arrays transferred, not copied).
 * workerData: MapContext. Messages in: `{ seq, path }`; out: `{ seq, result: FileResult }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readCloudTrailFileSync } from './cloudtrail-file.ts';
import type { MapContext } from './cloudtrail-record.ts';
import { chunkTransferList } from './column-chunk.ts';

const ctx = workerData as MapContext;
const port = parentPort;
if (port === null) throw new Error('import-worker.ts runs as a worker thread');
port.on('message', (msg: { seq: number; path: string }) => {
  const result = readCloudTrailFileSync(msg.path, ctx);
  port.postMessage({ seq: msg.seq, result }, result.kind === 'records' ? chunkTransferList(result.chunk) : []);
});
