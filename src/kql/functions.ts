/**
 * Scalar functions of the local workspace's KQL subset. Each entry gets the
 * argument types, the result type (both from the analyser) and any constant
 * arguments once, and returns the per-row implementation.
 */
import type { KustoType } from '../core/result-table.ts';
import type { DynamicValue, Value } from './columns.ts';
import { type Env, kustoRegex } from './scalar.ts';
import { unsupported } from './unsupported.ts';
import { compareValues, isNull, MS, parseDatetime, parseJson, parseTimespan, toKustoString } from './values.ts';

export type Builtin = (
  argTypes: KustoType[],
  resultType: KustoType,
  constants: (Value | undefined)[],
  env: Env,
) => (...args: Value[]) => Value;

const str = (v: Value, t: KustoType) => toKustoString(v, t);
const num = (v: Value): number | null => (typeof v === 'number' && !Number.isNaN(v) ? v : null);

/** `bin(value, size)` for numbers, datetimes (from the epoch) and timespans. */
export function binValue(v: Value, size: Value, origin = 0): number | null {
  if (typeof v !== 'number' || typeof size !== 'number' || size <= 0) return null;
  return origin + Math.floor((v - origin) / size) * size;
}

function toNumber(v: Value, t: KustoType): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '' || t === 'datetime') return null;
    const n = Number(s);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}

function toDatetime(v: Value, t: KustoType): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return t === 'datetime' || t === 'dynamic' ? v : null;
  if (typeof v === 'string') return parseDatetime(v) ?? null;
  return null;
}

/** A string as a value of `type`, as extract(..., typeof(T)) converts it; null when it is not one. */
function convertText(text: string, type: KustoType): Value {
  switch (type) {
    case 'int':
    case 'long': {
      const n = toNumber(text, 'string');
      return n === null || !Number.isInteger(n) ? null : n;
    }
    case 'real':
    case 'decimal':
      return toNumber(text, 'string');
    case 'datetime':
      return toDatetime(text, 'string');
    case 'timespan':
      return parseTimespan(text) ?? null;
    case 'bool': {
      const b = text.trim().toLowerCase();
      return b === 'true' ? true : b === 'false' ? false : null;
    }
    case 'dynamic':
      return parseJson(text);
    default:
      return text;
  }
}

function splitValue(s: string, delim: string): string[] {
  return s.split(delim);
}

function startOfDay(ms: number): number {
  return Math.floor(ms / MS.day) * MS.day;
}

function startOfWeek(ms: number): number {
  const d = startOfDay(ms);
  const dow = new Date(d).getUTCDay(); // 0 = Sunday; Kusto's weeks start on Sunday
  return d - dow * MS.day;
}

function startOfMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The last instant before `ms`: one tick earlier, or the next double down where a tick is below float precision. */
function justBefore(ms: number): number {
  const x = ms - MS.tick;
  if (x < ms) return x;
  const f = new Float64Array([ms]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] += ms > 0 ? -1n : 1n;
  return f[0];
}

