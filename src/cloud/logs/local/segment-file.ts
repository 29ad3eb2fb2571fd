/**
 * The binary file of one immutable workspace segment: rows of the table as raw little-endian typed
 * arrays and length-prefixed UTF-8 dictionaries.
 *
 * Segments are appended in order and each string column's dictionary grows across them: a segment
 * stores only the values that are new relative to the segments before it (`base` = how many values
 * those hold), and its codes index the whole dictionary so far. Loading therefore concatenates
 * dictionaries and codes without hashing a single string (see assemble-segments.ts). A segment
 * with `base` 0 everywhere (the first one, or one written by compaction) stands alone.
 *
 * Layout:
 *   bytes 0-7    magic "CTWSEG02" ("CTWSEG01" was a development format without delta
 *                dictionaries and hashes; it is refused with a message)
 *   bytes 8-11   u32 LE: byte length H of the header
 *   bytes 12-15  u32 LE: 0 (reserved)
 *   bytes 16-…   header: UTF-8 JSON `SegmentHeader`
 *   then, from D = align8(16 + H), the blocks; a block `{off, len, crc}` sits at D + off (off is a
 *   multiple of 8, so typed arrays can be read straight into place) and `crc` is its CRC-32.
 *
 * Column encodings (`SegmentColumn.enc`):
 *   f64    datetime/real/…: Float64Array, NaN = null (datetimes are ms since the epoch)
 *   u8     bool: Uint8Array, 0 false, 1 true, 2 null
 *   const  string whose whole dictionary (up to and including this segment) is the one `value`
 *   dict   string: codes + the new dictionary values. Codes are stored `width` bytes wide (1, 2
 *          or 4: the narrowest that holds the dictionary's size) and widened to a Uint32Array on
 *          load. New values are `lengths` (Uint32Array, the UTF-16 length of each) and text
 *          chunks (the values concatenated, UTF-8; `ascii` marks a chunk of 7-bit characters,
 *          decoded as Latin-1) of at most 2^26 characters, far below V8's string length limit,
 *          and `hashes` (Uint32Array, string-hash.ts) of the new values.
 *   alias  string column equal to an earlier column (`of`) on every row so far: no block.
 *
 * Loading reads each block into its own ArrayBuffer (no staging copy kept), decodes a text chunk
 * once and slices the values out of it.
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import type { KustoType } from '../../../core/result-table.ts';
import { BoolColumn, type Column, DictStringColumn, NumberColumn, type Table } from '../../../kql/columns.ts';
import type { DictHashes } from './append-table.ts';
import { hashAll } from './string-hash.ts';

if (endianness() !== 'LE') throw new Error('the local workspace store needs a little-endian machine');

const MAGIC = 'CTWSEG02';
const OLD_MAGIC = 'CTWSEG01';
const PREFIX_BYTES = 16;
const TEXT_CHUNK_CHARS = 1 << 26;

export interface Block {
  off: number;
  len: number;
  crc: number;
}

export interface TextChunk {
  count: number;
  ascii: boolean;
  text: Block;
}

export type SegmentColumn =
  | { name: string; type: KustoType; enc: 'f64'; data: Block }
  | { name: string; type: KustoType; enc: 'u8'; data: Block }
  | { name: string; type: KustoType; enc: 'const'; value: string }
  | {
      name: string;
      type: KustoType;
      enc: 'dict';
      codes: Block;
      width: 1 | 2 | 4;
      /** Dictionary values held by earlier segments. */
      base: number;
      /** New dictionary values in this segment. */
      count: number;
      lengths: Block;
      chunks: TextChunk[];
      hashes: Block;
    }
  | { name: string; type: KustoType; enc: 'alias'; of: string };

export interface SegmentHeader {
  version: 1;
  rows: number;
  columns: SegmentColumn[];
}

/** A decoded column of a segment. */
export type SegmentPart =
  | { kind: 'number'; type: KustoType; data: Float64Array }
  | { kind: 'bool'; data: Uint8Array }
  | { kind: 'const'; type: KustoType; value: string }
  /** `codes` index the dictionary of all segments so far; `dict` holds the values new here. */
  | { kind: 'strings'; type: KustoType; base: number; dict: string[]; codes: Uint32Array; hashes: Uint32Array }
  | { kind: 'alias'; of: string };

export interface SegmentData {
  rows: number;
  columns: Map<string, SegmentPart>;
}

export interface EncodedSegment {
  /** The file's bytes, in order. */
  parts: Uint8Array[];
  bytes: number;
}

/** Where the rows of a segment start in a table: rows before it and each column's dictionary size. */
export interface SegmentStart {
  rows: number;
  dictLengths: readonly number[];
}

