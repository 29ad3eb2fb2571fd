/**
 * Column storage for the local workspace and for intermediate results of the
 * KQL engine. Stored tables use typed arrays and dictionary-encoded strings, so
 * a scan over a million rows touches one compact array per column.
 *
 * In-engine values: null; boolean; number for int/long/real/decimal; number of
 * milliseconds since the Unix epoch for datetime; number of milliseconds for
 * timespan; string for string/guid; parsed JSON (object, array, primitive) for
 * dynamic. Kusto strings are never null: a missing string is "".
 */
import type { KustoType } from '../core/result-table.ts';

export type Value = null | boolean | number | string | DynamicValue;
export type DynamicValue = null | boolean | number | string | DynamicValue[] | { [key: string]: DynamicValue };

export interface Column {
  readonly type: KustoType;
  readonly length: number;
  get(row: number): Value;
}

/** datetime, timespan, int, long, real, decimal: NaN marks null. */
export class NumberColumn implements Column {
  readonly type: KustoType;
  readonly data: Float64Array;
  constructor(type: KustoType, data: Float64Array) {
    this.type = type;
    this.data = data;
  }
  get length(): number {
    return this.data.length;
  }
  get(row: number): number | null {
    const v = this.data[row];
    return Number.isNaN(v) ? null : v;
  }
}

/** bool: 0 false, 1 true, 2 null. */
export const BOOL_NULL = 2;
export class BoolColumn implements Column {
  readonly type: KustoType = 'bool';
  readonly data: Uint8Array;
  constructor(data: Uint8Array) {
    this.data = data;
  }
  get length(): number {
    return this.data.length;
  }
  get(row: number): boolean | null {
    const v = this.data[row];
    return v === BOOL_NULL ? null : v === 1;
  }
}

/** string and guid: codes index a dictionary of distinct values. */
export class DictStringColumn implements Column {
  readonly type: KustoType;
  readonly codes: Uint32Array;
  readonly dict: readonly string[];
  constructor(type: KustoType, codes: Uint32Array, dict: readonly string[]) {
    this.type = type;
    this.codes = codes;
    this.dict = dict;
  }
  get length(): number {
    return this.codes.length;
  }
  get(row: number): string {
    return this.dict[this.codes[row]];
  }
}

/** Any type, one JS value per row: intermediate results. */
export class ArrayColumn implements Column {
  readonly type: KustoType;
  readonly values: Value[];
  constructor(type: KustoType, values: Value[]) {
    this.type = type;
    this.values = values;
  }
  get length(): number {
    return this.values.length;
  }
  get(row: number): Value {
    return this.values[row];
  }
}

export interface ColumnDef {
  name: string;
  type: KustoType;
}

/** A table: named, typed columns of equal length. */
export interface Table {
  readonly columns: readonly ColumnDef[];
  readonly data: readonly Column[];
  readonly length: number;
}

/** Appends rows of in-engine values column by column, dictionary-encoding strings. */
export class ColumnBuilder {
  readonly type: KustoType;
  private numbers: number[] = [];
  private bools: number[] = [];
  private codes: number[] = [];
  private dict: string[] = [];
  private index = new Map<string, number>();
  private values: Value[] = [];
  constructor(type: KustoType) {
    this.type = type;
  }
  push(v: Value): void {
    switch (this.type) {
      case 'datetime':
      case 'timespan':
      case 'int':
      case 'long':
      case 'real':
      case 'decimal':
        this.numbers.push(typeof v === 'number' ? v : Number.NaN);
        return;
      case 'bool':
        this.bools.push(v === true ? 1 : v === false ? 0 : BOOL_NULL);
        return;
      case 'string':
      case 'guid': {
        const s = typeof v === 'string' ? v : v == null ? '' : String(v);
        let code = this.index.get(s);
        if (code === undefined) {
          code = this.dict.length;
          this.dict.push(s);
          this.index.set(s, code);
        }
        this.codes.push(code);
        return;
      }
      case 'dynamic':
        this.values.push(v);
        return;
    }
  }
  build(): Column {
    switch (this.type) {
      case 'datetime':
      case 'timespan':
      case 'int':
      case 'long':
      case 'real':
      case 'decimal':
        return new NumberColumn(this.type, Float64Array.from(this.numbers));
      case 'bool':
        return new BoolColumn(Uint8Array.from(this.bools));
      case 'string':
      case 'guid':
        return new DictStringColumn(this.type, Uint32Array.from(this.codes), this.dict);
      case 'dynamic':
        return new ArrayColumn(this.type, this.values);
    }
  }
}
