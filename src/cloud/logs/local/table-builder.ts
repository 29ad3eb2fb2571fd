/**
 * Builds a columnar `Table` (src/kql/columns.ts) from rows, one growable typed array per column:
 * datetime/real/long/… → Float64Array (NaN = null), bool → Uint8Array (2 = null), string/guid →
 * Uint32Array codes plus a dictionary of distinct values in first-seen order. Unlike
 * `ColumnBuilder`, nothing is kept as a JS array of numbers, so a million rows cost about
 * 8 bytes per number cell and 4 per string cell plus the distinct strings.
 *
 * String columns whose dictionary has one value share one all-zero codes array (see `zeroCodes`).
 */
import type { KustoType } from '../../../core/result-table.ts';
import { BOOL_NULL, BoolColumn, type Column, type ColumnDef, DictStringColumn, NumberColumn, type Table } from '../../../kql/columns.ts';
import type { ChunkColumn, ColumnChunk } from './column-chunk.ts';

export type ColumnKind = 'number' | 'bool' | 'string';

export function columnKind(type: KustoType): ColumnKind {
  switch (type) {
    case 'datetime':
    case 'timespan':
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      return 'number';
    case 'bool':
      return 'bool';
    case 'string':
    case 'guid':
      return 'string';
    case 'dynamic':
      throw new Error('the local workspace stores no dynamic columns (JSON is kept as string text)');
  }
}

const INITIAL_CAPACITY = 1024;

function grow<T extends Float64Array | Uint32Array | Uint8Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  let n = Math.max(a.length * 2, INITIAL_CAPACITY);
  while (n < need) n *= 2;
  const b = make(n);
  b.set(a);
  return b;
}

class NumberBuilder {
  data = new Float64Array(INITIAL_CAPACITY);
  push(i: number, v: unknown): void {
    if (i >= this.data.length) this.data = grow(this.data, i + 1, (n) => new Float64Array(n));
    this.data[i] = typeof v === 'number' ? v : Number.NaN;
  }
  /** Copies `src` (the rows `keep` marks, or all) to rows from `at`. */
  append(at: number, src: Float64Array, keep: Uint8Array | undefined, kept: number): void {
    this.data = grow(this.data, at + kept, (n) => new Float64Array(n));
    if (keep === undefined) this.data.set(src, at);
    else for (let r = 0, i = at; r < src.length; r++) if (keep[r] === 1) this.data[i++] = src[r];
  }
}

class BoolBuilder {
  data = new Uint8Array(INITIAL_CAPACITY);
  push(i: number, v: unknown): void {
    if (i >= this.data.length) this.data = grow(this.data, i + 1, (n) => new Uint8Array(n));
    this.data[i] = v === true ? 1 : v === false ? 0 : BOOL_NULL;
  }
  append(at: number, src: Uint8Array, keep: Uint8Array | undefined, kept: number): void {
    this.data = grow(this.data, at + kept, (n) => new Uint8Array(n));
    if (keep === undefined) this.data.set(src, at);
    else for (let r = 0, i = at; r < src.length; r++) if (keep[r] === 1) this.data[i++] = src[r];
  }
}

export class StringBuilder {
  codes = new Uint32Array(INITIAL_CAPACITY);
  readonly dict: string[] = [];
  readonly index = new Map<string, number>();
  // The last value and its code: runs of one value (constants, a file's account) skip the Map.
  private last: string | undefined;
  private lastCode = 0;
  push(i: number, v: unknown): void {
    const s = typeof v === 'string' ? v : v == null ? '' : String(v);
    let code: number;
    if (s === this.last) code = this.lastCode;
    else {
      const known = this.index.get(s);
      if (known === undefined) {
        code = this.dict.length;
        this.dict.push(s);
        this.index.set(s, code);
      } else code = known;
      this.last = s;
      this.lastCode = code;
    }
    if (i >= this.codes.length) this.codes = grow(this.codes, i + 1, (n) => new Uint32Array(n));
    this.codes[i] = code;
  }
  /** The code of a value, adding it to the dictionary if new. */
  intern(s: string): number {
    const known = this.index.get(s);
    if (known !== undefined) return known;
    const code = this.dict.length;
    this.dict.push(s);
    this.index.set(s, code);
    return code;
  }
  /** Appends dictionary-encoded rows: one lookup per distinct value, then a remap of the codes. */
  append(at: number, codes: Uint32Array | undefined, dict: readonly string[], keep: Uint8Array | undefined, kept: number): void {
    this.codes = grow(this.codes, at + kept, (n) => new Uint32Array(n));
    if (codes === undefined) {
      this.codes.fill(this.intern(dict[0]), at, at + kept);
      return;
    }
    const remap = new Uint32Array(dict.length);
    for (let k = 0; k < dict.length; k++) remap[k] = this.intern(dict[k]);
    const out = this.codes;
    if (keep === undefined) for (let r = 0; r < codes.length; r++) out[at + r] = remap[codes[r]];
    else for (let r = 0, i = at; r < codes.length; r++) if (keep[r] === 1) out[i++] = remap[codes[r]];
  }
}

