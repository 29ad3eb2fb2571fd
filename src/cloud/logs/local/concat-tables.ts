/**
 * Concatenates column sets (loaded segments, or the in-memory table and a new segment) into one
 * `Table` with merged dictionaries: each string column of the result has one dictionary of
 * distinct values, and the codes of every part are remapped into it.
 *
 * - A part that lacks a column (written by an older schema) contributes null / "" for it.
 * - A column that is the same object as an earlier one in every part (`_ItemId` and `AwsEventId`)
 *   stays shared in the result.
 * - A string column with one distinct value uses the table's shared all-zero codes.
 * - Two parts where the second is the smaller (an append) merge by indexing only the new part's
 *   dictionary and scanning the big one; otherwise one Map indexes every distinct value.
 */
import { BOOL_NULL, BoolColumn, type Column, type ColumnDef, DictStringColumn, NumberColumn, type Table } from '../../../kql/columns.ts';
import { hashAll } from './string-hash.ts';
import { columnKind, ZeroCodes } from './table-builder.ts';

export interface ColumnSet {
  rows: number;
  columns: ReadonlyMap<string, Column>;
}

export function columnSetOf(table: Table): ColumnSet {
  const columns = new Map<string, Column>();
  table.columns.forEach((c, i) => {
    columns.set(c.name, table.data[i]);
  });
  return { rows: table.length, columns };
}

export interface ConcatOptions {
  /**
   * String columns whose parts share no value (the workspace's AwsEventId: a commit only brings
   * new IDs): their dictionaries are concatenated without looking values up.
   */
  disjoint?: readonly string[];
}

export function concatTables(defs: readonly ColumnDef[], parts: readonly ColumnSet[], opts: ConcatOptions = {}): Table {
  const total = parts.reduce((n, p) => n + p.rows, 0);
  const zeros = new ZeroCodes(total);
  const data: Column[] = [];
  for (let c = 0; c < defs.length; c++) {
    const def = defs[c];
    const cols = parts.map((p) => p.columns.get(def.name));
    const alias = findAlias(defs, parts, c);
    if (alias >= 0) {
      data.push(data[alias]);
      continue;
    }
    const kind = columnKind(def.type);
    if (parts.length === 1 && cols[0] !== undefined && columnKindOf(cols[0]) === kind) {
      data.push(cols[0]);
      continue;
    }
    if (kind === 'number') data.push(concatNumbers(def, parts, cols, total));
    else if (kind === 'bool') data.push(concatBools(parts, cols, total));
    else data.push(concatStrings(def, parts, cols, total, zeros, opts.disjoint?.includes(def.name) ?? false));
  }
  return { columns: defs, data, length: total };
}

function columnKindOf(col: Column): 'number' | 'bool' | 'string' | 'other' {
  if (col instanceof NumberColumn) return 'number';
  if (col instanceof BoolColumn) return 'bool';
  if (col instanceof DictStringColumn) return 'string';
  return 'other';
}

function findAlias(defs: readonly ColumnDef[], parts: readonly ColumnSet[], c: number): number {
  if (parts.length === 0) return -1;
  for (let a = 0; a < c; a++) {
    if (defs[a].type !== defs[c].type) continue;
    let same = true;
    for (const p of parts) {
      const x = p.columns.get(defs[c].name);
      if (x === undefined || x !== p.columns.get(defs[a].name)) {
        same = false;
        break;
      }
    }
    if (same) return a;
  }
  return -1;
}

function concatNumbers(def: ColumnDef, parts: readonly ColumnSet[], cols: (Column | undefined)[], total: number): NumberColumn {
  const out = new Float64Array(total);
  let at = 0;
  parts.forEach((p, i) => {
    const col = cols[i];
    if (col instanceof NumberColumn) out.set(col.data, at);
    else out.fill(Number.NaN, at, at + p.rows);
    at += p.rows;
  });
  return new NumberColumn(def.type, out);
}

function concatBools(parts: readonly ColumnSet[], cols: (Column | undefined)[], total: number): BoolColumn {
  const out = new Uint8Array(total);
  let at = 0;
  parts.forEach((p, i) => {
    const col = cols[i];
    if (col instanceof BoolColumn) out.set(col.data, at);
    else out.fill(BOOL_NULL, at, at + p.rows);
    at += p.rows;
  });
  return new BoolColumn(out);
}

const EMPTY_DICT: readonly string[] = [''];