function ipv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function ipv4InRange(ip: string, range: string): boolean | null {
  const [base, bits] = range.split('/');
  const a = ipv4(ip);
  const b = ipv4(base);
  if (a === null || b === null) return null;
  const n = bits === undefined ? 32 : Number(bits);
  if (!(n >= 0 && n <= 32)) return null;
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

function regexOf(pattern: Value, flags = ''): RegExp | null {
  if (typeof pattern !== 'string') return null;
  // RE2 syntax as `matches regex` reads it, including a leading (?i).
  return kustoRegex(pattern, flags);
}

function toDynamicValue(v: Value, t: KustoType): DynamicValue {
  if (v === null || v === undefined) return null;
  if (t === 'datetime' || t === 'timespan') return toKustoString(v, t);
  return v as DynamicValue;
}

export const SCALAR_FUNCTIONS: Record<string, Builtin> = {
  tostring:
    ([t]) =>
    (v) =>
      str(v, t),
  toint:
    ([t]) =>
    (v) => {
      const n = toNumber(v, t);
      return n === null ? null : Math.trunc(n) | 0;
    },
  tolong:
    ([t]) =>
    (v) => {
      const n = toNumber(v, t);
      return n === null ? null : Math.trunc(n);
    },
  toreal:
    ([t]) =>
    (v) =>
      toNumber(v, t),
  todouble:
    ([t]) =>
    (v) =>
      toNumber(v, t),
  todecimal:
    ([t]) =>
    (v) =>
      toNumber(v, t),
  tobool:
    ([t]) =>
    (v) => {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      const s = str(v, t).trim().toLowerCase();
      return s === 'true' ? true : s === 'false' ? false : null;
    },
  toboolean: (types, r, c, e) => SCALAR_FUNCTIONS.tobool(types, r, c, e),
  todatetime:
    ([t]) =>
    (v) =>
      toDatetime(v, t),
  totimespan:
    ([_t]) =>
    (v) =>
      typeof v === 'number' ? v : typeof v === 'string' ? (parseTimespan(v) ?? null) : (null as Value),
  toguid:
    ([t]) =>
    (v) =>
      str(v, t),
  parse_json:
    ([t]) =>
    (v) =>
      t === 'dynamic' ? v : typeof v === 'string' ? parseJson(v) : (toDynamicValue(v, t) as Value),
  todynamic: (types, r, c, e) => SCALAR_FUNCTIONS.parse_json(types, r, c, e),
  toobject: (types, r, c, e) => SCALAR_FUNCTIONS.parse_json(types, r, c, e),
  tolower:
    ([t]) =>
    (v) =>
      str(v, t).toLowerCase(),
  toupper:
    ([t]) =>
    (v) =>
      str(v, t).toUpperCase(),
  strlen:
    ([t]) =>
    (v) =>
      [...str(v, t)].length,
  strcat:
    (types) =>
    (...args) =>
      args.map((a, i) => str(a, types[i])).join(''),
  strcat_delim:
    (types) =>
    (d, ...args) =>
      args.map((a, i) => str(a, types[i + 1])).join(str(d, types[0])),
  isnull:
    ([t]) =>
    (v) =>
      t === 'string' ? false : isNull(v),
  isnotnull:
    ([t]) =>
    (v) =>
      t === 'string' ? true : !isNull(v),
  isempty:
    ([t]) =>
    (v) =>
      isNull(v) || (t !== 'dynamic' && str(v, t) === '') || v === '',
  isnotempty:
    ([t]) =>
    (v) =>
      !(isNull(v) || (t !== 'dynamic' && str(v, t) === '') || v === ''),
  isnan: () => (v) => typeof v === 'number' && Number.isNaN(v),
  split:
    ([t, dt]) =>
    (s, d, i) => {
      const parts = splitValue(str(s, t), str(d, dt));
      if (i === undefined) return parts;
      if (typeof i !== 'number') return null;
      const k = i < 0 ? parts.length + i : i;
      return k >= 0 && k < parts.length ? [parts[k]] : [];
    },
  substring:
    ([t]) =>
    (s, start, len) => {
      const chars = [...str(s, t)];
      const from = Math.max(0, num(start) ?? 0);
      const n = len === undefined || len === null ? chars.length : Math.max(0, num(len) ?? 0);
      return chars.slice(from, from + n).join('');
    },
  indexof:
    ([t, lt]) =>
    (s, lookup, start, length, occurrence) => {
      const hay = str(s, t);
      const needle = str(lookup, lt);
      let from = num(start ?? 0) ?? 0;
      if (from < 0) from = Math.max(0, hay.length + from);
      const end = length === undefined || length === null || (num(length) ?? -1) < 0 ? hay.length : from + (num(length) as number);
      let occ = num(occurrence ?? 1) ?? 1;
      let i = from - 1;
      while (occ-- > 0) {
        i = hay.indexOf(needle, i + 1);
        if (i < 0) return -1;
      }
      return i + needle.length <= end ? i : -1;
    },
  // indexof_regex(source, regex [, start [, length [, occurrence]]]): the source comes first, as in indexof().
  indexof_regex:
    ([t]) =>
    (s, pattern, start, length, occurrence) => {
      const re = regexOf(pattern, 'g');
      if (!re) return null;
      const from = start === undefined ? 0 : num(start);
      const len = length === undefined ? -1 : num(length);
      const occ = occurrence === undefined ? 1 : num(occurrence);
      if (from === null || from < 0 || len === null || len < -1 || occ === null || occ < 0) return null;
      const hay = str(s, t);
      const window = len === -1 ? hay : hay.slice(0, from + len);
      re.lastIndex = from;
      let seen = 0;
      for (let m = re.exec(window); m !== null; m = re.exec(window)) {
        if (++seen >= occ) return m.index;
        if (m[0] === '') re.lastIndex++;
      }
      return -1;
    },
  extract:
    ([, , t], resultType) =>
    (pattern, group, s) => {
      const re = regexOf(pattern);
      const m = re?.exec(str(s, t));
      const g = num(group) ?? 0;
      const text = m && m[g] !== undefined ? m[g] : undefined;
      // extract(regex, group, source, typeof(T)) converts the match; no match (or no conversion) is null, "" for string.
      if (resultType === 'string') return text ?? '';
      if (text === undefined) return null;
      return convertText(text, resultType);
    },
  extract_all: (types) => (pattern, s) => {
    if (types.length !== 2) throw unsupported('extract_all() with capture group numbers');
    const t = types[1];
    const re = regexOf(pattern, 'g');
    if (!re) return null;
    const out: DynamicValue[] = [];
    for (const m of str(s, t).matchAll(re)) out.push(m.length > 2 ? m.slice(1) : (m[1] ?? m[0]));
    return out;
  },
  replace_string:
    ([t, lt, rt]) =>
    (s, lookup, rewrite) =>
      str(s, t).split(str(lookup, lt)).join(str(rewrite, rt)),
  replace_regex:
    ([t, , rt]) =>
    (s, pattern, rewrite) => {
      const re = regexOf(pattern, 'g');
      return re ? str(s, t).replace(re, str(rewrite, rt).replace(/\\(\d)/g, '$$$1')) : null;
    },
  trim:
    ([, t]) =>
    (pattern, s) => {
      const p = typeof pattern === 'string' ? pattern : '';
      return str(s, t).replace(new RegExp(`^(${p})+|(${p})+$`, 'g'), '');
    },
  reverse:
    ([t]) =>
    (s) =>
      [...str(s, t)].reverse().join(''),
  countof:
    ([t, lt, kt]) =>
    (s, search, kind) => {
      const needle = str(search, lt);
      if (!needle) return 0;
      if (kind !== undefined && str(kind, kt) === 'regex') return [...str(s, t).matchAll(regexOf(needle, 'g') as RegExp)].length;
      return str(s, t).split(needle).length - 1;
    },
  array_length: () => (v) => (Array.isArray(v) ? v.length : null),
  array_concat:
    () =>
    (...arrays) =>
      arrays.every(Array.isArray) ? (arrays as DynamicValue[][]).flat() : null,
  array_slice: () => (a, start, end) => {
    if (!Array.isArray(a)) return null;
    const n = a.length;
    const s = num(start) ?? 0;
    const e = num(end) ?? n - 1;
    return a.slice(s < 0 ? n + s : s, (e < 0 ? n + e : e) + 1);
  },
  array_index_of:
    ([, t]) =>
    (a, v) =>
      Array.isArray(a) ? a.indexOf(toDynamicValue(v, t)) : null,
  set_has_element:
    ([, t]) =>
    (a, v) =>
      Array.isArray(a) ? a.some((x) => x === toDynamicValue(v, t)) : null,
  array_sort_asc: (types) => {
    if (types.length > 2 || (types.length === 2 && types[1] !== 'bool')) throw unsupported('array_sort_asc() of several arrays');
    // Values in order (not JS's default text order), nulls last unless the second argument is false.
    return (a, nullsLast) => {
      if (!Array.isArray(a)) return null;
      const last = nullsLast !== false;
      return [...a].sort((x, y) => {
        const xn = x === null;
        const yn = y === null;
        if (xn || yn) return xn === yn ? 0 : xn === last ? 1 : -1;
        return compareValues(x, y);
      });
    };
  },
  set_union:
    () =>
    (...arrays) =>
      arrays.every(Array.isArray) ? [...new Set((arrays as DynamicValue[][]).flat())] : null,
  set_intersect:
    () =>
    (...arrays) =>
      arrays.every(Array.isArray)
        ? [...new Set(arrays[0] as DynamicValue[])].filter((x) => (arrays as DynamicValue[][]).every((a) => a.includes(x)))
        : null,
  set_difference:
    () =>
    (...arrays) =>
      arrays.every(Array.isArray)
        ? [...new Set(arrays[0] as DynamicValue[])].filter((x) => !(arrays as DynamicValue[][]).slice(1).some((a) => a.includes(x)))
        : null,
  bag_keys: () => (v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : null),
  bag_has_key:
    ([, t]) =>
    (v, k) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.hasOwn(v, str(k, t)) : null,
  gettype:
    ([t]) =>
    (v) => {
      if (t !== 'dynamic') return t;
      if (v === null) return 'null';
      if (Array.isArray(v)) return 'array';
      if (typeof v === 'object') return 'dictionary';
      if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'real';
      return typeof v === 'boolean' ? 'bool' : 'string';
    },
  bin:
    ([t]) =>
    (v, size) =>
      t === 'string' ? null : binValue(v, size),
  floor:
    ([t]) =>
    (v, size) =>
      t === 'string' ? null : binValue(v, size),
  bin_at: () => (v, size, at) => binValue(v, size, typeof at === 'number' ? at : 0),
  round: () => (v, digits) => {
    if (typeof v !== 'number') return null;
    const p = 10 ** (num(digits) ?? 0);
    return Math.round(v * p) / p;
  },
  abs: () => (v) => (typeof v === 'number' ? Math.abs(v) : null),
  ceiling: () => (v) => (typeof v === 'number' ? Math.ceil(v) : null),
  sqrt: () => (v) => (typeof v === 'number' ? Math.sqrt(v) : null),
  log: () => (v) => (typeof v === 'number' ? Math.log(v) : null),
  log10: () => (v) => (typeof v === 'number' ? Math.log10(v) : null),
  exp: () => (v) => (typeof v === 'number' ? Math.exp(v) : null),
  pow: () => (a, b) => (typeof a === 'number' && typeof b === 'number' ? a ** b : null),
  max_of:
    () =>
    (...vs) => {
      const ns = vs.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
      return ns.length ? Math.max(...ns) : null;
    },
  min_of:
    () =>
    (...vs) => {
      const ns = vs.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
      return ns.length ? Math.min(...ns) : null;
    },
  startofday: () => (v, off) => (typeof v === 'number' ? startOfDay(v) + (num(off ?? 0) ?? 0) * MS.day : null),
  // The optional second argument moves by that many days, weeks, months or years.
  endofday: () => (v, off) => (typeof v === 'number' ? justBefore(startOfDay(v) + ((num(off ?? 0) ?? 0) + 1) * MS.day) : null),
  startofweek: () => (v, off) => (typeof v === 'number' ? startOfWeek(v) + (num(off ?? 0) ?? 0) * 7 * MS.day : null),
  startofmonth: () => (v, off) => {
    if (typeof v !== 'number') return null;
    const d = new Date(startOfMonth(v));
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + (num(off ?? 0) ?? 0), 1);
  },
  startofyear: () => (v, off) => (typeof v === 'number' ? Date.UTC(new Date(v).getUTCFullYear() + (num(off ?? 0) ?? 0), 0, 1) : null),
  dayofweek: () => (v) => (typeof v === 'number' ? v - startOfWeek(v) - ((v - startOfWeek(v)) % MS.day) : null),
  hourofday: () => (v) => (typeof v === 'number' ? new Date(v).getUTCHours() : null),
  dayofmonth: () => (v) => (typeof v === 'number' ? new Date(v).getUTCDate() : null),
  getmonth: () => (v) => (typeof v === 'number' ? new Date(v).getUTCMonth() + 1 : null),
  getyear: () => (v) => (typeof v === 'number' ? new Date(v).getUTCFullYear() : null),
  datetime_add:
    ([pt]) =>
    (part, amount, dt) => {
      if (typeof dt !== 'number' || typeof amount !== 'number') return null;
      const p = str(part, pt).toLowerCase();
      const d = new Date(dt);
      if (p === 'year') return d.setUTCFullYear(d.getUTCFullYear() + amount);
      if (p === 'quarter') return d.setUTCMonth(d.getUTCMonth() + 3 * amount);
      if (p === 'month') return d.setUTCMonth(d.getUTCMonth() + amount);
      const unit: Record<string, number> = {
        week: 7 * MS.day,
        day: MS.day,
        hour: MS.hour,
        minute: MS.minute,
        second: MS.second,
        millisecond: 1,
      };
      return unit[p] === undefined ? null : dt + amount * unit[p];
    },
  datetime_diff:
    ([pt]) =>
    (part, a, b) => {
      if (typeof a !== 'number' || typeof b !== 'number') return null;
      const p = str(part, pt).toLowerCase();
      const da = new Date(a);
      const db = new Date(b);
      const months = (da.getUTCFullYear() - db.getUTCFullYear()) * 12 + (da.getUTCMonth() - db.getUTCMonth());
      switch (p) {
        case 'year':
          return da.getUTCFullYear() - db.getUTCFullYear();
        case 'quarter':
          return Math.floor(da.getUTCMonth() / 3) - Math.floor(db.getUTCMonth() / 3) + 4 * (da.getUTCFullYear() - db.getUTCFullYear());
        case 'month':
          return months;
        case 'week':
          return Math.round((startOfWeek(a) - startOfWeek(b)) / (7 * MS.day));
        case 'day':
          return Math.round((startOfDay(a) - startOfDay(b)) / MS.day);
        case 'hour':
          return Math.floor(a / MS.hour) - Math.floor(b / MS.hour);
        case 'minute':
          return Math.floor(a / MS.minute) - Math.floor(b / MS.minute);
        case 'second':
          return Math.floor(a / MS.second) - Math.floor(b / MS.second);
        case 'millisecond':
          return Math.floor(a) - Math.floor(b);
        default:
          return null;
      }
    },
  unixtime_seconds_todatetime: () => (v) => (typeof v === 'number' ? v * 1000 : null),
  unixtime_milliseconds_todatetime: () => (v) => (typeof v === 'number' ? v : null),
  make_datetime: () => (y, mo, d, h, mi, s) =>
    typeof y === 'number' ? Date.UTC(y, (num(mo) ?? 1) - 1, num(d) ?? 1, num(h) ?? 0, num(mi) ?? 0, 0) + (num(s) ?? 0) * 1000 : null,
  make_timespan: () => (d, h, m, s) =>
    (num(d) ?? 0) * MS.day + (num(h) ?? 0) * MS.hour + (num(m) ?? 0) * MS.minute + (num(s) ?? 0) * MS.second,
  ipv4_is_private:
    ([t]) =>
    (v) => {
      const s = str(v, t);
      if (ipv4(s) === null) return null;
      return PRIVATE_V4.some((r) => ipv4InRange(s, r));
    },
  ipv4_is_in_range:
    ([t, rt]) =>
    (v, range) =>
      ipv4InRange(str(v, t), str(range, rt)),
  ipv4_is_match:
    ([t, rt]) =>
    (a, b) =>
      ipv4InRange(str(a, t), str(b, rt)),
  parse_url:
    ([t]) =>
    (v): Value => {
      try {
        const u = new URL(str(v, t));
        const query: Record<string, string> = {};
        u.searchParams.forEach((val, key) => {
          query[key] = val;
        });
        return {
          Scheme: u.protocol.replace(/:$/, ''),
          Host: u.hostname,
          Port: u.port,
          Path: u.pathname,
          Username: u.username,
          Password: u.password,
          'Query Parameters': query,
          Fragment: u.hash.replace(/^#/, ''),
        };
      } catch {
        return {} as Value;
      }
    },
};
