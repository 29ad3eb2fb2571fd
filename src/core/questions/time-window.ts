/**
 * Time windows of questions (DESIGN.md, Contracts → Time), in two stages:
 *
 * 1. `findTimePhrases(view)` reads the time words of a question into specs (or problems), with
 *    the span of text each one covers: pure syntax, no clock.
 * 2. `resolveTimeSpec(spec, { now, timeZone })` turns a spec into a TimeWindow.
 *
 * `resolveWindow(text, opts)` does both for a whole text (the parser uses the stages directly).
 *
 * Meanings:
 * - rolling, `[now − N, now)`: "last/past N hours|days|weeks|months", "30d", "24h", "past week"
 *   (7 d), "past month" (30 d), "last day" (1 d), "past year" (365 d), "过去/最近/近N天|小时|周|个月",
 *   Chinese numerals ("过去七天", "最近一个月"). A week is 7 days, a month 30, a year 365.
 *   Bins: 1 h when the window is at most 2 days, else 1 d; aligned to the end (now).
 * - calendar, in the request's time zone, from a local midnight (weeks start on Monday):
 *   today/今天 and this week/本周, this month/本月 end now; yesterday/昨天, last week/上周 and
 *   last month/上个月 end where the period ends. "since 2026-10-01"/"自2026-10-01以来" and
 *   "since yesterday" start at that local midnight and end now. Bins: 1 h for today and
 *   yesterday, 1 d for weeks and months, by length for "since" (as rolling windows); aligned to
 *   the start. Days are 23 or 25 hours long across DST changes: boundaries are local midnights.
 * - English "last week"/"last month" (no number) are the calendar periods, like 上周/上个月;
 *   "past week", "in the last week", "last 7 days" are rolling.
 * - no time words: the last 7 days.
 *
 * Refused (a WindowProblem): empty ("last 0 days"), longer than 365 days, minutes and seconds,
 * calendar years, a "since" date in the future, impossible dates (2026-02-30), "3 days ago",
 * single dates and date ranges, "next week", and two different windows in one question.
 */
import { isUtc, zoneOffsetMs } from '../charts/time-zone.ts';
import type { TimeWindow } from './intent.ts';
import { EN_NUMBER_WORDS_SOURCE, parseChineseNumber, parseCount, ZH_NUMBER_CHARS_SOURCE } from './numerals.ts';
import type { ParseProblem, WindowProblem } from './question-text.ts';
import { asciiLower, normalizeQuestionText } from './text-normalize.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const MAX_WINDOW_DAYS = 365;
export const DEFAULT_WINDOW_DAYS = 7;

export type RollingUnit = 'hour' | 'day' | 'week' | 'month' | 'year';
export type CalendarPeriod = 'today' | 'yesterday' | 'this_week' | 'last_week' | 'this_month' | 'last_month';
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** What time words say, before a clock is consulted. */
export type TimeSpec =
  | { type: 'rolling'; amount: number; unit: RollingUnit }
  | { type: 'calendar'; period: CalendarPeriod }
  | { type: 'since'; from: LocalDate | 'yesterday' };

/** Time words found in a text: [start, end) in that text, and what they say or what is wrong. */
export type TimePhrase = { start: number; end: number; text: string } & ({ spec: TimeSpec } | { problem: WindowProblem });

export interface WindowOptions {
  /** ms since the epoch: the end of rolling windows and of "this …"/"since …" periods. */
  now: number;
  /** IANA zone for calendar boundaries; default UTC. */
  timeZone?: string;
}

// ---------------------------------------------------------------------------- stage 1: reading

const B = '(?<![0-9a-z])'; // ASCII word boundary before
const E = '(?![0-9a-z])'; // and after
const NUM = `(\\d{1,6}|${EN_NUMBER_WORDS_SOURCE})`;
const ZH_NUM = `(\\d{1,6}|${ZH_NUMBER_CHARS_SOURCE}{1,8})`;
const DATE = '(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})(?![0-9])|(\\d{4})年(\\d{1,2})月(\\d{1,2})[日号]?';
const DATE_ONLY = '(?:\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}(?![0-9])|\\d{4}年\\d{1,2}月\\d{1,2}[日号]?)';

