/**
 * The binary file of one immutable workspace segment: a table's columns as raw little-endian
 * typed arrays and length-prefixed UTF-8 dictionaries.
 *
 * Layout:
 *   bytes 0-7    magic "CTWSEG01"
 *   bytes 8-11   u32 LE: byte length H of the header
 *   bytes 12-15  u32 LE: 0 (reserved)
 *   bytes 16-…   header: UTF-8 JSON `SegmentHeader`
 *   then, from D = align8(16 + H), the blocks; a block `{off, len, crc}` sits at D + off (off is a
 *   multiple of 8, so typed arrays can be read straight into place) and `crc` is its CRC-32.
 *
 * Column encodings (`SegmentColumn.enc`):
 *   f64    datetime/real/…: Float64Array, NaN = null (datetimes are ms since the epoch)
 *   u8     bool: Uint8Array, 0 false, 1 true, 2 null
 *   const  string with one value on every row: no block, `value` in the header
 *   dict   string: codes + dictionary. Codes are stored `width` bytes wide (1, 2 or 4: the
 *          narrowest that holds the dictionary's size) and widened to a Uint32Array on load.
 *          The dictionary is `lengths` (Uint32Array, the
 *          UTF-16 length of each value) and one or more text chunks (the values concatenated,
 *          UTF-8; `ascii` marks a chunk of 7-bit characters, decoded as Latin-1). Chunks hold at
 *          most 2^26 characters, far below V8's string length limit.
 *   alias  string column equal to an earlier column (`of`): no block.
 *
 * Loading reads each block into its own ArrayBuffer (no copy, no staging buffer held), decodes
 * a text chunk once and slices the values out of it.
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import type { KustoType } from '../../../core/result-table.ts';
import { BoolColumn, type Column, type ColumnDef, DictStringColumn, NumberColumn } from '../../../kql/columns.ts';
import { ZeroCodes } from './table-builder.ts';

if (endianness() !== 'LE') throw new Error('the local workspace store needs a little-endian machine');

const MAGIC = 'CTWSEG01';
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
  | { name: string; type: KustoType; enc: 'dict'; codes: Block; width: 1 | 2 | 4; count: number; lengths: Block; chunks: TextChunk[] }
  | { name: string; type: KustoType; enc: 'alias'; of: string };

export interface SegmentHeader {
  version: 1;
  rows: number;
  columns: SegmentColumn[];
}

/** A decoded segment: columns by name, in file order. */
export interface SegmentData {
  rows: number;
  columns: Map<string, Column>;
}

export interface EncodedSegment {
  /** The file's bytes, in order. */
  parts: Uint8Array[];
  bytes: number;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function bytesOf(a: Float64Array | Uint32Array | Uint16Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export function encodeSegment(columns: readonly ColumnDef[], data: readonly Column[], rows: number): EncodedSegment {
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
  for (let c = 0; c < columns.length; c++) {
    const { name, type } = columns[c];
    const col = data[c];
    if (col.length !== rows) throw new Error(`column ${name} has ${col.length} rows, expected ${rows}`);
    const earlier = seen.get(col);
    if (earlier !== undefined) {
      header.columns.push({ name, type, enc: 'alias', of: earlier });
      continue;
    }
    seen.set(col, name);
    if (col instanceof NumberColumn) header.columns.push({ name, type, enc: 'f64', data: add(bytesOf(col.data)) });
    else if (col instanceof BoolColumn) header.columns.push({ name, type, enc: 'u8', data: add(bytesOf(col.data)) });
    else if (col instanceof DictStringColumn) {
      if (col.dict.length === 1) header.columns.push({ name, type, enc: 'const', value: col.dict[0] });
      else {
        const { dict } = col;
        const lengths = new Uint32Array(dict.length);
        const chunks: TextChunk[] = [];
        let start = 0;
        let chars = 0;
        for (let i = 0; i <= dict.length; i++) {
          if (i === dict.length || (chars + dict[i].length > TEXT_CHUNK_CHARS && i > start)) {
            const text = dict.slice(start, i).join('');
            const bytes = Buffer.from(text, 'utf8');
            if (i > start) chunks.push({ count: i - start, ascii: bytes.length === text.length, text: add(bytes) });
            start = i;
            chars = 0;
          }
          if (i < dict.length) {
            lengths[i] = dict[i].length;
            chars += dict[i].length;
          }
        }
        const width = dict.length <= 0x100 ? 1 : dict.length <= 0x10000 ? 2 : 4;
        const codes = width === 1 ? Uint8Array.from(col.codes) : width === 2 ? Uint16Array.from(col.codes) : col.codes;
        header.columns.push({
          name,
          type,
          enc: 'dict',
          codes: add(bytesOf(codes)),
          width,
          count: dict.length,
          lengths: add(bytesOf(lengths)),
          chunks,
        });
      }
    } else throw new Error(`column ${name}: only number, bool and dictionary string columns can be stored`);
  }
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
  /** Check every block's CRC-32 (default true). */
  verify?: boolean;
}

/** Reads a segment file written from `encodeSegment`. Throws `SegmentFormatError` if it is damaged. */
export async function readSegment(path: string, opts: ReadSegmentOptions = {}): Promise<SegmentData> {
  const verify = opts.verify ?? true;
  const fh = await open(path, 'r');
  try {
    const prefix = Buffer.alloc(PREFIX_BYTES);
    await readExactly(fh, prefix, 0, path);
    if (prefix.toString('latin1', 0, 8) !== MAGIC) throw new SegmentFormatError(path, 'not a workspace segment (bad magic)');
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
    const zeros = new ZeroCodes(rows);
    const columns = new Map<string, Column>();
    let scratch = Buffer.alloc(0);
    for (const sc of header.columns) {
      switch (sc.enc) {
        case 'f64': {
          const a = new Float64Array(rows);
          await readBlock(sc.data, bytesOf(a));
          columns.set(sc.name, new NumberColumn(sc.type, a));
          break;
        }
        case 'u8': {
          const a = new Uint8Array(rows);
          await readBlock(sc.data, a);
          columns.set(sc.name, new BoolColumn(a));
          break;
        }
        case 'const':
          columns.set(sc.name, new DictStringColumn(sc.type, zeros.get(), [sc.value]));
          break;
        case 'alias': {
          const of = columns.get(sc.of);
          if (of === undefined) throw new SegmentFormatError(path, `column ${sc.name} refers to unknown column ${sc.of}`);
          columns.set(sc.name, of);
          break;
        }
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
          if (verify)
            for (let r = 0; r < rows; r++)
              if (codes[r] >= sc.count) throw new SegmentFormatError(path, `column ${sc.name} has a code out of range`);
          columns.set(sc.name, new DictStringColumn(sc.type, codes, dict));
          break;
        }
      }
    }
    return { rows, columns };
  } finally {
    await fh.close();
  }
}
