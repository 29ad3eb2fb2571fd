/**
 * The local workspace's persistent `AWSCloudTrail` table, under `<dataDir>/workspace/`.
 *
 * On disk:
 *   workspace/manifest.json        the list of segments (written atomically: temp file, fsync,
 *                                  rename, fsync of the directory)
 *   workspace/segments/*.ctseg     immutable segments, one per commit (see segment-file.ts)
 * A segment is fsynced and renamed into place before the manifest that names it, so a crash at
 * any point leaves either the old or the new manifest, each naming only complete segments. Files
 * the manifest does not name (left by a crash) are removed by the next commit.
 *
 * In memory: one `Table` (src/kql/columns.ts) with every segment concatenated and dictionaries
 * merged. A commit merges the batch into that table first (the stored rows' codes never change,
 * new values go to the end of each dictionary) and then writes only the batch's rows and the new
 * dictionary values; loading concatenates the segments as written (assemble-segments.ts). Past
 * `compactAfter` segments a commit rewrites everything as one segment. Next to the table the
 * workspace keeps the hash of every dictionary value (stored in the segments too), so commits find
 * a batch's values in a big table, and check event IDs, without hashing stored strings.
 *
 * One row per `AwsEventId`: a batch drops rows whose event ID is already stored or already in the
 * batch (the set of stored IDs is built from the AwsEventId column on first use).
 *
 * API:
 *   openWorkspace(dataDir, opts?) → Promise<Workspace>   loads the table (empty if none yet)
 *   ws.table(): Table                                    the current table (immutable; replaced on commit)
 *   ws.stats(): WorkspaceStats                           rows, time range, rows per RecipientAccountId
 *   ws.hasEvent(eventId): boolean
 *   ws.batch(): RowBatch                                 batch.add(row) → false for a duplicate;
 *                                                        batch.addChunk(chunk) for a worker's columns
 *   ws.commit(batch) → Promise<CommitResult>             writes the batch as one segment
 *   ws.append(rows) → Promise<CommitResult>              batch + commit
 *   ws.compact() → Promise<void>                         rewrites all segments as one
 *   ws.segments(): SegmentInfo[]                         the manifest's segments (file, rows, bytes, time range)
 * Options: `verify` (default true) checks segment checksums on load; `compactAfter` (default 16).
 * Commits run one at a time. One process may write a data directory at a time (the app's data
 * directory lock); readers in other processes see a commit when they reopen.
 */
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type ColumnDef, DictStringColumn, NumberColumn, type Table } from '../../../kql/columns.ts';
import { appendTable, type DictHashes, dictHashesOf } from './append-table.ts';
import { SegmentAssembler, SegmentMismatchError } from './assemble-segments.ts';
import { AWSCLOUDTRAIL_COLUMNS, AWSCLOUDTRAIL_ECHOES, AWSCLOUDTRAIL_TABLE, type AwsCloudTrailRow } from './awscloudtrail-columns.ts';
import type { ColumnChunk } from './column-chunk.ts';
import { encodeSegment, readSegment, type SegmentStart, segmentStartOf } from './segment-file.ts';
import { HashedStringSet } from './string-hash.ts';
import { type StringBuilder, TableBuilder } from './table-builder.ts';

export const WORKSPACE_DIR = 'workspace';
const MANIFEST = 'manifest.json';
const SEGMENTS = 'segments';
const SEGMENT_EXT = '.ctseg';
const MANIFEST_FORMAT = 'sentinel-chatops.local-workspace';

export interface SegmentInfo {
  file: string;
  rows: number;
  bytes: number;
  minTime: number | null;
  maxTime: number | null;
}

interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  table: string;
  nextSeq: number;
  segments: SegmentInfo[];
}

export interface WorkspaceStats {
  rows: number;
  /** Earliest and latest TimeGenerated (ms since epoch), null when empty. */
  minTime: number | null;
  maxTime: number | null;
  /** Rows per RecipientAccountId, most rows first. */
  accounts: { id: string; rows: number }[];
}

export interface CommitResult {
  appended: number;
  duplicates: number;
  /** The segment file written, if any rows were appended. */
  segment?: string;
}