const RE_DATE = new RegExp(
  `(?<![0-9])(?:(since|from|after|starting from|starting|beginning|as of|between|on|自从|自|从) ?)?(?:${DATE})` +
    `( ?(?:to|until|till|through|and|-|–|~|至|到|和|与) ?${DATE_ONLY})?(?: ?(以来|起|开始|至今|到现在|到今天|以后|之后))?`,
  'g',
);
const RE_EN_ROLLING = new RegExp(
  `${B}(?:(since|in|over|during|for|within|across) )?(?:the )?(?:(last|past|previous|prior|recent|latest|trailing|next|coming) )?${NUM}( ?)` +
    `(hours|hour|hrs|hr|h|days|day|d|weeks|week|wks|wk|w|months|month|mos|mo|minutes|minute|mins|min|m|seconds|second|secs|sec|s|years|year|yrs|yr|y)` +
    `(?: (ago|back))?${E}`,
  'g',
);
const RE_EN_PERIOD = new RegExp(
  `${B}(?:(since|in|over|during|for|within|across) )?(?:the )?(this past|last|past|previous|prior|trailing|recent|next|coming) ` +
    `(hour|day|week|month|year|minute|second|fortnight)${E}`,
  'g',
);
const RE_EN_CALENDAR = new RegExp(
  `${B}(?:(since|from|starting|as of) )?(today|yesterday|this week|this month|this year|current week|current month|week to date|` +
    `month to date|this morning|this afternoon|this evening|tonight|tomorrow)${E}`,
  'g',
);
const RE_ZH_CALENDAR =
  /(自从|自|从)?(今天|今日|昨天|昨日|本周|这周|这一周|这个星期|本星期|这星期|这个礼拜|本礼拜|这礼拜|上周|上一周|上个星期|上星期|上个礼拜|上礼拜|本月|这个月|这月|上个月|上一个月|上月|今年|本年|去年|明天|前天)(以来|起|开始|至今|到现在|以后)?/g;
const RE_ZH_ROLLING = new RegExp(
  `(过去的|最近的|过去|最近|近|前|这)? ?${ZH_NUM} ?(个)? ?(小时|钟头|天|日|周|星期|礼拜|月|年|分钟|秒钟|秒)(以内|之内|内|以来|里|当中|中|期间|来)?(以前|之前|前(?! ?(?:\\d|${ZH_NUMBER_CHARS_SOURCE})))?`,
  'g',
);

const EN_CALENDAR: Record<string, CalendarPeriod> = {
  today: 'today',
  yesterday: 'yesterday',
  'this week': 'this_week',
  'current week': 'this_week',
  'week to date': 'this_week',
  'this month': 'this_month',
  'current month': 'this_month',
  'month to date': 'this_month',
};
const ZH_CALENDAR: Record<string, CalendarPeriod | 'year' | 'other'> = {
  今天: 'today',
  今日: 'today',
  昨天: 'yesterday',
  昨日: 'yesterday',
  本周: 'this_week',
  这周: 'this_week',
  这一周: 'this_week',
  这个星期: 'this_week',
  本星期: 'this_week',
  这星期: 'this_week',
  这个礼拜: 'this_week',
  本礼拜: 'this_week',
  这礼拜: 'this_week',
  上周: 'last_week',
  上一周: 'last_week',
  上个星期: 'last_week',
  上星期: 'last_week',
  上个礼拜: 'last_week',
  上礼拜: 'last_week',
  本月: 'this_month',
  这个月: 'this_month',
  这月: 'this_month',
  上个月: 'last_month',
  上一个月: 'last_month',
  上月: 'last_month',
  今年: 'year',
  本年: 'year',
  去年: 'year',
  明天: 'other',
  前天: 'other',
};

