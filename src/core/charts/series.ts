/**
 * Values and series names shared by every chart kind: reading numbers from wire values,
 * naming a series from its key columns, and the name of an empty key.
 */
import type { WireValue } from '../result-table.ts';
import type { IndexedColumn } from './columns.ts';

/** Shown for a series or category whose key is null or empty. */
export const EMPTY_SERIES = '(empty)';

/** A finite number from a wire value (numbers, numeric strings such as decimals), else undefined. */
export function toNumber(v: WireValue | undefined): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** The row's values in the series columns, joined: "us-east-1, ConsoleLogin". */
export function seriesKey(row: readonly WireValue[], series: readonly IndexedColumn[]): string {
  const key = series.map((c) => (row[c.index] === null || row[c.index] === undefined ? '' : String(row[c.index]))).join(', ');
  return key === '' ? EMPTY_SERIES : key;
}

/** A line's (or bar group's) name: the series key, the y column, or both when there are several y columns. */
export function lineName(key: string | undefined, y: IndexedColumn, ys: readonly IndexedColumn[]): string {
  if (key === undefined) return y.name;
  return ys.length === 1 ? key : `${key} · ${y.name}`;
}