export interface OpenWorkspaceOptions {
  /** Check segment checksums while loading (default true). */
  verify?: boolean;
  /** Compact when a commit leaves more segments than this (default 16). */
  compactAfter?: number;
}

export class WorkspaceError extends Error {}

const COLUMNS: readonly ColumnDef[] = AWSCLOUDTRAIL_COLUMNS;
const ID_COLUMN = COLUMNS.findIndex((c) => c.name === 'AwsEventId');
/** Columns a commit never shares values with the stored rows (batches drop known event IDs). */
const DISJOINT = ['AwsEventId'];

function emptyManifest(): Manifest {
  return { format: MANIFEST_FORMAT, version: 1, table: AWSCLOUDTRAIL_TABLE, nextSeq: 1, segments: [] };
}

function emptyTable(): Table {
  return new TableBuilder(COLUMNS).build();
}

export async function openWorkspace(dataDir: string, opts: OpenWorkspaceOptions = {}): Promise<Workspace> {
  const dir = join(dataDir, WORKSPACE_DIR);
  const manifest = await readManifest(dir);
  const total = manifest.segments.reduce((n, s) => n + s.rows, 0);
  const assembler = new SegmentAssembler(COLUMNS, total);
  for (const seg of manifest.segments) {
    const path = join(dir, SEGMENTS, seg.file);
    const data = await readSegment(path, { verify: opts.verify ?? true });
    if (data.rows !== seg.rows) throw new WorkspaceError(`${path} has ${data.rows} rows, the manifest says ${seg.rows}`);
    try {
      assembler.add(data, path);
    } catch (e) {
      if (e instanceof SegmentMismatchError) throw new WorkspaceError(`${e.message}; the workspace cannot be loaded`);
      throw e;
    }
  }
  const table = manifest.segments.length === 0 ? emptyTable() : assembler.build();
  const hashes = manifest.segments.length === 0 ? dictHashesOf(table) : assembler.hashes();
  return new Workspace(dir, manifest, table, hashes, opts.compactAfter ?? 16);
}

/** Rows in the workspace, from its manifest alone: no segment is read. */
export async function workspaceRows(dataDir: string): Promise<number> {
  const manifest = await readManifest(join(dataDir, WORKSPACE_DIR));
  return manifest.segments.reduce((n, s) => n + s.rows, 0);
}

async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyManifest();
    throw e;
  }
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch {
    throw new WorkspaceError(`${join(dir, MANIFEST)} is not valid JSON; restore it or move the workspace directory away`);
  }
  if (m.format !== MANIFEST_FORMAT || m.version !== 1 || !Array.isArray(m.segments)) {
    throw new WorkspaceError(`${join(dir, MANIFEST)} is not a version 1 local workspace manifest`);
  }
  return m;
}