function enUnit(word: string): RollingUnit | 'minute' | 'second' {
  if (word.startsWith('h')) return 'hour';
  if (word.startsWith('d')) return 'day';
  if (word.startsWith('w')) return 'week';
  if (word === 'm' || word.startsWith('mi')) return 'minute';
  if (word.startsWith('mo')) return 'month';
  if (word.startsWith('s')) return 'second';
  return 'year';
}

function zhUnit(word: string): RollingUnit | 'minute' | 'second' {
  if (word === '小时' || word === '钟头') return 'hour';
  if (word === '天' || word === '日') return 'day';
  if (word === '周' || word === '星期' || word === '礼拜') return 'week';
  if (word === '月') return 'month';
  if (word === '年') return 'year';
  if (word === '分钟') return 'minute';
  return 'second';
}

function rollingOrProblem(amount: number, unit: RollingUnit | 'minute' | 'second'): { spec: TimeSpec } | { problem: WindowProblem } {
  if (unit === 'minute' || unit === 'second') return { problem: { problem: 'unit', unit } };
  return { spec: { type: 'rolling', amount, unit } };
}

function readDate(y: string, m: string, d: string): { date: LocalDate } | { problem: WindowProblem } {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const text = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const probe = new Date(Date.UTC(year, month - 1, day));
  const valid =
    year >= 1970 &&
    month >= 1 &&
    month <= 12 &&
    probe.getUTCFullYear() === year &&
    probe.getUTCMonth() === month - 1 &&
    probe.getUTCDate() === day;
  return valid ? { date: { year, month, day } } : { problem: { problem: 'not_a_date', date: text } };
}

/**
 * Time phrases in `view` (normalized and ASCII-lowercased, see text-normalize.ts), leftmost
 * first, not overlapping. `original` (same length) supplies the words quoted in problems.
 * Linear in the length of the text.
 */
