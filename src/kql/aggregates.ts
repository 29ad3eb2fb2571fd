/**
 * Aggregation functions for `summarize` and `make-series`. An aggregator keeps
 * one state per group in arrays indexed by group number, so adding a row is a
 * couple of array writes, not an object allocation.
 */
import type { KustoType } from '../core/result-table.ts';
import type { DynamicValue, Value } from './columns.ts';
import type { RowFn } from './scalar.ts';
import { unsupported } from './unsupported.ts';
import { compareValues, isNull, toKustoString, valueKey } from './values.ts';

export interface Aggregator {
  add(group: number, row: number): void;
  /** One value per output column (arg_max and friends produce several). */
  results(group: number): Value[];
}

export interface AggregateArgs {
  args: { fn: RowFn; type: KustoType; constant?: { value: Value } }[];
  /** For arg_max/arg_min: the extra output columns, read at the chosen row. */
  extra: RowFn[];
  resultType: KustoType;
}

const MAX_SET = 1_048_576;

function toDyn(v: Value, t: KustoType): DynamicValue {
  if (t === 'datetime' || t === 'timespan') return v === null ? null : toKustoString(v, t);
  return v as DynamicValue;
}

function counting(pred?: RowFn): Aggregator {
  const counts: number[] = [];
  return {
    add(g, row) {
      if (pred && pred(row) !== true) {
        if (counts[g] === undefined) counts[g] = 0;
        return;
      }
      counts[g] = (counts[g] ?? 0) + 1;
    },
    results: (g) => [counts[g] ?? 0],
  };
}

function distinctCount(value: RowFn, pred?: RowFn): Aggregator {
  const sets: Set<unknown>[] = [];
  return {
    add(g, row) {
      let s = sets[g];
      if (!s) {
        s = new Set();
        sets[g] = s;
      }
      if (pred && pred(row) !== true) return;
      const v = value(row);
      if (!isNull(v)) s.add(valueKey(v));
    },
    results: (g) => [sets[g]?.size ?? 0],
  };
}

function summing(value: RowFn, average: boolean, pred?: RowFn): Aggregator {
  const sums: number[] = [];
  const counts: number[] = [];
  return {
    add(g, row) {
      if (sums[g] === undefined) {
        sums[g] = 0;
        counts[g] = 0;
      }
      if (pred && pred(row) !== true) return;
      const v = value(row);
      if (typeof v === 'number' && !Number.isNaN(v)) {
        sums[g] += v;
        counts[g]++;
      }
    },
    // Kusto's defaults: sum()/sumif() of no (non-null) values is 0, avg() of none is null.
    results: (g) => [average ? (counts[g] ? sums[g] / counts[g] : null) : (sums[g] ?? 0)],
  };
}

function extreme(value: RowFn, sign: 1 | -1, pred?: RowFn): Aggregator {
  const best: Value[] = [];
  return {
    add(g, row) {
      if (best[g] === undefined) best[g] = null;
      if (pred && pred(row) !== true) return;
      const v = value(row);
      if (isNull(v)) return;
      const b = best[g];
      if (b === null || compareValues(v, b) * sign > 0) best[g] = v;
    },
    results: (g) => [best[g] ?? null],
  };
}

function argExtreme(value: RowFn, extra: RowFn[], sign: 1 | -1): Aggregator {
  const best: Value[] = [];
  const rows: number[] = [];
  return {
    add(g, row) {
      if (rows[g] === undefined) {
        rows[g] = row;
        best[g] = null;
      }
      const v = value(row);
      if (isNull(v)) return;
      const b = best[g];
      if (b === null || compareValues(v, b) * sign > 0) {
        best[g] = v;
        rows[g] = row;
      }
    },
    results: (g) => {
      const r = rows[g];
      return [best[g] ?? null, ...extra.map((f) => f(r))];
    },
  };
}

function collecting(value: RowFn, type: KustoType, unique: boolean, limit: number, pred?: RowFn): Aggregator {
  const lists: DynamicValue[][] = [];
  const seen: Set<unknown>[] = [];
  return {
    add(g, row) {
      let list = lists[g];
      if (!list) {
        list = [];
        lists[g] = list;
      }
      if (pred && pred(row) !== true) return;
      if (list.length >= limit) return;
      const v = value(row);
      if (isNull(v)) return;
      // make_set/make_list of an array adds its elements (Kusto flattens dynamic arrays).
      const items = type === 'dynamic' && Array.isArray(v) ? (v as DynamicValue[]) : [toDyn(v, type)];
      for (const item of items) {
        if (unique) {
          let s = seen[g];
          if (!s) {
            s = new Set();
            seen[g] = s;
          }
          const k = valueKey(item as Value);
          if (s.has(k)) continue;
          s.add(k);
        }
        if (list.length < limit) list.push(item);
      }
    },
    results: (g) => [lists[g] ?? []],
  };
}