/** Rows for one commit: drops rows whose AwsEventId is stored or already in the batch. */
export class RowBatch {
  readonly generation: number;
  #builder = new TableBuilder(COLUMNS, { echoes: AWSCLOUDTRAIL_ECHOES });
  #ids: StringBuilder;
  #known: (id: string) => boolean;
  #duplicates = 0;
  constructor(generation: number, known: (id: string) => boolean) {
    this.generation = generation;
    this.#known = known;
    this.#ids = this.#builder.stringColumn('AwsEventId');
  }
  get length(): number {
    return this.#builder.length;
  }
  get duplicates(): number {
    return this.#duplicates;
  }
  /** Adds a row; false (and counted) when its event ID is already stored or batched. */
  add(row: AwsCloudTrailRow): boolean {
    const id = row.AwsEventId;
    if (typeof id !== 'string' || id === '') throw new WorkspaceError('a row needs a non-empty AwsEventId');
    if (this.#ids.index.has(id) || this.#known(id)) {
      this.#duplicates++;
      return false;
    }
    this.#builder.push(row);
    return true;
  }
  /**
   * Adds the rows of a chunk built with the AWSCloudTrail columns (see cloudtrail-file.ts),
   * dropping (and counting) rows whose event ID is stored, batched, or repeated in the chunk.
   * Returns the number of rows added.
   */
  addChunk(chunk: ColumnChunk): number {
    let idCol = chunk.columns[ID_COLUMN];
    while (idCol.kind === 'alias') idCol = chunk.columns[idCol.of];
    let dict: readonly string[];
    let codes: Uint32Array | undefined;
    if (idCol.kind === 'dict') ({ dict, codes } = idCol);
    else if (idCol.kind === 'const') dict = [idCol.value];
    else throw new Error('chunk AwsEventId is not a string column');
    // Per distinct ID: 0 not seen yet, 1 taken, 2 duplicate.
    const state = new Uint8Array(dict.length);
    for (let k = 0; k < dict.length; k++) if (this.#ids.index.has(dict[k]) || this.#known(dict[k])) state[k] = 2;
    let keep: Uint8Array | undefined;
    for (let r = 0; r < chunk.rows; r++) {
      const k = codes === undefined ? 0 : codes[r];
      if (state[k] === 0) {
        state[k] = 1;
        continue;
      }
      if (keep === undefined) keep = new Uint8Array(chunk.rows).fill(1);
      keep[r] = 0;
      this.#duplicates++;
    }
    return this.#builder.appendChunk(chunk, keep);
  }
  /** The event IDs in the batch (distinct). */
  eventIds(): readonly string[] {
    return this.#ids.dict;
  }
  build(): Table {
    return this.#builder.build();
  }
}

export class Workspace {
  /** `<dataDir>/workspace` */
  readonly dir: string;
  #manifest: Manifest;
  #table: Table;
  /** Hashes of the table's dictionary values, per column (string-hash.ts). */
  #hashes: DictHashes;
  #compactAfter: number;
  #generation = 0;
  #knownIds: HashedStringSet | undefined;
  #stats: WorkspaceStats | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string, manifest: Manifest, table: Table, hashes: DictHashes, compactAfter: number) {
    this.dir = dir;
    this.#manifest = manifest;
    this.#table = table;
    this.#hashes = hashes;
    this.#compactAfter = compactAfter;
  }

  table(): Table {
    return this.#table;
  }

  segments(): readonly SegmentInfo[] {
    return this.#manifest.segments;
  }

  stats(): WorkspaceStats {
    this.#stats ??= computeStats(this.#table);
    return this.#stats;
  }

  hasEvent(eventId: string): boolean {
    return this.#ids().has(eventId);
  }