export function findTimePhrases(view: string, original: string = view): TimePhrase[] {
  const found: TimePhrase[] = [];
  const claimed = new Uint8Array(view.length);
  const free = (s: number, e: number): boolean => {
    for (let i = s; i < e; i++) if (claimed[i]) return false;
    return true;
  };
  const add = (start: number, end: number, r: { spec: TimeSpec } | { problem: WindowProblem }): void => {
    claimed.fill(1, start, end);
    found.push({ start, end, text: original.slice(start, end), ...r });
  };
  const scan = (re: RegExp, read: (m: RegExpExecArray) => { spec: TimeSpec } | { problem: WindowProblem } | undefined): void => {
    re.lastIndex = 0;
    for (let m = re.exec(view); m; m = re.exec(view)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const start = m.index;
      const end = start + m[0].length;
      if (!free(start, end)) continue;
      const r = read(m);
      if (r) add(start, end, r);
    }
  };

  // Dates first: "since 2026-10-01", "自2026年10月1日起"; single dates and ranges are refused.
  scan(RE_DATE, (m) => {
    const [whole, prefix, y1, m1, d1, y2, m2, d2, range, suffix] = m;
    const read = y1 ? readDate(y1, m1, d1) : readDate(y2, m2, d2);
    if ('problem' in read) return read;
    const since = prefix !== undefined && prefix !== 'on' && prefix !== 'between' ? true : suffix !== undefined;
    if (range || !since) return { problem: { problem: 'range', phrase: original.slice(m.index, m.index + whole.length) } };
    return { spec: { type: 'since', from: read.date } };
  });

  scan(RE_EN_ROLLING, (m) => {
    const [whole, lead, word, num, space, unitWord, ago] = m;
    // "30d" and "24h" only as one word with digits: "5 s3" is not "5 seconds".
    if (unitWord.length === 1 && (space || !/^\d/.test(num))) return undefined;
    const amount = parseCount(num);
    if (amount === undefined) return undefined;
    const phrase = original.slice(m.index, m.index + whole.length);
    if (word === 'next' || word === 'coming') return { problem: { problem: 'unclear', words: phrase } };
    if (ago && lead !== 'since') return { problem: { problem: 'ago', phrase } };
    return rollingOrProblem(amount, enUnit(unitWord));
  });

  scan(RE_EN_PERIOD, (m) => {
    const [whole, lead, word, unit] = m;
    const phrase = original.slice(m.index, m.index + whole.length);
    if (word === 'next' || word === 'coming' || lead === 'since') return { problem: { problem: 'unclear', words: phrase } };
    if (unit === 'minute' || unit === 'second') return { problem: { problem: 'unit', unit } };
    const duration = lead !== undefined || word === 'past' || word === 'trailing' || word === 'this past' || word === 'recent';
    if (unit === 'week' || unit === 'month') {
      if (!duration) return { spec: { type: 'calendar', period: unit === 'week' ? 'last_week' : 'last_month' } };
      return { spec: { type: 'rolling', amount: 1, unit } };
    }
    if (unit === 'year')
      return duration ? { spec: { type: 'rolling', amount: 1, unit: 'year' } } : { problem: { problem: 'unit', unit: 'year' } };
    if (unit === 'fortnight') return { spec: { type: 'rolling', amount: 2, unit: 'week' } };
    return { spec: { type: 'rolling', amount: 1, unit: unit === 'hour' ? 'hour' : 'day' } };
  });

  scan(RE_EN_CALENDAR, (m) => {
    const [whole, since, word] = m;
    const phrase = original.slice(m.index, m.index + whole.length);
    if (word === 'this year') return { problem: { problem: 'unit', unit: 'year' } };
    const period = EN_CALENDAR[word];
    if (!period) return { problem: { problem: 'unclear', words: phrase } };
    if (since && period === 'yesterday') return { spec: { type: 'since', from: 'yesterday' } };
    return { spec: { type: 'calendar', period } };
  });

  scan(RE_ZH_CALENDAR, (m) => {
    const [whole, since, word, suffix] = m;
    const period = ZH_CALENDAR[word];
    const phrase = original.slice(m.index, m.index + whole.length);
    if (period === 'year') return { problem: { problem: 'unit', unit: 'year' } };
    if (period === 'other') return { problem: { problem: 'unclear', words: phrase } };
    if (since || suffix) {
      if (period === 'yesterday') return { spec: { type: 'since', from: 'yesterday' } };
      if (period === 'last_week' || period === 'last_month') return { problem: { problem: 'unclear', words: phrase } };
    }
    return { spec: { type: 'calendar', period } };
  });

  scan(RE_ZH_ROLLING, (m) => {
    const [whole, prefix, num, ge, unitWord, within, before] = m;
    const unit = zhUnit(unitWord);
    const digits = /^\d/.test(num);
    // "3月" is March and "7日" the 7th: months and 日 need 个, a prefix or a suffix.
    if ((unitWord === '月' && !ge && !prefix) || (unitWord === '日' && !ge && !prefix && !within)) return undefined;
    const amount = digits ? Number(num) : parseChineseNumber(num);
    if (amount === undefined) return undefined;
    if (before && prefix !== '前') return { problem: { problem: 'ago', phrase: original.slice(m.index, m.index + whole.length) } };
    return rollingOrProblem(amount, unit);
  });

  return found.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------- stage 2: resolving

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export function formatLocalDate(d: LocalDate): string {
  return `${String(d.year).padStart(4, '0')}-${pad2(d.month)}-${pad2(d.day)}`;
}

/** The calendar date at `ms` in the zone, with the weekday (0 = Sunday). */
export function localDateAt(timeZone: string, ms: number): LocalDate & { weekday: number } {
  const wall = new Date(ms + zoneOffsetMs(timeZone, ms));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), weekday: wall.getUTCDay() };
}

