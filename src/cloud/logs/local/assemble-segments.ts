/**
 * Builds the in-memory table from the workspace's segments, in order, one segment at a time
 * (each can be dropped once added). Dictionaries and codes are concatenated as stored: a
 * segment's codes already index the dictionary of all segments so far (see segment-file.ts), so
 * no string is hashed. A single standalone segment is used as it is, without copying.
 *
 * Column sharing follows the segments: a column stays one object with an earlier column while
 * every segment says `alias`; from the first segment that stores it, it gets a dictionary of its
 * own that starts as a copy of the earlier column's dictionary up to that segment.
 */
import { BOOL_NULL, BoolColumn, type Column, type ColumnDef, DictStringColumn, NumberColumn, type Table } from '../../../kql/columns.ts';
import type { SegmentData } from './segment-file.ts';
import { hashString } from './string-hash.ts';
import { columnKind, ZeroCodes } from './table-builder.ts';

export class SegmentMismatchError extends Error {}

type State =
  | { kind: 'number'; data: Float64Array }
  | { kind: 'bool'; data: Uint8Array }
  | { kind: 'strings'; dict: Values; codes: Uint32Array | undefined; allZero: boolean; hashes: Uint32Array[] }
  | { kind: 'alias'; of: number };

export class SegmentAssembler {
  readonly defs: readonly ColumnDef[];
  private readonly total: number;
  private readonly states: (State | undefined)[];
  private rows = 0;
  private segments = 0;
  constructor(defs: readonly ColumnDef[], totalRows: number) {
    this.defs = defs;
    this.total = totalRows;
    this.states = defs.map(() => undefined);
  }

  add(seg: SegmentData, name = `segment ${this.segments}`): void {
    if (this.rows + seg.rows > this.total) throw new SegmentMismatchError(`${name}: more rows than the manifest lists`);
    const at = this.rows;
    // The only segment: adopt its arrays instead of copying them.
    const whole = at === 0 && seg.rows === this.total;
    // Dictionary sizes before this segment, for columns that stop aliasing here.
    const before = this.states.map((s) => (s?.kind === 'strings' ? s.dict.length : 0));
    const index = new Map(this.defs.map((d, i) => [d.name, i]));
    this.defs.forEach((def, c) => {
      const part = seg.columns.get(def.name);
      if (part === undefined) throw new SegmentMismatchError(`${name} has no column ${def.name}; it was written for another table layout`);
      const kind = columnKind(def.type);
      let state = this.states[c];
      if (part.kind === 'alias') {
        const of = index.get(part.of);
        if (of === undefined || of >= c) throw new SegmentMismatchError(`${name}: column ${def.name} is an alias of ${part.of}`);
        if (state === undefined && at === 0) this.states[c] = { kind: 'alias', of };
        else if (state?.kind !== 'alias' || state.of !== of)
          throw new SegmentMismatchError(`${name}: column ${def.name} cannot become an alias again`);
        return;
      }
      if (kind === 'number') {
        if (part.kind !== 'number') throw new SegmentMismatchError(`${name}: column ${def.name} is not stored as numbers`);
        if (state === undefined) state = this.states[c] = { kind: 'number', data: whole ? part.data : new Float64Array(this.total) };
        if (state.kind === 'number' && state.data !== part.data) state.data.set(part.data, at);
        return;
      }
      if (kind === 'bool') {
        if (part.kind !== 'bool') throw new SegmentMismatchError(`${name}: column ${def.name} is not stored as bools`);
        if (state === undefined)
          state = this.states[c] = { kind: 'bool', data: whole ? part.data : new Uint8Array(this.total).fill(BOOL_NULL) };
        if (state.kind === 'bool' && state.data !== part.data) state.data.set(part.data, at);
        return;
      }
      if (part.kind !== 'strings' && part.kind !== 'const')
        throw new SegmentMismatchError(`${name}: column ${def.name} is not stored as strings`);
      if (state?.kind === 'alias') state = this.states[c] = this.materialize(state.of, before[state.of], at);
      if (state === undefined)
        state = this.states[c] = { kind: 'strings', dict: new Values(), codes: undefined, allZero: true, hashes: [] };
      if (state.kind !== 'strings') throw new SegmentMismatchError(`${name}: column ${def.name} changed kind`);
      if (part.kind === 'const') {
        if (state.dict.length === 0) {
          state.dict.push([part.value]);
          state.hashes.push(Uint32Array.of(hashString(part.value)));
        } else if (state.dict.length !== 1 || state.dict.first() !== part.value)
          throw new SegmentMismatchError(`${name}: column ${def.name} lost its earlier values`);
        if (!state.allZero) state.codes!.fill(0, at, at + seg.rows);
        return;
      }
      if (part.base !== state.dict.length) {
        throw new SegmentMismatchError(
          `${name}: column ${def.name} continues a dictionary of ${part.base} values, found ${state.dict.length}`,
        );
      }
      state.hashes.push(part.hashes);
      state.dict.push(part.dict);
      if (whole) {
        state.codes = part.codes;
        state.allZero = false;
        return;
      }
      if (state.allZero) {
        state.codes = new Uint32Array(this.total);
        state.allZero = false;
      }
      state.codes!.set(part.codes, at);
    });
    this.rows += seg.rows;
    this.segments++;
  }