export function segmentStartOf(table: Table): SegmentStart {
  return { rows: table.length, dictLengths: table.data.map((c) => (c instanceof DictStringColumn ? c.dict.length : 0)) };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function bytesOf(a: Float64Array | Uint32Array | Uint16Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Encodes the rows of `table` from `start` on (default: all rows, a standalone segment). The
 * table's dictionaries must extend those it had at `start` (as `appendTable` does). `hashes` are
 * the hashes of the dictionaries' values, per column (computed when not given).
 */
export function encodeSegment(table: Table, start?: SegmentStart, hashes?: DictHashes): EncodedSegment {
  const from = start?.rows ?? 0;
  const rows = table.length - from;
  const blocks: Uint8Array[] = [];
  let pos = 0;
  const padding = new Uint8Array(8);
  const add = (bytes: Uint8Array): Block => {
    const block = { off: pos, len: bytes.byteLength, crc: crc32(bytes) };
    blocks.push(bytes);
    pos += bytes.byteLength;
    const pad = align8(pos) - pos;
    if (pad > 0) {
      blocks.push(padding.subarray(0, pad));
      pos += pad;
    }
    return block;
  };
  const seen = new Map<Column, string>();
  const header: SegmentHeader = { version: 1, rows, columns: [] };
  table.columns.forEach(({ name, type }, c) => {
    const col = table.data[c];
    const earlier = seen.get(col);
    if (earlier !== undefined) {
      header.columns.push({ name, type, enc: 'alias', of: earlier });
      return;
    }
    seen.set(col, name);
    if (col instanceof NumberColumn) header.columns.push({ name, type, enc: 'f64', data: add(bytesOf(col.data.subarray(from))) });
    else if (col instanceof BoolColumn) header.columns.push({ name, type, enc: 'u8', data: add(bytesOf(col.data.subarray(from))) });
    else if (col instanceof DictStringColumn) {
      const { dict } = col;
      const base = start === undefined ? 0 : start.dictLengths[c];
      if (dict.length === 1) {
        header.columns.push({ name, type, enc: 'const', value: dict[0] });
        return;
      }
      if (base > dict.length) throw new Error(`column ${name}: the dictionary shrank since the segment start`);
      const lengths = new Uint32Array(dict.length - base);
      const chunks: TextChunk[] = [];
      let first = base;
      let chars = 0;
      for (let i = base; i <= dict.length; i++) {
        if (i === dict.length || (chars + dict[i].length > TEXT_CHUNK_CHARS && i > first)) {
          if (i > first) {
            const text = dict.slice(first, i).join('');
            const bytes = Buffer.from(text, 'utf8');
            chunks.push({ count: i - first, ascii: bytes.length === text.length, text: add(bytes) });
          }
          first = i;
          chars = 0;
        }
        if (i < dict.length) {
          lengths[i - base] = dict[i].length;
          chars += dict[i].length;
        }
      }
      const own = col.codes.subarray(from);
      const width = dict.length <= 0x100 ? 1 : dict.length <= 0x10000 ? 2 : 4;
      const codes = width === 1 ? Uint8Array.from(own) : width === 2 ? Uint16Array.from(own) : own;
      const given = hashes?.[c];
      if (given !== undefined && given.length !== dict.length)
        throw new Error(`column ${name}: ${given.length} hashes for ${dict.length} values`);
      const newHashes = given === undefined ? hashAll(dict, base) : given.subarray(base);
      header.columns.push({
        name,
        type,
        enc: 'dict',
        codes: add(bytesOf(codes)),
        width,
        base,
        count: dict.length - base,
        lengths: add(bytesOf(lengths)),
        chunks,
        hashes: add(bytesOf(newHashes)),
      });
    } else throw new Error(`column ${name}: only number, bool and dictionary string columns can be stored`);
  });
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.length, 8);
  const dataStart = align8(PREFIX_BYTES + headerBytes.length);
  const parts: Uint8Array[] = [prefix, headerBytes, padding.subarray(0, dataStart - PREFIX_BYTES - headerBytes.length), ...blocks];
  return { parts, bytes: dataStart + pos };
}

export class SegmentFormatError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`workspace segment ${path}: ${message}`);
    this.path = path;
  }
}

async function readExactly(fh: FileHandle, into: Uint8Array, position: number, path: string): Promise<void> {
  let done = 0;
  while (done < into.byteLength) {
    const { bytesRead } = await fh.read(into, done, into.byteLength - done, position + done);
    if (bytesRead === 0) throw new SegmentFormatError(path, `file ends early (wanted ${into.byteLength} bytes at ${position})`);
    done += bytesRead;
  }
}

