/**
 * The words that go with a chart: a short text summary and alt text for screen readers, in
 * English or Chinese. Pure: the result table in, text out.
 *
 * - total: the `WindowTotal` column (the catalog's queries repeat it on every row), else the
 *   sum of the value column (the chart's first y column), else (no numbers) the row count;
 * - peak: for time series, the bin with the highest value (summed over series), named in
 *   the request's zone; for categories, the top group and its share of the total;
 * - change: against the `PreviousTotal` column, the previous period of the same length;
 * - nothing in the window (no rows, or a total of 0 — the catalog's zero-filled series and
 *   placeholder rows): "No matching events in the last 7 days." / "过去7天没有匹配的事件。";
 * - alt text: the chart kind, its title, its axes (names, time range or categories), the
 *   range of values and the number of series.
 *
 * Columns are read the way the chart reads them (the chart modules' role rules), so the
 * words describe what is drawn.
 */
import { categoryRoles } from '../charts/categories.ts';
import { normalizeHint } from '../charts/chart-spec.ts';
import {
  columnsOfType,
  type IndexedColumn,
  indexColumns,
  NUMERIC_TYPES,
  PREVIOUS_TOTAL_COLUMN,
  SERIES_TYPES,
  WINDOW_TOTAL_COLUMN,
} from '../charts/columns.ts';
import { EMPTY_SERIES, seriesKey, toNumber } from '../charts/series.ts';
import { binLabel, smallestStep, spansYears } from '../charts/time-labels.ts';
import { timeZoneLabel } from '../charts/time-zone.ts';
import { xyRoles } from '../charts/xy-chart.ts';
import type { RenderHint, ResultTable } from '../result-table.ts';
import type { Language } from './intent.ts';

export interface SummaryOptions {
  language: Language;
  /** IANA zone of the request: times in the text are wall-clock times there. */
  timeZone: string;
  /** The window as the question put it: { en: 'last 30 days', zh: '过去30天' }. */
  windowLabel: { en: string; zh: string };
  /** The chart kind drawn (the `render` visualization): timechart, barchart, table, … */
  chart: string;
  /** The render hint of the query (title, axis titles, xcolumn/ycolumns/series), when there is one. */
  render?: RenderHint;
  /** The chart's title when the hint has none. */
  title?: string;
}

export interface Summary {
  text: string;
  altText: string;
}