  batch(): RowBatch {
    const ids = this.#ids();
    return new RowBatch(this.#generation, (id) => ids.has(id));
  }

  async append(rows: Iterable<AwsCloudTrailRow>): Promise<CommitResult> {
    const b = this.batch();
    for (const row of rows) b.add(row);
    return this.commit(b);
  }

  commit(batch: RowBatch): Promise<CommitResult> {
    return this.#exclusive(async () => {
      if (batch.generation !== this.#generation) {
        throw new WorkspaceError('this batch was started before another commit; start a new batch and add its rows again');
      }
      if (batch.length === 0) return { appended: 0, duplicates: batch.duplicates };
      const seg = batch.build();
      // The new in-memory table first: the segment stores its rows with the dictionaries' new values.
      const current = this.#table;
      const segHashes = dictHashesOf(seg);
      const merged =
        current.length === 0
          ? { table: seg, hashes: segHashes }
          : appendTable(current, this.#hashes, seg, segHashes, { disjoint: DISJOINT });
      const info = await this.#writeSegment(merged.table, merged.hashes, current.length === 0 ? undefined : segmentStartOf(current));
      await this.#writeManifest({ ...this.#manifest, nextSeq: this.#manifest.nextSeq + 1, segments: [...this.#manifest.segments, info] });
      this.#table = merged.table;
      this.#hashes = merged.hashes;
      if (this.#knownIds !== undefined) for (const id of batch.eventIds()) this.#knownIds.add(id);
      this.#generation++;
      this.#stats = undefined;
      if (this.#manifest.segments.length > this.#compactAfter) await this.#compactNow();
      return { appended: seg.length, duplicates: batch.duplicates, segment: info.file };
    });
  }

  compact(): Promise<void> {
    return this.#exclusive(() => this.#compactNow());
  }

  #ids(): HashedStringSet {
    if (this.#knownIds === undefined) {
      const col = this.#table.data[ID_COLUMN];
      // Every row has a distinct non-empty ID, so the dictionary is the set of IDs (plus "" in an empty table).
      const stored = col instanceof DictStringColumn && this.#table.length > 0;
      this.#knownIds = stored ? new HashedStringSet(col.dict, this.#hashes[ID_COLUMN]) : new HashedStringSet();
    }
    return this.#knownIds;
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #compactNow(): Promise<void> {
    if (this.#manifest.segments.length <= 1) return;
    const info = await this.#writeSegment(this.#table, this.#hashes);
    await this.#writeManifest({ ...this.#manifest, nextSeq: this.#manifest.nextSeq + 1, segments: [info] });
    await this.#removeStrays();
  }

  /** Writes the rows of `table` from `start` (default: all) as a new segment file. */
  async #writeSegment(table: Table, hashes: DictHashes, start?: SegmentStart): Promise<SegmentInfo> {
    const segDir = join(this.dir, SEGMENTS);
    await mkdir(segDir, { recursive: true });
    await this.#removeStrays();
    const file = `seg-${String(this.#manifest.nextSeq).padStart(6, '0')}-${randomBytes(4).toString('hex')}${SEGMENT_EXT}`;
    const encoded = encodeSegment(table, start, hashes);
    await writeFileDurably(join(segDir, file), encoded.parts);
    const [minTime, maxTime] = timeRange(table, start?.rows ?? 0);
    return { file, rows: table.length - (start?.rows ?? 0), bytes: encoded.bytes, minTime, maxTime };
  }

  async #writeManifest(m: Manifest): Promise<void> {
    await writeFileDurably(join(this.dir, MANIFEST), [Buffer.from(`${JSON.stringify(m, null, 1)}\n`, 'utf8')]);
    this.#manifest = m;
  }

  /** Deletes segment files the manifest does not name (temp files and leftovers of a crash). */
  async #removeStrays(): Promise<void> {
    const named = new Set(this.#manifest.segments.map((s) => s.file));
    let names: string[];
    try {
      names = await readdir(join(this.dir, SEGMENTS));
    } catch {
      return;
    }
    for (const n of names) if (!named.has(n)) await rm(join(this.dir, SEGMENTS, n), { force: true });
  }
}

/** Writes a file so that it appears complete or not at all: temp file, fsync, rename, fsync dir. */
async function writeFileDurably(path: string, parts: readonly Uint8Array[]): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    for (const p of parts) await writeAll(fh, p);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await syncDir(join(path, '..'));
}

async function writeAll(fh: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.byteLength) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.byteLength - done);
    done += bytesWritten;
  }
}

async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Directories cannot be opened for fsync on some platforms (Windows); the rename still happened.
  } finally {
    await fh?.close();
  }
}

function column(table: Table, name: string) {
  return table.data[table.columns.findIndex((c) => c.name === name)];
}

function timeRange(table: Table, from = 0): [number | null, number | null] {
  const col = column(table, 'TimeGenerated');
  if (!(col instanceof NumberColumn)) return [null, null];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const d = col.data;
  for (let i = from; i < d.length; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [null, null];
}

function computeStats(table: Table): WorkspaceStats {
  const [minTime, maxTime] = timeRange(table);
  const accounts: { id: string; rows: number }[] = [];
  const col = column(table, 'RecipientAccountId');
  if (col instanceof DictStringColumn && table.length > 0) {
    const counts = new Float64Array(col.dict.length);
    const codes = col.codes;
    for (let i = 0; i < codes.length; i++) counts[codes[i]]++;
    col.dict.forEach((id, code) => {
      if (id !== '' && counts[code] > 0) accounts.push({ id, rows: counts[code] });
    });
    accounts.sort((a, b) => b.rows - a.rows || (a.id < b.id ? -1 : 1));
  }
  return { rows: table.length, minTime, maxTime, accounts };
}