/** make_bag: the union of property bags (the first value of a key wins, as in Kusto). */
function bagging(value: RowFn, limit: number, pred?: RowFn): Aggregator {
  const bags: Record<string, DynamicValue>[] = [];
  return {
    add(g, row) {
      let bag = bags[g];
      if (!bag) {
        bag = {};
        bags[g] = bag;
      }
      if (pred && pred(row) !== true) return;
      const v = value(row);
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
      for (const [k, x] of Object.entries(v)) {
        if (Object.keys(bag).length >= limit) return;
        if (!(k in bag)) bag[k] = x;
      }
    },
    results: (g) => [bags[g] ?? {}],
  };
}

/** stdev/variance (sample, n − 1) and percentile (exact here; an estimate in Azure). */
function numbers(value: RowFn, finish: (xs: number[]) => Value): Aggregator {
  const lists: number[][] = [];
  return {
    add(g, row) {
      let list = lists[g];
      if (!list) {
        list = [];
        lists[g] = list;
      }
      const v = value(row);
      if (typeof v === 'number' && !Number.isNaN(v)) list.push(v);
    },
    results: (g) => [finish(lists[g] ?? [])],
  };
}

function variance(xs: number[]): number | null {
  if (xs.length < 2) return xs.length === 1 ? 0 : null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
}

/** Nearest-rank percentile, as Kusto documents for percentile(): a value that occurs in the data. */
function nearestRank(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

function anyValue(value: RowFn, extra: RowFn[]): Aggregator {
  const rows: number[] = [];
  return {
    add(g, row) {
      if (rows[g] === undefined) rows[g] = row;
    },
    results: (g) => [value(rows[g]), ...extra.map((f) => f(rows[g]))],
  };
}

function limitOf(args: AggregateArgs['args'], index: number): number {
  const c = args[index]?.constant?.value;
  return typeof c === 'number' && c > 0 ? Math.min(c, MAX_SET) : MAX_SET;
}

/** Names of the aggregation functions the subset supports. */
export const AGGREGATES = new Set([
  'count',
  'countif',
  'dcount',
  'dcountif',
  'sum',
  'sumif',
  'avg',
  'avgif',
  'min',
  'max',
  'minif',
  'maxif',
  'make_set',
  'make_set_if',
  'make_list',
  'make_list_if',
  'arg_max',
  'arg_min',
  'take_any',
  'any',
  'make_bag',
  'make_bag_if',
  'stdev',
  'variance',
  'percentile',
]);

export function createAggregator(name: string, a: AggregateArgs): Aggregator {
  const [x, y] = a.args;
  switch (name) {
    case 'count':
      return counting();
    case 'countif':
      return counting(x.fn);
    case 'dcount':
      return distinctCount(x.fn);
    case 'dcountif':
      return distinctCount(x.fn, y.fn);
    case 'sum':
      return summing(x.fn, false);
    case 'sumif':
      return summing(x.fn, false, y.fn);
    case 'avg':
      return summing(x.fn, true);
    case 'avgif':
      return summing(x.fn, true, y.fn);
    case 'min':
      return extreme(x.fn, -1);
    case 'max':
      return extreme(x.fn, 1);
    case 'minif':
      return extreme(x.fn, -1, y.fn);
    case 'maxif':
      return extreme(x.fn, 1, y.fn);
    case 'make_set':
      return collecting(x.fn, x.type, true, limitOf(a.args, 1));
    case 'make_list':
      return collecting(x.fn, x.type, false, limitOf(a.args, 1));
    case 'make_set_if':
      return collecting(x.fn, x.type, true, limitOf(a.args, 2), y.fn);
    case 'make_list_if':
      return collecting(x.fn, x.type, false, limitOf(a.args, 2), y.fn);
    case 'arg_max':
      return argExtreme(x.fn, a.extra, 1);
    case 'arg_min':
      return argExtreme(x.fn, a.extra, -1);
    case 'make_bag':
      return bagging(x.fn, limitOf(a.args, 1));
    case 'make_bag_if':
      return bagging(x.fn, limitOf(a.args, 2), y.fn);
    case 'stdev':
      return numbers(x.fn, (xs) => {
        const v = variance(xs);
        return v === null ? null : Math.sqrt(v);
      });
    case 'variance':
      return numbers(x.fn, variance);
    case 'percentile': {
      const p = y?.constant?.value;
      if (typeof p !== 'number' || p < 0 || p > 100) throw unsupported('percentile() with a non-constant or out-of-range percentage');
      return numbers(x.fn, (xs) => nearestRank(xs, p));
    }
    case 'take_any':
    case 'any':
      return anyValue(x.fn, a.extra);
    default:
      throw unsupported(`aggregation ${name}()`);
  }
}