function concatStrings(
  def: ColumnDef,
  parts: readonly ColumnSet[],
  cols: (Column | undefined)[],
  total: number,
  zeros: ZeroCodes,
  disjoint: boolean,
): DictStringColumn {
  const dicts = cols.map((c) => (c instanceof DictStringColumn ? c.dict : EMPTY_DICT));
  const remaps =
    disjoint && cols.every((c) => c !== undefined)
      ? remapDisjoint(dicts)
      : dicts.length === 2 && parts[1].rows <= parts[0].rows
        ? remapAppend(dicts[0], dicts[1])
        : remapAll(dicts);
  const dict = remaps.dict;
  if (dict.length === 1) return new DictStringColumn(def.type, zeros.get(), dict);
  const codes = new Uint32Array(total);
  let at = 0;
  parts.forEach((p, i) => {
    const col = cols[i];
    const remap = remaps.maps[i];
    if (remap === undefined) {
      // Identity: the part's codes are already codes of the merged dictionary.
      if (col instanceof DictStringColumn) codes.set(col.codes, at);
    } else if (col instanceof DictStringColumn) {
      const src = col.codes;
      for (let r = 0; r < p.rows; r++) codes[at + r] = remap[src[r]];
    } else codes.fill(remap[0], at, at + p.rows);
    at += p.rows;
  });
  return new DictStringColumn(def.type, codes, dict);
}

interface Remaps {
  dict: string[];
  /** Per part: old code → merged code, or undefined when the codes stay as they are. */
  maps: (Uint32Array | undefined)[];
}

/** Big dictionary `a` (kept as the prefix) + small `b`: index b, scan a once. */
function remapAppend(a: readonly string[], b: readonly string[]): Remaps {
  const index = new Map<string, number>();
  for (let i = 0; i < b.length; i++) index.set(b[i], i);
  const map = new Uint32Array(b.length);
  const found = new Uint8Array(b.length);
  let left = b.length;
  for (let j = 0; j < a.length && left > 0; j++) {
    const i = index.get(a[j]);
    if (i !== undefined && found[i] === 0) {
      found[i] = 1;
      map[i] = j;
      left--;
    }
  }
  const dict = a.slice();
  for (let i = 0; i < b.length; i++) {
    if (found[i] === 0) {
      map[i] = dict.length;
      dict.push(b[i]);
    }
  }
  return { dict, maps: [a.length > 0 ? undefined : new Uint32Array(0), map] };
}

/** Dictionaries known to share no value: concatenated, codes offset. */
function remapDisjoint(dicts: readonly (readonly string[])[]): Remaps {
  const dict: string[] = [];
  const maps = dicts.map((d, p) => {
    const base = dict.length;
    for (const s of d) dict.push(s);
    return p === 0 ? undefined : Uint32Array.from({ length: d.length }, (_, i) => base + i);
  });
  return { dict, maps };
}

/** Any number of dictionaries: one Map of every distinct value. */
function remapAll(dicts: readonly (readonly string[])[]): Remaps {
  const index = new Map<string, number>();
  const dict: string[] = [];
  const maps: (Uint32Array | undefined)[] = dicts.map((d, p) => {
    const map = new Uint32Array(d.length);
    let identity = true;
    for (let i = 0; i < d.length; i++) {
      const s = d[i];
      let code = index.get(s);
      if (code === undefined) {
        code = dict.length;
        dict.push(s);
        index.set(s, code);
      }
      map[i] = code;
      if (code !== i) identity = false;
    }
    return p === 0 && identity ? undefined : map;
  });
  return { dict, maps };
}

/** Per column of a table: the hash (string-hash.ts) of each dictionary value, or undefined for non-string columns. */
export type DictHashes = readonly (Uint32Array | undefined)[];

export function dictHashesOf(table: Table): (Uint32Array | undefined)[] {
  const seen = new Map<Column, Uint32Array>();
  return table.data.map((col) => {
    if (!(col instanceof DictStringColumn)) return undefined;
    let h = seen.get(col);
    if (h === undefined) {
      h = hashAll(col.dict);
      seen.set(col, h);
    }
    return h;
  });
}

/**
 * Appends table `b` to table `a` (same columns), with the hashes of both tables' dictionary values:
 * values of `b` are found in `a`'s dictionary by comparing hashes, so no string of `a` is hashed
 * again. `a`'s codes and dictionary order are kept (its dictionaries become prefixes of the
 * result's), which is what lets a segment store only the new values. Returns the table and the
 * hashes of its dictionaries.
 */
