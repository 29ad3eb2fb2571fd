/**
 * One CloudTrail log file → its rows as a column chunk, plus the records it had to skip. Runs on
 * the main thread or in an import worker (import-worker.ts); the chunk's typed arrays can be
 * transferred to the main thread without copying.
 *
 * - Gzip is recognised by its magic bytes, whatever the file name says.
 * - A file is malformed when it cannot be read, is bad gzip or bad JSON, or has no `Records`
 *   array; a JSON object without `Records` but with digest fields is a digest file.
 * - A record is malformed as `mapCloudTrailRecord` says; its index in `Records` is reported.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import { AWSCLOUDTRAIL_COLUMNS, AWSCLOUDTRAIL_ECHOES } from './awscloudtrail-columns.ts';
import { type MapContext, mapCloudTrailRecord } from './cloudtrail-record.ts';
import { type ColumnChunk, tableToChunk } from './column-chunk.ts';
import { TableBuilder } from './table-builder.ts';

const gunzipAsync = promisify(gunzip);

export type FileResult =
  | { path: string; kind: 'digest' }
  | { path: string; kind: 'error'; reason: string }
  | { path: string; kind: 'records'; records: number; skipped: { position: number; reason: string }[]; chunk: ColumnChunk };

const DIGEST_FIELDS = ['digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestS3Object'];

export function isDigestPath(path: string): boolean {
  return path.includes('CloudTrail-Digest');
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parses a file's (decompressed) text and maps its records. */
export function decodeCloudTrailText(path: string, text: string, ctx: MapContext): FileResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { path, kind: 'error', reason: `not valid JSON: ${(e as Error).message}` };
  }
  const isObject = typeof doc === 'object' && doc !== null && !Array.isArray(doc);
  const records = isObject ? (doc as { Records?: unknown }).Records : undefined;
  if (!Array.isArray(records)) {
    if (isObject && DIGEST_FIELDS.some((f) => f in (doc as object))) return { path, kind: 'digest' };
    return { path, kind: 'error', reason: 'no Records array' };
  }
  const builder = new TableBuilder(AWSCLOUDTRAIL_COLUMNS, { echoes: AWSCLOUDTRAIL_ECHOES });
  const skipped: { position: number; reason: string }[] = [];
  for (let i = 0; i < records.length; i++) {
    const m = mapCloudTrailRecord(records[i], ctx);
    if (m.ok) builder.push(m.row);
    else skipped.push({ position: i, reason: m.reason });
  }
  return { path, kind: 'records', records: records.length, skipped, chunk: tableToChunk(builder.build()) };
}

function gunzipError(e: unknown): string {
  return `not valid gzip: ${(e as Error).message}`;
}

/** Reads, decompresses and decodes a file synchronously (for worker threads). */
export function readCloudTrailFileSync(path: string, ctx: MapContext): FileResult {
  if (isDigestPath(path)) return { path, kind: 'digest' };
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { path, kind: 'error', reason: `cannot read: ${(e as Error).message}` };
  }
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      return { path, kind: 'error', reason: gunzipError(e) };
    }
  } else if (path.endsWith('.gz')) return { path, kind: 'error', reason: 'not valid gzip: no gzip header' };
  return decodeCloudTrailText(path, bytes.toString('utf8'), ctx);
}

/** Reads and decompresses a file off the main thread (libuv pool); decoding runs on the caller's thread. */
export async function readCloudTrailFile(path: string, ctx: MapContext): Promise<FileResult> {
  if (isDigestPath(path)) return { path, kind: 'digest' };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return { path, kind: 'error', reason: `cannot read: ${(e as Error).message}` };
  }
  if (isGzip(bytes)) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (e) {
      return { path, kind: 'error', reason: gunzipError(e) };
    }
  } else if (path.endsWith('.gz')) return { path, kind: 'error', reason: 'not valid gzip: no gzip header' };
  return decodeCloudTrailText(path, bytes.toString('utf8'), ctx);
}
