/**
 * Imports CloudTrail log files, as AWS writes them to S3 (`{"Records":[...]}`, `.json.gz` or
 * `.json`), into the local workspace.
 *
 *   importCloudTrail(workspace, paths, { tenantId, receivedAt?, readAhead?, maxSegmentRows? })
 *     → Promise<ImportResult>
 *
 * - A path may be a file or a directory; directories are walked recursively in sorted order and
 *   only `.json` / `.json.gz` files are read. A file named on the command line with another
 *   extension is reported, not read.
 * - Digest files (a path containing `CloudTrail-Digest`, or a JSON object without `Records` but
 *   with digest fields such as `digestStartTime`) are skipped and counted in `digests`.
 * - Gzip is recognised by its magic bytes, whatever the name says.
 * - A malformed file (unreadable, bad gzip, bad JSON, no Records array) is reported with its path
 *   and skipped; a malformed record is reported with its path and its index in Records and
 *   skipped; everything else is imported.
 * - Rows are deduplicated on eventID against the workspace and within the import.
 * - All rows of one call go into one segment; past `maxSegmentRows` (default 2^20) rows the batch
 *   is committed and a new one started, which bounds memory for very large imports.
 *
 * Throughput: files are read and gunzipped ahead (`readAhead`, default 4) on libuv's thread pool
 * while the main thread parses and maps the previous ones.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { mapCloudTrailRecord } from './cloudtrail-record.ts';
import type { RowBatch, Workspace } from './workspace.ts';

const gunzipAsync = promisify(gunzip);

export interface ImportOptions {
  /** The Log Analytics workspace ID, stored in TenantId. */
  tenantId: string;
  /** `_TimeReceived` of every row (ms since epoch); default eventTime + 5 minutes. */
  receivedAt?: number;
  /** Files read and decompressed ahead of parsing (default 4). */
  readAhead?: number;
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

const DIGEST_FIELDS = ['digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestS3Object'];

function isLogFileName(name: string): boolean {
  return name.endsWith('.json') || name.endsWith('.json.gz');
}

function isDigestPath(path: string): boolean {
  return path.includes('CloudTrail-Digest');
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
      skipped.push({
        path,
        reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${(e as Error).message}`,
      });
      continue;
    }
    if (st.isDirectory()) await walk(path);
    else if (isLogFileName(path)) out.push(path);
    else skipped.push({ path, reason: 'not a .json or .json.gz file' });
  }
  return out;
}

type Loaded = { path: string; digest: true } | { path: string; text: string } | { path: string; error: string };

async function load(path: string): Promise<Loaded> {
  if (isDigestPath(path)) return { path, digest: true };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return { path, error: `cannot read: ${(e as Error).message}` };
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (e) {
      return { path, error: `not valid gzip: ${(e as Error).message}` };
    }
  } else if (path.endsWith('.gz')) {
    return { path, error: 'not valid gzip: no gzip header' };
  }
  return { path, text: bytes.toString('utf8') };
}

export async function importCloudTrail(ws: Workspace, paths: readonly string[], opts: ImportOptions): Promise<ImportResult> {
  const result: ImportResult = { files: 0, digests: 0, records: 0, imported: 0, duplicates: 0, skipped: [] };
  const files = await listFiles(paths, result.skipped);
  const readAhead = Math.max(1, opts.readAhead ?? 4);
  const maxRows = opts.maxSegmentRows ?? 1 << 20;
  const ctx = { tenantId: opts.tenantId, receivedAt: opts.receivedAt };
  const pending: Promise<Loaded>[] = [];
  let next = 0;
  const fill = () => {
    while (pending.length < readAhead && next < files.length) pending.push(load(files[next++]));
  };
  let batch: RowBatch = ws.batch();
  const commit = async () => {
    const r = await ws.commit(batch);
    result.imported += r.appended;
    result.duplicates += batch.duplicates;
    batch = ws.batch();
  };
  fill();
  while (pending.length > 0) {
    const loaded = await pending.shift()!;
    fill();
    const { path } = loaded;
    if ('digest' in loaded) {
      result.digests++;
      continue;
    }
    if ('error' in loaded) {
      result.files++;
      result.skipped.push({ path, reason: loaded.error });
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(loaded.text);
    } catch (e) {
      result.files++;
      result.skipped.push({ path, reason: `not valid JSON: ${(e as Error).message}` });
      continue;
    }
    const records = typeof doc === 'object' && doc !== null ? (doc as { Records?: unknown }).Records : undefined;
    if (!Array.isArray(records)) {
      if (typeof doc === 'object' && doc !== null && DIGEST_FIELDS.some((f) => f in doc)) {
        result.digests++;
        continue;
      }
      result.files++;
      result.skipped.push({ path, reason: 'no Records array' });
      continue;
    }
    result.files++;
    result.records += records.length;
    for (let i = 0; i < records.length; i++) {
      const m = mapCloudTrailRecord(records[i], ctx);
      if (!m.ok) {
        result.skipped.push({ path, position: i, reason: m.reason });
        continue;
      }
      batch.add(m.row);
    }
    if (batch.length >= maxRows) await commit();
  }
  await commit();
  return result;
}