/**
 * A string column expected to equal an earlier one on every row (`_ItemId` = `AwsEventId`): it
 * stores nothing while the rows agree, and becomes a column of its own from the first row that
 * differs.
 */
class EchoBuilder {
  readonly source: StringBuilder;
  readonly sourceName: string;
  own: StringBuilder | undefined;
  constructor(source: StringBuilder, sourceName: string) {
    this.source = source;
    this.sourceName = sourceName;
  }
  push(i: number, v: unknown, sourceValue: unknown): void {
    if (this.own === undefined) {
      if (v === sourceValue) return;
      this.diverge(i);
    }
    this.own!.push(i, v);
  }
  /** From row i on, keep values of its own: copy the source's first i values. */
  diverge(i: number): StringBuilder {
    if (this.own === undefined) {
      const own = new StringBuilder();
      for (let r = 0; r < i; r++) own.push(r, this.source.dict[this.source.codes[r]]);
      this.own = own;
    }
    return this.own;
  }
}

function appendStrings(b: StringBuilder, at: number, col: ChunkColumn, keep: Uint8Array | undefined, kept: number, name: string): void {
  if (col.kind === 'const') b.append(at, undefined, [col.value], keep, kept);
  else if (col.kind === 'dict') b.append(at, col.codes, col.dict, keep, kept);
  else throw new Error(`chunk column ${name} is not a string column`);
}

type Builder = NumberBuilder | BoolBuilder | StringBuilder | EchoBuilder;

export interface TableBuilderOptions {
  /** Column → earlier column it usually equals (see EchoBuilder). */
  echoes?: Readonly<Record<string, string>>;
}

