/**
 * Readable time ticks: pick a tick interval from the span and the plot width so that
 * labels such as "Nov 3" never crowd, and a label format that fits the interval. Values
 * are wall-clock times on a UTC scale (see time-zone.ts), so intervals are UTC ones.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * vega-time's unit names, which vega's tickCount looks up: "hours" and "minutes" are
 * plural there (vega's docs and vega-lite's types say "hour", which finds no interval
 * and fails the render with "Cannot read properties of undefined (reading 'every')").
 */
export type Interval = 'minutes' | 'hours' | 'day' | 'week' | 'month' | 'year';

interface TickChoice {
  interval: Interval;
  step: number;
  ms: number;
}

const CHOICES: readonly TickChoice[] = [
  { interval: 'minutes', step: 1, ms: MINUTE },
  { interval: 'minutes', step: 5, ms: 5 * MINUTE },
  { interval: 'minutes', step: 15, ms: 15 * MINUTE },
  { interval: 'minutes', step: 30, ms: 30 * MINUTE },
  { interval: 'hours', step: 1, ms: HOUR },
  { interval: 'hours', step: 3, ms: 3 * HOUR },
  { interval: 'hours', step: 6, ms: 6 * HOUR },
  { interval: 'hours', step: 12, ms: 12 * HOUR },
  { interval: 'day', step: 1, ms: DAY },
  { interval: 'day', step: 2, ms: 2 * DAY },
  { interval: 'week', step: 1, ms: 7 * DAY },
  { interval: 'month', step: 1, ms: 30 * DAY },
  { interval: 'month', step: 3, ms: 91 * DAY },
  { interval: 'year', step: 1, ms: 365 * DAY },
];

/** Room one date label needs, with its gap ("Nov 30" at 12 px is about 40 px). */
export const MIN_TICK_SPACING_PX = 60;

export interface TimeAxis {
  tickCount: { interval: Interval; step: number };
  format?: string;
  labelExpr?: string;
}

/** Date formats per language: "Nov 3" / "11月3日", "Nov 2026" / "2026年11月". */
const FORMATS = {
  en: { day: '%b %-d', month: '%b %Y', year: '%Y' },
  zh: { day: '%-m月%-d日', month: '%Y年%-m月', year: '%Y年' },
} as const;

/** Times of day as "14:00", with the date at midnight, as d3's multi-scale format does. */
const timeOfDayExpr = (day: string) =>
  `utchours(datum.value) === 0 && utcminutes(datum.value) === 0 ? utcFormat(datum.value, '${day}') : utcFormat(datum.value, '%H:%M')`;
/**
 * Every other day, counted from the epoch: steady across month ends, where d3's
 * `utcDay.every(2)` (days of the month 1, 3, …, 31, 1) puts two ticks a day apart.
 */
const everyOtherDayExpr = (day: string) => `floor(datum.value / 864e5) % 2 === 0 ? utcFormat(datum.value, '${day}') : ''`;

/**
 * Tick interval and label format for a time axis from `minMs` to `maxMs` (wall-clock
 * values on a UTC scale). Depends only on the span, not the dates, so charts of the
 * same kind and window share a spec shape (and a cached view in the renderer).
 */
export function timeAxis(minMs: number, maxMs: number, plotWidthPx: number, language: 'en' | 'zh' = 'en'): TimeAxis {
  const f = FORMATS[language];
  const maxTicks = Math.max(2, Math.floor(plotWidthPx / MIN_TICK_SPACING_PX));
  const wanted = Math.max(0, maxMs - minMs) / maxTicks;
  const choice = CHOICES.find((c) => c.ms >= wanted) ?? CHOICES[CHOICES.length - 1];
  const tickCount = { interval: choice.interval, step: choice.step };
  switch (choice.interval) {
    case 'minutes':
    case 'hours':
      return { tickCount, labelExpr: timeOfDayExpr(f.day) };
    case 'day':
      return choice.step === 1
        ? { tickCount, format: f.day }
        : { tickCount: { interval: 'day', step: 1 }, labelExpr: everyOtherDayExpr(f.day) };
    case 'week':
      return { tickCount, format: f.day };
    case 'month':
      return { tickCount, format: f.month };
    case 'year':
      return { tickCount, format: f.year };
  }
}
