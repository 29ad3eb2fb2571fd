/**
 * Scalar values of the KQL engine: literals, conversions, ordering and the
 * wire format of the Log Analytics API. See columns.ts for the representation.
 */
import type { KustoType, WireValue } from '../core/result-table.ts';
import type { DynamicValue, Value } from './columns.ts';

export const MS = { tick: 1e-4, microsecond: 1e-3, millisecond: 1, second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

const UNITS: Record<string, number> = {
  d: MS.day,
  day: MS.day,
  days: MS.day,
  h: MS.hour,
  hr: MS.hour,
  hrs: MS.hour,
  hour: MS.hour,
  hours: MS.hour,
  m: MS.minute,
  min: MS.minute,
  minute: MS.minute,
  minutes: MS.minute,
  s: MS.second,
  sec: MS.second,
  second: MS.second,
  seconds: MS.second,
  ms: 1,
  milli: 1,
  millis: 1,
  millisec: 1,
  millisecond: 1,
  milliseconds: 1,
  micro: MS.microsecond,
  micros: MS.microsecond,
  microsec: MS.microsecond,
  microsecond: MS.microsecond,
  microseconds: MS.microsecond,
  tick: MS.tick,
  ticks: MS.tick,
};

/** Parses a timespan literal body: `1d`, `1.5h`, `10ms`, `3tick`, `1.02:03:04.5`, `02:00`. Undefined when not one. */
export function parseTimespan(text: string): number | undefined {
  const t = text.trim();
  const unit = /^(-?\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(t);
  if (unit) {
    const factor = UNITS[unit[2].toLowerCase()];
    return factor === undefined ? undefined : Number(unit[1]) * factor;
  }
  const clock = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(t);
  if (clock) {
    const [, neg, d, h, m, s, f] = clock;
    const ms =
      Number(d ?? 0) * MS.day +
      Number(h) * MS.hour +
      Number(m) * MS.minute +
      Number(s ?? 0) * MS.second +
      (f ? Number(`0.${f}`) * 1000 : 0);
    return neg ? -ms : ms;
  }
  if (/^-?\d+(?:\.\d+)?$/.test(t)) return Number(t) * MS.day; // timespan(2) = 2 days
  return undefined;
}

/** Parses a datetime literal body (ISO 8601 and the common Kusto forms); UTC unless an offset is given. */
export function parseDatetime(text: string): number | undefined {
  let t = text.trim();
  if (t === '' || t === 'null') return undefined;
  if (/^\d{4}-\d{2}-\d{2} \d/.test(t)) t = t.replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) t += 'Z';
  // JS Date keeps milliseconds only; keep sub-millisecond digits as a fraction.
  const frac = /\.(\d{4,7})(?=Z|[+-]\d{2}:?\d{2}$)/.exec(t);
  const ms = Date.parse(frac ? t.replace(frac[0], `.${frac[1].slice(0, 3)}`) : t);
  if (Number.isNaN(ms)) return undefined;
  return frac ? ms + Number(`0.${frac[1].slice(3)}`) : ms;
}

/** ISO 8601 UTC text as Kusto prints datetimes: fraction only when there is one. */
export function formatDatetime(ms: number): string {
  const whole = Math.floor(ms);
  const iso = new Date(whole).toISOString();
  const ticks = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1e4); // 100 ns units within the second
  if (ticks === 0) return `${iso.slice(0, 19)}Z`;
  return `${iso.slice(0, 19)}.${String(ticks).padStart(7, '0').replace(/0+$/, '')}Z`;
}

/** `[-][d.]hh:mm:ss[.fffffff]`, as Kusto and the Log Analytics API print timespans. */
export function formatTimespan(ms: number): string {
  const neg = ms < 0;
  let ticks = Math.round(Math.abs(ms) * 1e4);
  const days = Math.floor(ticks / 864e9);
  ticks -= days * 864e9;
  const h = Math.floor(ticks / 36e9);
  ticks -= h * 36e9;
  const m = Math.floor(ticks / 6e8);
  ticks -= m * 6e8;
  const s = Math.floor(ticks / 1e7);
  ticks -= s * 1e7;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${neg ? '-' : ''}${days ? `${days}.` : ''}${pad(h)}:${pad(m)}:${pad(s)}${ticks ? `.${String(ticks).padStart(7, '0')}` : ''}`;
}

/** Kusto's `tostring()`. */
export function toKustoString(v: Value, type: KustoType): string {
  if (v === null || v === undefined) return '';
  switch (type) {
    case 'string':
    case 'guid':
      return String(v);
    case 'datetime':
      return typeof v === 'number' ? formatDatetime(v) : String(v);
    case 'timespan':
      return typeof v === 'number' ? formatTimespan(v) : String(v);
    case 'dynamic':
      return typeof v === 'string' ? v : JSON.stringify(v);
    default:
      return String(v);
  }
}

/** In-engine value → Log Analytics wire value. */
export function toWire(v: Value, type: KustoType): WireValue {
  if (v === null || v === undefined) return type === 'string' || type === 'guid' ? '' : null;
  switch (type) {
    case 'datetime':
      return typeof v === 'number' ? formatDatetime(v) : null;
    case 'timespan':
      return typeof v === 'number' ? formatTimespan(v) : null;
    case 'dynamic':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'number' ? String(v) : null;
    case 'bool':
      return typeof v === 'boolean' ? v : null;
    default:
      return typeof v === 'object' ? JSON.stringify(v) : (v as WireValue);
  }
}

/** Parses JSON as `parse_json` does: invalid JSON yields the original string. */
export function parseJson(text: string): DynamicValue {
  if (text === '') return null;
  // JSON may start with whitespace: look at the first other character.
  let i = 0;
  while (
    i < text.length &&
    (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13)
  )
    i++;
  if (i === text.length) return text;
  const c = text.charCodeAt(i);
  // Only objects, arrays, strings, numbers and literals can be JSON; skip the exception for plain words.
  if (c !== 123 && c !== 91 && c !== 34 && c !== 45 && !(c >= 48 && c <= 57)) {
    const word = text.trim();
    if (word !== 'true' && word !== 'false' && word !== 'null') return text;
  }
  try {
    return JSON.parse(text) as DynamicValue;
  } catch {
    return text;
  }
}

/** Total order used by sort, top, min/max and arg_max: nulls handled by callers. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const sa = typeof a === 'object' ? JSON.stringify(a) : String(a);
  const sb = typeof b === 'object' ? JSON.stringify(b) : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Null in the Kusto sense (strings are never null; an empty dynamic is). */
export function isNull(v: Value): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/** A key that identifies a value for grouping, joins, dcount and make_set. */
export function valueKey(v: Value): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') return `\u0001${JSON.stringify(v)}`;
  return v;
}