/** The date `days` after `d` (negative: before). */
export function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function sameDate(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

/**
 * The first instant of a local date in the zone: its midnight, or, where a DST change skips
 * midnight, the moment the day begins. Offsets are read on both sides of the day, so the result
 * is right on the days clocks change.
 */
export function startOfLocalDay(timeZone: string, d: LocalDate): number {
  const wall = Date.UTC(d.year, d.month - 1, d.day);
  if (isUtc(timeZone)) return wall;
  const offsets = new Set([zoneOffsetMs(timeZone, wall - DAY_MS), zoneOffsetMs(timeZone, wall), zoneOffsetMs(timeZone, wall + DAY_MS)]);
  let best: number | undefined;
  for (const o of offsets) {
    const t = wall - o;
    if (sameDate(localDateAt(timeZone, t), d) && (best === undefined || t < best)) best = t;
  }
  return best ?? wall - zoneOffsetMs(timeZone, wall);
}

const CALENDAR_LABELS: Record<CalendarPeriod, { en: string; zh: string }> = {
  today: { en: 'today', zh: '今天' },
  yesterday: { en: 'yesterday', zh: '昨天' },
  this_week: { en: 'this week', zh: '本周' },
  last_week: { en: 'last week', zh: '上周' },
  this_month: { en: 'this month', zh: '本月' },
  last_month: { en: 'last month', zh: '上个月' },
};

const UNIT_DAYS: Record<Exclude<RollingUnit, 'hour'>, number> = { day: 1, week: 7, month: 30, year: 365 };

/** The canonical label of a spec, the same whichever language or words asked for it. */
export function specLabel(spec: TimeSpec): { en: string; zh: string } {
  switch (spec.type) {
    case 'rolling': {
      if (spec.unit === 'hour') return { en: `last ${spec.amount} ${spec.amount === 1 ? 'hour' : 'hours'}`, zh: `过去${spec.amount}小时` };
      const days = spec.amount * UNIT_DAYS[spec.unit];
      return { en: `last ${days} ${days === 1 ? 'day' : 'days'}`, zh: `过去${days}天` };
    }
    case 'calendar':
      return CALENDAR_LABELS[spec.period];
    case 'since':
      if (spec.from === 'yesterday') return { en: 'since yesterday', zh: '自昨天起' };
      return { en: `since ${formatLocalDate(spec.from)}`, zh: `自${formatLocalDate(spec.from)}起` };
  }
}

const binForLength = (ms: number): number => (ms <= 2 * DAY_MS ? HOUR_MS : DAY_MS);

export type SpecResult = { ok: true; window: TimeWindow } | { ok: false; problem: WindowProblem };

/** A spec resolved against `now` and the zone. The zone must be valid (see isTimeZone). */
export function resolveTimeSpec(spec: TimeSpec, opts: WindowOptions, phrase = specLabel(spec).en): SpecResult {
  const { now } = opts;
  const timeZone = opts.timeZone ?? 'UTC';
  const label = specLabel(spec);
  const tooLong = (ms: number): SpecResult => ({
    ok: false,
    problem: { problem: 'too_long', phrase, days: Math.ceil(ms / DAY_MS), maxDays: MAX_WINDOW_DAYS },
  });
  switch (spec.type) {
    case 'rolling': {
      if (spec.amount < 1) return { ok: false, problem: { problem: 'empty', phrase } };
      const length = spec.amount * (spec.unit === 'hour' ? HOUR_MS : UNIT_DAYS[spec.unit] * DAY_MS);
      if (length > MAX_WINDOW_DAYS * DAY_MS) return tooLong(length);
      return { ok: true, window: { kind: 'rolling', start: now - length, end: now, bin: binForLength(length), binOrigin: now, label } };
    }
    case 'calendar': {
      const today = localDateAt(timeZone, now);
      const startOfToday = startOfLocalDay(timeZone, today);
      const monday = addDays(today, -((today.weekday + 6) % 7));
      const firstOfMonth = { year: today.year, month: today.month, day: 1 };
      let start: number;
      let end: number;
      switch (spec.period) {
        case 'today':
          [start, end] = [startOfToday, now];
          break;
        case 'yesterday':
          [start, end] = [startOfLocalDay(timeZone, addDays(today, -1)), startOfToday];
          break;
        case 'this_week':
          [start, end] = [startOfLocalDay(timeZone, monday), now];
          break;
        case 'last_week':
          [start, end] = [startOfLocalDay(timeZone, addDays(monday, -7)), startOfLocalDay(timeZone, monday)];
          break;
        case 'this_month':
          [start, end] = [startOfLocalDay(timeZone, firstOfMonth), now];
          break;
        case 'last_month': {
          const prev =
            today.month === 1 ? { year: today.year - 1, month: 12, day: 1 } : { year: today.year, month: today.month - 1, day: 1 };
          [start, end] = [startOfLocalDay(timeZone, prev), startOfLocalDay(timeZone, firstOfMonth)];
          break;
        }
      }
      const bin = spec.period === 'today' || spec.period === 'yesterday' ? HOUR_MS : DAY_MS;
      return { ok: true, window: { kind: 'calendar', start, end, bin, binOrigin: start, label } };
    }
    case 'since': {
      const from = spec.from === 'yesterday' ? addDays(localDateAt(timeZone, now), -1) : spec.from;
      const start = startOfLocalDay(timeZone, from);
      if (start > now) return { ok: false, problem: { problem: 'future', date: formatLocalDate(from) } };
      if (now - start > MAX_WINDOW_DAYS * DAY_MS) return tooLong(now - start);
      return { ok: true, window: { kind: 'calendar', start, end: now, bin: binForLength(now - start), binOrigin: start, label } };
    }
  }
}

/** The window when a question names none: the last 7 days. */
export function defaultWindow(now: number): TimeWindow {
  const r = resolveTimeSpec({ type: 'rolling', amount: DEFAULT_WINDOW_DAYS, unit: 'day' }, { now });
  if (!r.ok) throw new Error('unreachable: the default window is valid');
  return r.window;
}

/** Whether the zone is an IANA name (or UTC) that Intl knows. */
export function isTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  if (isUtc(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The window of a set of phrases: the default when there are none, the first problem if any,
 * a problem if two phrases mean different windows.
 */
export function windowFromPhrases(phrases: readonly TimePhrase[], opts: WindowOptions): SpecResult & { defaulted: boolean } {
  let chosen: { window: TimeWindow; text: string } | undefined;
  for (const p of phrases) {
    if ('problem' in p) return { ok: false, problem: p.problem, defaulted: false };
    const r = resolveTimeSpec(p.spec, opts, p.text);
    if (!r.ok) return { ...r, defaulted: false };
    if (!chosen) chosen = { window: r.window, text: p.text };
    else if (chosen.window.start !== r.window.start || chosen.window.end !== r.window.end) {
      return { ok: false, problem: { problem: 'two_windows', first: chosen.text, second: p.text }, defaulted: false };
    }
  }
  return chosen ? { ok: true, window: chosen.window, defaulted: false } : { ok: true, window: defaultWindow(opts.now), defaulted: true };
}

export type WindowResult = { ok: true; window: TimeWindow; defaulted: boolean } | { ok: false; problem: ParseProblem };

/**
 * The window a text names ("last 30 days", "本周", "since 2026-10-01"), resolved against `now`
 * in the zone (default UTC); the last 7 days when it names none. Never throws for any text;
 * throws a RangeError when `now` is not a finite number (a caller's bug).
 */
export function resolveWindow(text: string, opts: WindowOptions): WindowResult {
  if (!Number.isFinite(opts.now)) throw new RangeError(`resolveWindow: now must be a finite number of ms, not ${String(opts.now)}`);
  const timeZone = opts.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) return { ok: false, problem: { code: 'bad_time_zone', timeZone: String(timeZone) } };
  const normalized = normalizeQuestionText(text).slice(0, 1000);
  const r = windowFromPhrases(findTimePhrases(asciiLower(normalized), normalized), { now: opts.now, timeZone });
  return r.ok ? r : { ok: false, problem: { code: 'bad_window', window: r.problem } };
}
