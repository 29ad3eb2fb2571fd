/**
 * Imports CloudTrail log files, as AWS writes them to S3 (`{"Records":[...]}`, `.json.gz` or
 * `.json`), into the local workspace.
 *
 *   importCloudTrail(workspace, paths, { tenantId, receivedAt?, workers?, maxSegmentRows? })
 *     → Promise<ImportResult>
 *
 * - A path may be a file or a directory; directories are walked recursively in sorted order and
 *   only `.json` / `.json.gz` files are read. A file named explicitly with another extension, or
 *   a path that does not exist, is reported.
 * - Digest files (a path containing `CloudTrail-Digest`, or a JSON object without `Records` but
 *   with digest fields such as `digestStartTime`) are skipped and counted in `digests`.
 * - A malformed file (unreadable, bad gzip, bad JSON, no Records array) is reported with its path
 *   and skipped; a malformed record is reported with its path and its index in Records and
 *   skipped; everything else is imported (see cloudtrail-file.ts).
 * - Rows are deduplicated on eventID against the workspace and within the import.
 * - All rows of one call go into one segment; past `maxSegmentRows` (default 2^20) rows the batch
 *   is committed and a new one started, which bounds memory for very large imports.
 *
 * Throughput: with 8 files or more, `workers` threads (default: one per CPU, at most 4) read,
 * gunzip, parse and map whole files into column chunks; the main thread merges the chunks in file
 * order (one dictionary lookup per distinct value) and writes the segment. Fewer files are read
 * on the main thread, gunzip running on libuv's pool.
 */
import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type FileResult, isDigestPath, readCloudTrailFile } from './cloudtrail-file.ts';
import type { MapContext } from './cloudtrail-record.ts';
import type { RowBatch, Workspace } from './workspace.ts';

export interface ImportOptions {
  /** The Log Analytics workspace ID, stored in TenantId. */
  tenantId: string;
  /** `_TimeReceived` of every row (ms since epoch); default eventTime + 5 minutes. */
  receivedAt?: number;
  /** Worker threads (0: main thread only). Default: one per CPU (at most 4) when there are 8+ files. */
  workers?: number;
  /** Commit a segment after this many new rows (default 2^20). */
  maxSegmentRows?: number;
}

export interface ImportSkip {
  path: string;
  /** Index of the record in the file's Records array, for a malformed record. */
  position?: number;
  reason: string;
}

export interface ImportResult {
  /** CloudTrail log files found (digest files excluded). */
  files: number;
  /** Digest files skipped. */
  digests: number;
  /** Records found in the files that could be read. */
  records: number;
  /** Rows added to the workspace. */
  imported: number;
  /** Records whose eventID was already in the workspace or earlier in this import. */
  duplicates: number;
  /** Files and records that could not be imported, with the reason. */
  skipped: ImportSkip[];
}

function isLogFileName(name: string): boolean {
  return name.endsWith('.json') || name.endsWith('.json.gz');
}

/** Lists the files to read, in order; reports paths that cannot be used. */
async function listFiles(paths: readonly string[], skipped: ImportSkip[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && isLogFileName(e.name)) out.push(p);
    }
  };
  for (const path of paths) {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      skipped.push({ path, reason: code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${(e as Error).message}` });
      continue;
    }
    if (st.isDirectory()) await walk(path);
    else if (isLogFileName(path)) out.push(path);
    else skipped.push({ path, reason: 'not a .json or .json.gz file' });
  }
  return out;
}

/** Decodes files on worker threads; results come back per file. */
class WorkerPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (r: FileResult) => void; reject: (e: Error) => void }>();
  private readonly load: number[];
  private seq = 0;
  private failure: Error | undefined;
  constructor(n: number, ctx: MapContext) {
    const file = import.meta.url.endsWith('.ts') ? './import-worker.ts' : './import-worker.js';
    // execArgv: [] — a worker inherits the parent's flags, and some (--input-type with -e) stop it loading.
    this.workers = Array.from({ length: n }, () => new Worker(new URL(file, import.meta.url), { workerData: ctx, execArgv: [] }));
    this.load = this.workers.map(() => 0);
    this.workers.forEach((w, i) => {
      w.on('message', (msg: { seq: number; result: FileResult }) => {
        this.load[i]--;
        const p = this.pending.get(msg.seq);
        this.pending.delete(msg.seq);
        p?.resolve(msg.result);
      });
      w.on('error', (e) => this.fail(e as Error));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`import worker exited with code ${code}`));
      });
    });
  }
  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
  decode(path: string): Promise<FileResult> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const seq = this.seq++;
    let w = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.load[i] < this.load[w]) w = i;
    this.load[w]++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.workers[w].postMessage({ seq, path });
    });
  }
  async close(): Promise<void> {
    this.failure ??= new Error('import worker pool closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export async function importCloudTrail(ws: Workspace, paths: readonly string[], opts: ImportOptions): Promise<ImportResult> {
  const result: ImportResult = { files: 0, digests: 0, records: 0, imported: 0, duplicates: 0, skipped: [] };
  const files = await listFiles(paths, result.skipped);
  const maxRows = opts.maxSegmentRows ?? 1 << 20;
  const ctx: MapContext = { tenantId: opts.tenantId, receivedAt: opts.receivedAt };
  const nWorkers = opts.workers ?? (files.length >= 8 ? Math.min(availableParallelism(), 4) : 0);
  const pool = nWorkers > 0 ? new WorkerPool(nWorkers, ctx) : undefined;
  const decode = (path: string): Promise<FileResult> =>
    isDigestPath(path) ? Promise.resolve({ path, kind: 'digest' }) : pool !== undefined ? pool.decode(path) : readCloudTrailFile(path, ctx);
  // Files in flight: enough to keep every worker busy while the main thread merges.
  const ahead = pool !== undefined ? nWorkers * 3 : 4;
  const inFlight: Promise<FileResult>[] = [];
  let next = 0;
  const fill = () => {
    while (inFlight.length < ahead && next < files.length) {
      const p = decode(files[next++]);
      p.catch(() => undefined); // awaited in order below
      inFlight.push(p);
    }
  };
  let batch: RowBatch = ws.batch();
  const commit = async () => {
    const r = await ws.commit(batch);
    result.imported += r.appended;
    result.duplicates += batch.duplicates;
    batch = ws.batch();
  };
  try {
    fill();
    while (inFlight.length > 0) {
      const file = await inFlight.shift()!;
      fill();
      if (file.kind === 'digest') {
        result.digests++;
        continue;
      }
      result.files++;
      if (file.kind === 'error') {
        result.skipped.push({ path: file.path, reason: file.reason });
        continue;
      }
      result.records += file.records;
      for (const s of file.skipped) result.skipped.push({ path: file.path, position: s.position, reason: s.reason });
      batch.addChunk(file.chunk);
      if (batch.length >= maxRows) await commit();
    }
    await commit();
  } finally {
    await pool?.close();
  }
  return result;
}