const TIME_KINDS = ['timechart', 'linechart', 'areachart', 'stackedareachart'];
const CATEGORY_KINDS = ['columnchart', 'barchart', 'piechart'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const KIND_NAMES: Record<string, { en: string; zh: string }> = {
  timechart: { en: 'Time chart', zh: '时间图' },
  linechart: { en: 'Line chart', zh: '折线图' },
  areachart: { en: 'Area chart', zh: '面积图' },
  stackedareachart: { en: 'Stacked area chart', zh: '堆积面积图' },
  columnchart: { en: 'Column chart', zh: '柱形图' },
  barchart: { en: 'Bar chart', zh: '条形图' },
  piechart: { en: 'Pie chart', zh: '饼图' },
  table: { en: 'Table', zh: '表格' },
};

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
/** "1,234" in both languages (Chinese text in this bot writes Arabic digits with separators too). */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** How the text reads the table: which columns, and what kind of picture they make. */
interface Reading {
  mode: 'time' | 'category' | 'none';
  /** The value column: the chart's first y column. */
  value?: IndexedColumn;
  /** Time or category column. */
  x?: IndexedColumn;
  /** Columns that split the values into series (time) or name a group together with x (table). */
  series: IndexedColumn[];
}

function read(table: ResultTable, opts: SummaryOptions): Reading {
  const hint: RenderHint = { ...opts.render, visualization: opts.chart };
  try {
    if (TIME_KINDS.includes(opts.chart)) {
      const roles = xyRoles(table, hint, { chart: opts.chart, xTypes: [['datetime'], NUMERIC_TYPES], xWords: 'an x column' });
      return { mode: roles.x.type === 'datetime' ? 'time' : 'none', value: roles.ys[0], x: roles.x, series: roles.series };
    }
    if (CATEGORY_KINDS.includes(opts.chart)) {
      const pie = opts.chart === 'piechart';
      const roles = categoryRoles(table, hint, { chart: opts.chart, singleY: pie, seriesOnlyWhenNamed: pie });
      return { mode: roles.x.type === 'datetime' ? 'time' : 'category', value: roles.ys[0], x: roles.x, series: roles.series };
    }
  } catch {
    // A table the chart cannot draw: the chart reports that; the words fall back to plain columns.
  }
  const value = columnsOfType(table, NUMERIC_TYPES)[0];
  const groups = columnsOfType(table, SERIES_TYPES);
  if (value && groups.length) return { mode: 'category', value, x: groups[0], series: groups.slice(1) };
  return { mode: 'none', value, series: [] };
}

function columnNumber(table: ResultTable, name: string): number | undefined {
  const c = indexColumns(table).find((col) => col.name === name);
  if (!c) return undefined;
  for (const row of table.rows) {
    const n = toNumber(row[c.index]);
    if (n !== undefined) return n;
  }
  return undefined;
}

function sumOf(table: ResultTable, col: IndexedColumn | undefined): number {
  if (!col) return 0;
  return table.rows.reduce((s, row) => s + (toNumber(row[col.index]) ?? 0), 0);
}

// --- words ---

/** "in the last 7 days", "this week", "yesterday", "since 2026-10-01". */
function inWindowEn(label: string): string {
  if (/^(last|past|previous) /i.test(label)) return `in the ${label}`;
  if (/^(this|today|yesterday|since|in|on|during) ?/i.test(label)) return label;
  return `in ${label}`;
}

/** "the previous 30 days" for a rolling window, "the previous period" otherwise. */
function previousEn(label: string): string {
  const m = /^(?:last|past) (.+)$/i.exec(label);
  return m ? `the previous ${m[1]}` : 'the previous period';
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function changeWords(total: number, previous: number | undefined, opts: SummaryOptions): string | undefined {
  if (previous === undefined) return undefined;
  const zh = opts.language === 'zh';
  const prev = previousEn(opts.windowLabel.en);
  if (previous <= 0) return zh ? '上一周期没有事件' : `no events in ${prev}`;
  const pct = Math.round(((total - previous) / previous) * 100);
  if (pct === 0) return zh ? '与上一周期持平' : `about the same as ${prev}`;
  if (zh) return `比上一周期${pct > 0 ? '增加' : '减少'}${formatCount(Math.abs(pct))}%`;
  return `${pct > 0 ? '+' : '−'}${formatCount(Math.abs(pct))}% vs ${prev}`;
}

function events(n: number, zh: boolean): string {
  return zh ? `${formatCount(n)}个事件` : `${formatCount(n)} ${n === 1 ? 'event' : 'events'}`;
}

/** The part's share of the whole ("41%", "4.5%"), or undefined when the numbers do not add up. */
function share(part: number, whole: number): string | undefined {
  if (whole <= 0 || part > whole || part < 0) return undefined;
  const pct = (part / whole) * 100;
  return `${pct >= 10 || Number.isInteger(pct) ? Math.round(pct) : pct.toFixed(1)}%`;
}

/** "one per day", "one every 6 hours" / "每天", "每6小时". */
function cadenceWords(ms: number, zh: boolean): string {
  const [n, en, cn] =
    ms % DAY === 0 ? [ms / DAY, 'day', '天'] : ms % HOUR === 0 ? [ms / HOUR, 'hour', '小时'] : [Math.round(ms / MINUTE), 'minute', '分钟'];
  if (zh) return n === 1 ? `每${cn}` : `每${n}${cn}`;
  return n === 1 ? `one per ${en}` : `one every ${n} ${en}s`;
}

// --- analysis ---

interface TimeStats {
  bins: { t: number; value: number }[];
  step?: number;
  peak?: { t: number; value: number };
  seriesTotals: Map<string, number>;
  min: number;
  max: number;
}

function timeStats(table: ResultTable, r: Reading): TimeStats {
  const perBin = new Map<number, number>();
  const seriesTotals = new Map<string, number>();
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const row of table.rows) {
    const raw = row[r.x!.index];
    const t = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
    if (!Number.isFinite(t)) continue;
    const v = toNumber(row[r.value!.index]);
    if (v === undefined) continue;
    perBin.set(t, (perBin.get(t) ?? 0) + v);
    const key = r.series.length ? seriesKey(row, r.series) : '';
    seriesTotals.set(key, (seriesTotals.get(key) ?? 0) + v);
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const bins = [...perBin.entries()].map(([t, value]) => ({ t, value })).sort((a, b) => a.t - b.t);
  const peak = bins.reduce<{ t: number; value: number } | undefined>((best, b) => (!best || b.value > best.value ? b : best), undefined);
  return { bins, step: smallestStep(bins.map((b) => b.t)), peak, seriesTotals, min, max };
}

interface GroupStats {
  groups: { name: string; value: number }[];
  /** How many distinct series split the groups (1 when none). */
  series: number;
  min: number;
  max: number;
}

/**
 * Values summed per group: per category for a chart (its series summed), per combination
 * of the text columns for a table.
 */
function groupStats(table: ResultTable, r: Reading, chart: string): GroupStats {
  const sums = new Map<string, number>();
  const series = new Set<string>();
  const byCategory = chart !== 'table';
  for (const row of table.rows) {
    const v = toNumber(row[r.value!.index]);
    if (v === undefined) continue;
    const name = seriesKey(row, byCategory ? [r.x!] : [r.x!, ...r.series]);
    sums.set(name, (sums.get(name) ?? 0) + v);
    if (byCategory && r.series.length) series.add(seriesKey(row, r.series));
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of sums.values()) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const groups = [...sums.entries()].map(([name, value]) => ({ name, value })).sort((a, b) => b.value - a.value);
  return { groups, series: Math.max(1, series.size), min, max };
}

function timeLabel(t: number, stats: TimeStats, opts: SummaryOptions): string {
  return binLabel(t, opts.timeZone, {
    stepMs: stats.step ?? DAY,
    withYear: spansYears(
      stats.bins.map((b) => b.t),
      opts.timeZone,
    ),
    language: opts.language,
  });
}

/** The zone, said when times of day are shown (dates alone read the same in most zones). */
function zoneNote(stats: TimeStats, opts: SummaryOptions): string {
  if ((stats.step ?? DAY) >= DAY) return '';
  const zone = timeZoneLabel(opts.timeZone, stats.bins[0]?.t, stats.bins[stats.bins.length - 1]?.t);
  return opts.language === 'zh' ? `（${zone}）` : ` (${zone})`;
}

// --- the summary ---

export function summarize(table: ResultTable, options: SummaryOptions): Summary {
  const opts = options.render ? { ...options, render: normalizeHint(options.render) } : options;
  const zh = opts.language === 'zh';
  const r = read(table, opts);
  const windowTotal = columnNumber(table, WINDOW_TOTAL_COLUMN);
  const previous = columnNumber(table, PREVIOUS_TOTAL_COLUMN);
  // Without a value column or a WindowTotal, the rows themselves are what was found (a list of regions, say).
  const countRows = windowTotal === undefined && !r.value;
  const total = countRows ? table.rows.length : (windowTotal ?? sumOf(table, r.value));
  const change = changeWords(total, previous, opts);
  const title = opts.render?.title ?? opts.title;
  const kind = KIND_NAMES[opts.chart] ?? { en: opts.chart, zh: opts.chart };
  const head = `${zh ? kind.zh : kind.en}${title ? (zh ? `：${title}` : `: ${title}`) : ''}`;

  if (table.rows.length === 0 || total === 0) {
    const before = previous !== undefined && previous > 0 ? previous : undefined;
    const text = zh
      ? `${opts.windowLabel.zh}没有匹配的事件${before !== undefined ? `（上一周期为${formatCount(before)}个）` : ''}。`
      : `No matching events ${inWindowEn(opts.windowLabel.en)}${before !== undefined ? ` (${formatCount(before)} in ${previousEn(opts.windowLabel.en)})` : ''}.`;
    return { text, altText: zh ? `${head}。没有数据：${text}` : `${head}. No data: ${text}` };
  }

  const sentences: string[] = [];
  const totalWords = windowTotal !== undefined || !r.value || ['int', 'long'].includes(r.value.type);
  /** A value as the text says it: "100" (en), "100个事件" (zh, counts). */
  const amount = (n: number) => (zh && totalWords ? events(n, true) : formatCount(n));
  const withShare = (n: number) => {
    const pct = share(n, total);
    return pct ? (zh ? `${amount(n)}（${pct}）` : `${amount(n)} (${pct})`) : amount(n);
  };
  const totalText = countRows
    ? zh
      ? `${opts.windowLabel.zh}共${formatCount(total)}条结果`
      : `${formatCount(total)} ${total === 1 ? 'result' : 'results'} ${inWindowEn(opts.windowLabel.en)}`
    : totalWords
      ? zh
        ? `${opts.windowLabel.zh}共${events(total, true)}`
        : `${capitalise(events(total, false))} ${inWindowEn(opts.windowLabel.en)}`
      : zh
        ? `${opts.windowLabel.zh}${r.value!.name}合计${formatCount(total)}`
        : `Total ${r.value!.name} ${inWindowEn(opts.windowLabel.en)}: ${formatCount(total)}`;
  sentences.push(change ? (zh ? `${totalText}，${change}` : `${totalText} (${change})`) : totalText);

  const alt: string[] = [head];
  const xName = (col: IndexedColumn) => opts.render?.xtitle ?? col.name;
  const yName = opts.render?.ytitle ?? r.value?.name ?? '';

  if (r.mode === 'time' && r.value && r.x) {
    const s = timeStats(table, r);
    if (s.peak && s.peak.value > 0) {
      const when = timeLabel(s.peak.t, s, opts) + zoneNote(s, opts);
      sentences.push(zh ? `峰值：${when}，${amount(s.peak.value)}` : `Peak: ${amount(s.peak.value)} on ${when}`);
    }
    const series = [...s.seriesTotals.entries()].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
    if (s.seriesTotals.size > 1 && series.length) {
      const [name, v] = series[0];
      const label = name === '' ? EMPTY_SERIES : name;
      sentences.push(zh ? `最多：${label}，${withShare(v)}` : `Most: ${label}, ${withShare(v)}`);
    }
    if (s.bins.length) {
      const first = timeLabel(s.bins[0].t, s, opts);
      const last = timeLabel(s.bins[s.bins.length - 1].t, s, opts);
      const zone = timeZoneLabel(opts.timeZone, s.bins[0].t, s.bins[s.bins.length - 1].t);
      const every = s.step ? cadenceWords(s.step, zh) : undefined;
      alt.push(
        zh
          ? `横轴：${xName(r.x)}（${zone}），${first}至${last}，${s.bins.length}个时间点${every ? `，${every}` : ''}`
          : `X axis: ${xName(r.x)} (${zone}), ${first} to ${last}, ${s.bins.length} points${every ? `, ${every}` : ''}`,
      );
      alt.push(
        zh
          ? `纵轴：${yName}，${formatCount(s.min)}至${formatCount(s.max)}`
          : `Y axis: ${yName}, from ${formatCount(s.min)} to ${formatCount(s.max)}`,
      );
    }
    const n = s.seriesTotals.size;
    alt.push(zh ? `${n}个系列` : `${n} series`);
  } else if (r.mode === 'category' && r.value && r.x) {
    const g = groupStats(table, r, opts.chart);
    const top = g.groups[0];
    if (top && top.value > 0) {
      sentences.push(zh ? `最多：${top.name}，${withShare(top.value)}` : `Top: ${top.name}, ${withShare(top.value)}`);
    }
    if (opts.chart === 'table') {
      const columns = indexColumns(table).filter((c) => c.name !== WINDOW_TOTAL_COLUMN && c.name !== PREVIOUS_TOTAL_COLUMN);
      alt.push(
        zh
          ? `${formatCount(table.rows.length)}行，${columns.length}列：${columns.map((c) => c.name).join('、')}`
          : `${formatCount(table.rows.length)} rows, ${columns.length} columns: ${columns.map((c) => c.name).join(', ')}`,
      );
    } else {
      const pie = opts.chart === 'piechart';
      const what = zh ? (pie ? '扇区' : '分类') : pie ? 'Slices' : 'Categories';
      alt.push(
        zh
          ? `${what}：${xName(r.x)}，共${g.groups.length}项${top ? `，最大为${top.name}` : ''}`
          : `${what}: ${xName(r.x)} (${g.groups.length})${top ? `, largest ${top.name}` : ''}`,
      );
    }
    alt.push(
      zh
        ? `数值：${yName}，${formatCount(g.min)}至${formatCount(g.max)}`
        : `Values: ${yName}, from ${formatCount(g.min)} to ${formatCount(g.max)}`,
    );
    if (opts.chart !== 'table' && opts.chart !== 'piechart') alt.push(zh ? `${g.series}个系列` : `${g.series} series`);
  } else {
    alt.push(zh ? `${formatCount(table.rows.length)}行` : `${formatCount(table.rows.length)} rows`);
  }

  const text = zh ? `${sentences.join('。')}。` : `${sentences.join('. ')}.`;
  return { text, altText: zh ? `${alt.join('。')}。` : `${alt.join('. ')}.` };
}
