/** Building and slicing tables without copying column data where it can be avoided. */
import {
  ArrayColumn,
  BoolColumn,
  type Column,
  ColumnBuilder,
  type ColumnDef,
  DictStringColumn,
  NumberColumn,
  type Table,
  type Value,
} from './columns.ts';

export function makeTable(columns: readonly ColumnDef[], data: readonly Column[], length: number): Table {
  return { columns, data, length };
}

/** A view of some rows of another column: `where`, `take` and `sort` do not copy data. */
export class SelectColumn implements Column {
  readonly base: Column;
  readonly rows: Uint32Array;
  constructor(base: Column, rows: Uint32Array) {
    this.base = base;
    this.rows = rows;
  }
  get type() {
    return this.base.type;
  }
  get length(): number {
    return this.rows.length;
  }
  get(row: number): Value {
    return this.base.get(this.rows[row]);
  }
}

/** Rows of `table` at `rows`, composing views so a chain of filters reads the base column once. */
export function selectRows(table: Table, rows: Uint32Array): Table {
  if (rows.length === table.length && isIdentity(rows)) return table;
  const data = table.data.map((c) => {
    if (c instanceof SelectColumn) {
      const composed = new Uint32Array(rows.length);
      for (let i = 0; i < rows.length; i++) composed[i] = c.rows[rows[i]];
      return new SelectColumn(c.base, composed);
    }
    return new SelectColumn(c, rows);
  });
  return makeTable(table.columns, data, rows.length);
}

function isIdentity(rows: Uint32Array): boolean {
  for (let i = 0; i < rows.length; i++) if (rows[i] !== i) return false;
  return true;
}

/** A table from computed values, one array per column. */
export function tableFromValues(columns: readonly ColumnDef[], values: Value[][], length: number): Table {
  return makeTable(
    columns,
    columns.map((c, i) => new ArrayColumn(c.type, values[i])),
    length,
  );
}

/**
 * Copies a (possibly viewed) table into compact storage: for `materialize` and let-bound tables,
 * so later reads do not go through chains of row views. Gathers the typed arrays as they are
 * (strings keep their dictionary): no value is decoded or re-encoded.
 */
export function compact(table: Table): Table {
  const data = table.data.map((src) => (src instanceof SelectColumn ? gather(src.base, src.rows) : src));
  return makeTable(table.columns, data, table.length);
}

function gather(base: Column, rows: Uint32Array): Column {
  const n = rows.length;
  if (base instanceof NumberColumn) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = base.data[rows[i]];
    return new NumberColumn(base.type, out);
  }
  if (base instanceof BoolColumn) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = base.data[rows[i]];
    return new BoolColumn(out);
  }
  if (base instanceof DictStringColumn) {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = base.codes[rows[i]];
    return new DictStringColumn(base.type, out, base.dict);
  }
  const values = new Array<Value>(n);
  for (let i = 0; i < n; i++) values[i] = base.get(rows[i]);
  return new ArrayColumn(base.type, values);
}

export function columnValues(col: Column, length: number): Value[] {
  const out = new Array<Value>(length);
  for (let i = 0; i < length; i++) out[i] = col.get(i);
  return out;
}

/** A table of `columns` from row objects; absent fields are null ("" for strings). */
export function tableFromRows(columns: readonly ColumnDef[], rows: readonly Record<string, Value>[]): Table {
  const builders = columns.map((c) => new ColumnBuilder(c.type));
  for (const row of rows) {
    columns.forEach((c, i) => {
      builders[i].push(row[c.name] ?? null);
    });
  }
  return makeTable(
    columns,
    builders.map((b) => b.build()),
    rows.length,
  );
}