  /** A string state equal to column `of` over rows [0, rows) with its first `dictLength` values. */
  private materialize(of: number, dictLength: number, rows: number): State {
    const src = this.states[of];
    if (src?.kind !== 'strings') throw new SegmentMismatchError(`column ${this.defs[of].name} is not a string column`);
    const codes = new Uint32Array(this.total);
    if (!src.allZero) codes.set(src.codes!.subarray(0, rows));
    return {
      kind: 'strings',
      dict: new Values(src.dict.all().slice(0, dictLength)),
      codes,
      allZero: false,
      hashes: [concat(src.hashes).slice(0, dictLength)],
    };
  }

  /** Per column, the hashes of its dictionary's values (string-hash.ts); call after `build`. */
  hashes(): (Uint32Array | undefined)[] {
    const out: (Uint32Array | undefined)[] = [];
    this.defs.forEach((def, c) => {
      const state = this.states[c];
      if (state === undefined) out.push(columnKind(def.type) === 'string' ? Uint32Array.of(hashString('')) : undefined);
      else if (state.kind === 'alias') out.push(out[state.of]);
      else if (state.kind === 'strings') {
        const all = concat(state.hashes);
        state.hashes = [all];
        out.push(state.dict.length === 0 ? Uint32Array.of(hashString('')) : all);
      } else out.push(undefined);
    });
    return out;
  }

  build(): Table {
    if (this.rows !== this.total) throw new SegmentMismatchError(`the segments hold ${this.rows} rows, the manifest lists ${this.total}`);
    const zeros = new ZeroCodes(this.total);
    const data: Column[] = [];
    this.defs.forEach((def, c) => {
      const state = this.states[c];
      const kind = columnKind(def.type);
      if (state === undefined) {
        // No segments at all.
        if (kind === 'number') data.push(new NumberColumn(def.type, new Float64Array(0)));
        else if (kind === 'bool') data.push(new BoolColumn(new Uint8Array(0)));
        else data.push(new DictStringColumn(def.type, zeros.get(), ['']));
        return;
      }
      if (state.kind === 'alias') data.push(data[state.of]);
      else if (state.kind === 'number') data.push(new NumberColumn(def.type, state.data));
      else if (state.kind === 'bool') data.push(new BoolColumn(state.data));
      else if (state.dict.length <= 1 || state.allZero)
        data.push(new DictStringColumn(def.type, zeros.get(), state.dict.length === 0 ? [''] : state.dict.all()));
      else data.push(new DictStringColumn(def.type, state.codes!, state.dict.all()));
    });
    return { columns: this.defs, data, length: this.total };
  }
}

/** Dictionary values gathered segment by segment, joined into one array once. */
class Values {
  private parts: string[][];
  length = 0;
  constructor(first?: string[]) {
    this.parts = first === undefined ? [] : [first];
    this.length = first?.length ?? 0;
  }
  push(values: string[]): void {
    if (values.length === 0) return;
    this.parts.push(values);
    this.length += values.length;
  }
  first(): string {
    return this.parts[0][0];
  }
  all(): string[] {
    if (this.parts.length !== 1) this.parts = [this.parts.length === 0 ? [] : ([] as string[]).concat(...this.parts)];
    return this.parts[0];
  }
}

function concat(parts: readonly Uint32Array[]): Uint32Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