export interface ReadSegmentOptions {
  /** Check every block's CRC-32 and every code's range (default true). */
  verify?: boolean;
}

/** Reads a segment file written from `encodeSegment`. Throws `SegmentFormatError` if it is damaged. */
export async function readSegment(path: string, opts: ReadSegmentOptions = {}): Promise<SegmentData> {
  const verify = opts.verify ?? true;
  const fh = await open(path, 'r');
  try {
    const prefix = Buffer.alloc(PREFIX_BYTES);
    await readExactly(fh, prefix, 0, path);
    const magic = prefix.toString('latin1', 0, 8);
    if (magic === OLD_MAGIC) {
      throw new SegmentFormatError(
        path,
        'written in an older development format; move the workspace directory away and import or generate the data again',
      );
    }
    if (magic !== MAGIC) throw new SegmentFormatError(path, 'not a workspace segment (bad magic)');
    const headerLen = prefix.readUInt32LE(8);
    const headerBytes = Buffer.alloc(headerLen);
    await readExactly(fh, headerBytes, PREFIX_BYTES, path);
    let header: SegmentHeader;
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as SegmentHeader;
    } catch {
      throw new SegmentFormatError(path, 'damaged header');
    }
    if (header.version !== 1) throw new SegmentFormatError(path, `unknown version ${header.version}`);
    const dataStart = align8(PREFIX_BYTES + headerLen);
    const rows = header.rows;
    const readBlock = async (b: Block, into: Uint8Array): Promise<void> => {
      if (into.byteLength !== b.len) throw new SegmentFormatError(path, 'block size does not match the row count');
      await readExactly(fh, into, dataStart + b.off, path);
      if (verify && crc32(into) !== b.crc) throw new SegmentFormatError(path, `checksum mismatch in block at ${b.off}`);
    };
    const columns = new Map<string, SegmentPart>();
    let scratch = Buffer.alloc(0);
    for (const sc of header.columns) {
      switch (sc.enc) {
        case 'f64': {
          const a = new Float64Array(rows);
          await readBlock(sc.data, bytesOf(a));
          columns.set(sc.name, { kind: 'number', type: sc.type, data: a });
          break;
        }
        case 'u8': {
          const a = new Uint8Array(rows);
          await readBlock(sc.data, a);
          columns.set(sc.name, { kind: 'bool', data: a });
          break;
        }
        case 'const':
          columns.set(sc.name, { kind: 'const', type: sc.type, value: sc.value });
          break;
        case 'alias':
          if (!columns.has(sc.of)) throw new SegmentFormatError(path, `column ${sc.name} refers to unknown column ${sc.of}`);
          columns.set(sc.name, { kind: 'alias', of: sc.of });
          break;
        case 'dict': {
          const codes = new Uint32Array(rows);
          if (sc.width === 1 || sc.width === 2) {
            const narrow = sc.width === 1 ? new Uint8Array(rows) : new Uint16Array(rows);
            await readBlock(sc.codes, bytesOf(narrow));
            codes.set(narrow);
          } else await readBlock(sc.codes, bytesOf(codes));
          const lengths = new Uint32Array(sc.count);
          await readBlock(sc.lengths, bytesOf(lengths));
          const dict: string[] = new Array(sc.count);
          let i = 0;
          for (const chunk of sc.chunks) {
            if (scratch.length < chunk.text.len) scratch = Buffer.allocUnsafe(chunk.text.len);
            const bytes = scratch.subarray(0, chunk.text.len);
            await readBlock(chunk.text, bytes);
            const text = bytes.toString(chunk.ascii ? 'latin1' : 'utf8');
            let p = 0;
            const end = i + chunk.count;
            for (; i < end; i++) {
              const q = p + lengths[i];
              dict[i] = text.slice(p, q);
              p = q;
            }
            if (p !== text.length) throw new SegmentFormatError(path, `dictionary of ${sc.name} does not match its lengths`);
          }
          if (i !== sc.count) throw new SegmentFormatError(path, `dictionary of ${sc.name} is short`);
          const size = sc.base + sc.count;
          if (verify)
            for (let r = 0; r < rows; r++)
              if (codes[r] >= size) throw new SegmentFormatError(path, `column ${sc.name} has a code out of range`);
          const hashes = new Uint32Array(sc.count);
          await readBlock(sc.hashes, bytesOf(hashes));
          columns.set(sc.name, { kind: 'strings', type: sc.type, base: sc.base, dict, codes, hashes });
          break;
        }
      }
    }
    return { rows, columns };
  } finally {
    await fh.close();
  }
}