/** Appends rows (objects keyed by column name) and builds an immutable `Table`. */
export class TableBuilder {
  readonly columns: readonly ColumnDef[];
  private readonly names: readonly string[];
  private readonly builders: Builder[];
  private rows = 0;
  constructor(columns: readonly ColumnDef[], opts: TableBuilderOptions = {}) {
    this.columns = columns;
    this.names = columns.map((c) => c.name);
    this.builders = [];
    for (const c of columns) {
      const kind = columnKind(c.type);
      const echoOf = opts.echoes?.[c.name];
      const src = echoOf === undefined ? -1 : this.names.indexOf(echoOf);
      if (kind === 'string' && src >= 0 && src < this.builders.length && this.builders[src] instanceof StringBuilder) {
        this.builders.push(new EchoBuilder(this.builders[src] as StringBuilder, echoOf!));
      } else this.builders.push(kind === 'number' ? new NumberBuilder() : kind === 'bool' ? new BoolBuilder() : new StringBuilder());
    }
  }
  get length(): number {
    return this.rows;
  }
  /** The builder of a string column, e.g. to look a value up in its dictionary. */
  stringColumn(name: string): StringBuilder {
    const b = this.builders[this.names.indexOf(name)];
    if (!(b instanceof StringBuilder)) throw new Error(`${name} is not a plain string column`);
    return b;
  }
  push(row: Readonly<Record<string, unknown>>): void {
    const i = this.rows;
    const { names, builders } = this;
    for (let c = 0; c < names.length; c++) {
      const b = builders[c];
      if (b instanceof EchoBuilder) b.push(i, row[names[c]], row[b.sourceName]);
      else b.push(i, row[names[c]]);
    }
    this.rows = i + 1;
  }
  /**
   * Appends a chunk built with the same columns (e.g. by a worker), only the rows `keep` marks
   * with 1 if given. Returns the number of rows appended.
   */
  appendChunk(chunk: ColumnChunk, keep?: Uint8Array): number {
    let kept = chunk.rows;
    if (keep !== undefined) {
      kept = 0;
      for (let r = 0; r < chunk.rows; r++) kept += keep[r];
    }
    const at = this.rows;
    const resolve = (c: number): ChunkColumn => {
      let col = chunk.columns[c];
      while (col.kind === 'alias') col = chunk.columns[col.of];
      return col;
    };
    for (let c = 0; c < this.names.length; c++) {
      const b = this.builders[c];
      const own = chunk.columns[c];
      const col = resolve(c);
      if (b instanceof NumberBuilder) {
        if (col.kind !== 'f64') throw new Error(`chunk column ${this.names[c]} is not a number column`);
        b.append(at, col.data, keep, kept);
      } else if (b instanceof BoolBuilder) {
        if (col.kind !== 'u8') throw new Error(`chunk column ${this.names[c]} is not a bool column`);
        b.append(at, col.data, keep, kept);
      } else if (b instanceof StringBuilder) appendStrings(b, at, col, keep, kept, this.names[c]);
      else {
        const echoesSource = own.kind === 'alias' && own.of === this.names.indexOf(b.sourceName);
        if (b.own === undefined && echoesSource) continue;
        appendStrings(b.diverge(at), at, col, keep, kept, this.names[c]);
      }
    }
    this.rows = at + kept;
    return kept;
  }
  build(): Table {
    const n = this.rows;
    const zeros = new ZeroCodes(n);
    const data: Column[] = [];
    for (let c = 0; c < this.columns.length; c++) {
      const def = this.columns[c];
      let b = this.builders[c];
      if (b instanceof EchoBuilder) {
        if (b.own === undefined) {
          data.push(data[this.names.indexOf(b.sourceName)]);
          continue;
        }
        b = b.own;
      }
      if (b instanceof NumberBuilder) data.push(new NumberColumn(def.type, b.data.slice(0, n)));
      else if (b instanceof BoolBuilder) data.push(new BoolColumn(b.data.slice(0, n)));
      else {
        const dict = b.dict.length === 0 ? [''] : b.dict;
        data.push(new DictStringColumn(def.type, dict.length === 1 ? zeros.get() : b.codes.slice(0, n), dict));
      }
    }
    return { columns: this.columns, data: shareEqualColumns(data), length: n };
  }
}

/**
 * Replaces each string column that holds exactly the same values as an earlier one (same type,
 * dictionary and codes, e.g. `AwsRequestId_` and `AwsRequestId`) by that earlier column object, so
 * the table, the store and every later merge keep the data once.
 */
export function shareEqualColumns(data: Column[]): Column[] {
  const out = data.slice();
  for (let j = 0; j < out.length; j++) {
    const b = out[j];
    if (!(b instanceof DictStringColumn) || b.dict.length < 2) continue;
    for (let i = 0; i < j; i++) {
      const a = out[i];
      if (a instanceof DictStringColumn && a !== b && sameStrings(a, b)) {
        out[j] = a;
        break;
      }
    }
  }
  return out;
}

function sameStrings(a: DictStringColumn, b: DictStringColumn): boolean {
  if (a.type !== b.type || a.dict.length !== b.dict.length || a.codes.length !== b.codes.length) return false;
  for (let k = 0; k < a.dict.length; k++) if (a.dict[k] !== b.dict[k]) return false;
  for (let k = 0; k < a.codes.length; k++) if (a.codes[k] !== b.codes[k]) return false;
  return true;
}

/** One all-zero Uint32Array per table, shared by every constant string column. */
export class ZeroCodes {
  private readonly n: number;
  private codes: Uint32Array | undefined;
  constructor(n: number) {
    this.n = n;
  }
  get(): Uint32Array {
    this.codes ??= new Uint32Array(this.n);
    return this.codes;
  }
}
