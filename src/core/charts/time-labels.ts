/**
 * Times as words, in the request's zone: bin labels for category axes ("Nov 24",
 * "Nov 24 13:00"), table cells ("2025-11-24 13:07:00") and the text summary ("11月24日").
 * Instants are shifted to the zone's wall clock (time-zone.ts) and read with UTC getters.
 */
import type { ChartLanguage } from './chart-options.ts';
import { toWallClock } from './time-zone.ts';

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number) => String(n).padStart(2, '0');

export interface BinLabelOptions {
  /** The bin size in ms: at least a day shows the date only, less shows the time of day too. */
  stepMs?: number;
  /** Add the year ("Nov 24, 2025", "2025年11月24日"). */
  withYear?: boolean;
  language?: ChartLanguage;
}

/** A time bin's label in the zone: "Nov 24" / "Nov 24 13:00" (en), "11月24日" / "11月24日 13:00" (zh). */
export function binLabel(utcMs: number, timeZone: string, opts: BinLabelOptions = {}): string {
  const d = new Date(toWallClock(timeZone, utcMs));
  const withTime = (opts.stepMs ?? DAY_MS) < DAY_MS;
  const time = withTime ? ` ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` : '';
  if (opts.language === 'zh') {
    return `${opts.withYear ? `${d.getUTCFullYear()}年` : ''}${d.getUTCMonth() + 1}月${d.getUTCDate()}日${time}`;
  }
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}${opts.withYear ? `, ${d.getUTCFullYear()}` : ''}${time}`;
}

/** A full timestamp in the zone, ISO-like without the offset: "2025-11-24 13:07:00" (".250" when it has milliseconds). */
export function timestampLabel(utcMs: number, timeZone: string): string {
  const d = new Date(toWallClock(timeZone, utcMs));
  const ms = d.getUTCMilliseconds();
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${ms ? `.${String(ms).padStart(3, '0')}` : ''}`
  );
}

/** The smallest gap between sorted distinct times (their bin size), or undefined for fewer than two. */
export function smallestStep(times: readonly number[]): number | undefined {
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  let step: number | undefined;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i] - sorted[i - 1];
    if (step === undefined || gap < step) step = gap;
  }
  return step;
}

/** Whether the wall-clock times in the zone fall in more than one calendar year. */
export function spansYears(utcTimes: readonly number[], timeZone: string): boolean {
  const years = new Set(utcTimes.map((t) => new Date(toWallClock(timeZone, t)).getUTCFullYear()));
  return years.size > 1;
}
