/**
 * Time zones for chart axes. Vega formats and ticks dates either in UTC or in the
 * process's local zone; neither is the request's zone. So instants are shifted to the
 * zone's wall-clock time and the chart uses a UTC scale: a tick at "UTC midnight" of a
 * shifted value is midnight in the zone, and labels read as the zone's local time.
 */
import { ChartError } from './chart-error.ts';

const UTC_NAMES = new Set(['UTC', 'ETC/UTC', 'ETC/UCT', 'UCT', 'GMT', 'ETC/GMT', 'ZULU', 'ETC/ZULU', 'UNIVERSAL', 'ETC/UNIVERSAL']);
const WEEK_MS = 7 * 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isUtc(timeZone: string): boolean {
  return UTC_NAMES.has(timeZone.toUpperCase());
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (cause) {
      throw new ChartError('chart_bad_time_zone', `"${timeZone}" is not a time zone name; use an IANA name such as UTC or Asia/Shanghai.`, {
        cause,
      });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws `chart_bad_time_zone` unless `timeZone` is a valid IANA name. */
export function assertTimeZone(timeZone: string): void {
  if (!isUtc(timeZone)) formatter(timeZone);
}

/** The zone's offset from UTC at `utcMs`, in milliseconds (positive east of Greenwich). */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  if (isUtc(timeZone)) return 0;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const whole = utcMs - (((utcMs % 1000) + 1000) % 1000);
  return wall - whole;
}

/** The instant as the zone's wall-clock time, encoded as a UTC epoch (for a UTC scale). */
export function toWallClock(timeZone: string, utcMs: number): number {
  return utcMs + zoneOffsetMs(timeZone, utcMs);
}

function formatOffset(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `UTC${sign}${h}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}

/**
 * How the zone is named on an axis: "UTC", or the IANA name plus the offset when one
 * offset holds over the whole range ("Asia/Shanghai, UTC+8"); across a DST change the
 * name alone.
 */
export function timeZoneLabel(timeZone: string, fromUtcMs?: number, toUtcMs?: number): string {
  if (isUtc(timeZone)) return 'UTC';
  if (fromUtcMs === undefined || toUtcMs === undefined) return timeZone;
  const first = zoneOffsetMs(timeZone, fromUtcMs);
  const step = Math.max(WEEK_MS, (toUtcMs - fromUtcMs) / 60);
  for (let t = fromUtcMs + step; t < toUtcMs + step; t += step) {
    if (zoneOffsetMs(timeZone, Math.min(t, toUtcMs)) !== first) return timeZone;
  }
  return `${timeZone}, ${formatOffset(first)}`;
}
