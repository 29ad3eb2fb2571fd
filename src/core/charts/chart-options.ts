import { ChartError } from './chart-error.ts';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH } from './theme.ts';
import { assertTimeZone } from './time-zone.ts';

export interface ChartOptions {
  /** IANA zone for axis labels and calendar ticks; default UTC. */
  timeZone?: string;
  /** Outer image width in pixels; default 1040. */
  width?: number;
  /** Outer image height in pixels; default 460. */
  height?: number;
  /** Title when the render hint has none (e.g. the question asked); default none. */
  title?: string;
  /** Language of the words a chart adds itself ("Other", "showing 20 of 1,234 rows"); default en. */
  language?: ChartLanguage;
}

export type ChartLanguage = 'en' | 'zh';

export interface ResolvedChartOptions {
  timeZone: string;
  width: number;
  height: number;
  title: string | undefined;
  language: ChartLanguage;
}

function size(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 100 || value > 4000) {
    throw new RangeError(`chart ${name} must be an integer from 100 to 4000 pixels, not ${value}`);
  }
  return value;
}

export function resolveChartOptions(opts: ChartOptions = {}): ResolvedChartOptions {
  const timeZone = opts.timeZone ?? 'UTC';
  if (typeof timeZone !== 'string' || timeZone === '') {
    throw new ChartError('chart_bad_time_zone', 'The time zone is empty; use an IANA name such as UTC or Asia/Shanghai.');
  }
  assertTimeZone(timeZone);
  return {
    timeZone,
    width: size(opts.width, DEFAULT_WIDTH, 'width'),
    height: size(opts.height, DEFAULT_HEIGHT, 'height'),
    title: opts.title,
    language: opts.language === 'zh' ? 'zh' : 'en',
  };
}
