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
}

class BoolBuilder {
  data = new Uint8Array(INITIAL_CAPACITY);
  push(i: number, v: unknown): void {
    if (i >= this.data.length) this.data = grow(this.data, i + 1, (n) => new Uint8Array(n));
    this.data[i] = v === true ? 1 : v === false ? 0 : BOOL_NULL;
  }
}

export class StringBuilder {
  codes = new Uint32Array(INITIAL_CAPACITY);
  readonly dict: string[] = [];
  readonly index = new Map<string, number>();
  push(i: number, v: unknown): void {
    const s = typeof v === 'string' ? v : v == null ? '' : String(v);
    let code = this.index.get(s);
    if (code === undefined) {
      code = this.dict.length;
      this.dict.push(s);
      this.index.set(s, code);
    }
    if (i >= this.codes.length) this.codes = grow(this.codes, i + 1, (n) => new Uint32Array(n));
    this.codes[i] = code;
  }
}

type Builder = NumberBuilder | BoolBuilder | StringBuilder;

/** Appends rows (objects keyed by column name) and builds an immutable `Table`. */
export class TableBuilder {
  readonly columns: readonly ColumnDef[];
  private readonly builders: Builder[];
  private rows = 0;
  constructor(columns: readonly ColumnDef[]) {
    this.columns = columns;
    this.builders = columns.map((c) => {
      const kind = columnKind(c.type);
      return kind === 'number' ? new NumberBuilder() : kind === 'bool' ? new BoolBuilder() : new StringBuilder();
    });
  }
  get length(): number {
    return this.rows;
  }
  /** The builder of a string column, e.g. to look a value up in its dictionary. */
  stringColumn(name: string): StringBuilder {
    const i = this.columns.findIndex((c) => c.name === name);
    const b = this.builders[i];
    if (!(b instanceof StringBuilder)) throw new Error(`${name} is not a string column`);
    return b;
  }
  push(row: Readonly<Record<string, unknown>>): void {
    const i = this.rows;
    const { columns, builders } = this;
    for (let c = 0; c < columns.length; c++) builders[c].push(i, row[columns[c].name]);
    this.rows = i + 1;
  }
  build(): Table {
    const n = this.rows;
    const zeros = new ZeroCodes(n);
    const data: Column[] = this.columns.map((def, c) => {
      const b = this.builders[c];
      if (b instanceof NumberBuilder) return new NumberColumn(def.type, b.data.slice(0, n));
      if (b instanceof BoolBuilder) return new BoolColumn(b.data.slice(0, n));
      const dict = b.dict.length === 0 ? [''] : b.dict;
      return new DictStringColumn(def.type, dict.length === 1 ? zeros.get() : b.codes.slice(0, n), dict);
    });
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