export function appendTable(
  a: Table,
  aHashes: DictHashes,
  b: Table,
  bHashes: DictHashes,
  opts: ConcatOptions = {},
): { table: Table; hashes: (Uint32Array | undefined)[] } {
  const defs = a.columns;
  const total = a.length + b.length;
  const zeros = new ZeroCodes(total);
  const data: Column[] = [];
  const hashes: (Uint32Array | undefined)[] = [];
  for (let c = 0; c < defs.length; c++) {
    const x = a.data[c];
    const y = b.data[c];
    const alias = a.data.indexOf(x);
    if (alias < c && b.data[alias] === y) {
      data.push(data[alias]);
      hashes.push(hashes[alias]);
      continue;
    }
    if (x instanceof NumberColumn && y instanceof NumberColumn) {
      const out = new Float64Array(total);
      out.set(x.data);
      out.set(y.data, a.length);
      data.push(new NumberColumn(defs[c].type, out));
      hashes.push(undefined);
    } else if (x instanceof BoolColumn && y instanceof BoolColumn) {
      const out = new Uint8Array(total);
      out.set(x.data);
      out.set(y.data, a.length);
      data.push(new BoolColumn(out));
      hashes.push(undefined);
    } else if (x instanceof DictStringColumn && y instanceof DictStringColumn) {
      const ha = aHashes[c] ?? hashAll(x.dict);
      const hb = bHashes[c] ?? hashAll(y.dict);
      const disjoint = opts.disjoint?.includes(defs[c].name) ?? false;
      const { dict, map, added } = disjoint ? appendDisjoint(x.dict, y.dict) : appendHashed(x.dict, ha, y.dict, hb);
      const merged = new Uint32Array(dict.length);
      merged.set(ha);
      for (let k = 0, n = x.dict.length; k < added.length; k++) merged[n + k] = hb[added[k]];
      hashes.push(merged);
      if (dict.length === 1) {
        data.push(new DictStringColumn(defs[c].type, zeros.get(), dict));
        continue;
      }
      const codes = new Uint32Array(total);
      codes.set(x.codes);
      const src = y.codes;
      for (let r = 0, at = a.length; r < src.length; r++) codes[at + r] = map[src[r]];
      data.push(new DictStringColumn(defs[c].type, codes, dict));
    } else throw new Error(`column ${defs[c].name}: the two tables store it differently`);
  }
  return { table: { columns: defs, data, length: total }, hashes };
}

interface Appended {
  dict: string[];
  /** b's code → merged code. */
  map: Uint32Array;
  /** b's codes of the values new to the dictionary, in the order they were added. */
  added: Uint32Array;
}

function appendDisjoint(a: readonly string[], b: readonly string[]): Appended {
  const dict = a.slice();
  for (const s of b) dict.push(s);
  return {
    dict,
    map: Uint32Array.from({ length: b.length }, (_, i) => a.length + i),
    added: Uint32Array.from({ length: b.length }, (_, i) => i),
  };
}

/** Finds each value of b in a by hash (open addressing over b), scanning a's hashes once. */
function appendHashed(a: readonly string[], ha: Uint32Array, b: readonly string[], hb: Uint32Array): Appended {
  let cap = 16;
  while (cap < b.length * 2) cap *= 2;
  const mask = cap - 1;
  const slots = new Int32Array(cap).fill(-1);
  for (let k = 0; k < b.length; k++) {
    let i = hb[k] & mask;
    while (slots[i] >= 0) i = (i + 1) & mask;
    slots[i] = k;
  }
  const map = new Uint32Array(b.length);
  const found = new Uint8Array(b.length);
  let left = b.length;
  for (let j = 0; j < a.length && left > 0; j++) {
    const h = ha[j];
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = slots[i];
      if (k < 0) break;
      if (hb[k] === h && found[k] === 0 && b[k] === a[j]) {
        found[k] = 1;
        map[k] = j;
        left--;
        break;
      }
    }
  }
  const dict = a.slice();
  const added: number[] = [];
  for (let k = 0; k < b.length; k++) {
    if (found[k] === 0) {
      map[k] = dict.length;
      dict.push(b[k]);
      added.push(k);
    }
  }
  return { dict, map, added: Uint32Array.from(added) };
}
