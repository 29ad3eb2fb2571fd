/**
 * Appends a batch's table to the workspace's table, as a commit does: the stored rows keep their
 * codes and each string column's dictionary keeps its order, new values going to the end, so the
 * new segment only has to store the batch's rows and the new values (segment-file.ts).
 *
 * Values of the batch are looked up in the stored dictionaries by the hashes of their values
 * (string-hash.ts), kept next to the table, so no stored string is hashed again: a million-row
 * table takes a scan of integer arrays per column, not a million string hashes.
 */
import { BoolColumn, type Column, DictStringColumn, NumberColumn, type Table } from '../../../kql/columns.ts';
import { hashAll } from './string-hash.ts';
import { ZeroCodes } from './table-builder.ts';

export interface AppendOptions {
  /**
   * String columns whose two tables share no value (the workspace's AwsEventId: a commit only
   * brings new IDs): their dictionaries are concatenated without looking values up.
   */
  disjoint?: readonly string[];
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
  opts: AppendOptions = {},
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
