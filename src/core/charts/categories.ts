/**
 * What columnchart, barchart and piechart share: a category column (the x column of
 * Kusto's render model), numeric y columns and series columns, and the rows summed per
 * category × series.
 * - x = hint.xcolumn, else the first string (or datetime, guid, bool) column, in table
 *   order; with none of those, the first numeric column when another numeric one is left
 *   to plot;
 * - y = hint.ycolumns, else every other numeric column;
 * - series = hint.series, else the other string columns;
 * - categories keep the order of the rows (Kusto: "sort the data to define the order of
 *   the x axis"); time categories are sorted in time and named in the request's zone
 *   ("Nov 24", "Nov 24 13:00"); a null or empty value is "(empty)".
 */
import { KUSTO_TYPES, type KustoType, type RenderHint, type ResultTable, type WireValue } from '../result-table.ts';
import { ChartError } from './chart-error.ts';
import type { ResolvedChartOptions } from './chart-options.ts';
import { columnsOfType, describeColumns, type IndexedColumn, NUMERIC_TYPES, namedColumn, seriesColumns } from './columns.ts';
import { EMPTY_SERIES, lineName, seriesKey, toNumber } from './series.ts';
import { binLabel, smallestStep, spansYears, timestampLabel } from './time-labels.ts';
import { timeZoneLabel } from './time-zone.ts';

/** Column types that name categories, in no particular preference: the first such column is x. */
export const CATEGORY_TYPES: readonly KustoType[] = ['string', 'datetime', 'guid', 'bool'];

/** Field names of category rows in the spec (see chart-data.ts for the idea). */
export const CAT_FIELD = { category: 'c', value: 'value', series: 'series', order: 'o' } as const;

export interface CategoryPoint {
  /** The category's label (what the axis shows). */
  c: string;
  value: number;
  series: string;
  /** The category's place on the axis, 0 first. */
  o: number;
}

export interface CategoryRoles {
  x: IndexedColumn;
  ys: IndexedColumn[];
  series: IndexedColumn[];
}

export interface CategoryRoleRules {
  chart: string;
  /** Only the first numeric column is y unless ycolumns names more (piechart). */
  singleY?: boolean;
  /** Series only when the hint names them (piechart: one slice per category). */
  seriesOnlyWhenNamed?: boolean;
}

export function categoryRoles(table: ResultTable, hint: RenderHint, rules: CategoryRoleRules): CategoryRoles {
  let x: IndexedColumn | undefined;
  if (hint.xcolumn) x = namedColumn(table, hint.xcolumn, KUSTO_TYPES, 'x');
  else {
    const first = columnsOfType(table, CATEGORY_TYPES)[0];
    const numbers = columnsOfType(table, NUMERIC_TYPES);
    x = first ?? (numbers.length >= 2 ? numbers[0] : undefined);
  }
  if (!x) {
    throw new ChartError(
      'chart_bad_columns',
      `A ${rules.chart} needs a column of categories (text, such as an event name) and a numeric column; the result has ${describeColumns(table)}.`,
    );
  }
  const numeric = hint.ycolumns?.length
    ? hint.ycolumns.map((name) => namedColumn(table, name, NUMERIC_TYPES, 'y'))
    : columnsOfType(table, NUMERIC_TYPES, [x]);
  const ys = rules.singleY && !hint.ycolumns?.length ? numeric.slice(0, 1) : numeric;
  if (ys.length === 0) {
    throw new ChartError(
      'chart_bad_columns',
      `A ${rules.chart} needs a numeric column for the size of each ${rules.chart === 'piechart' ? 'slice' : 'bar'}; the result has ${describeColumns(table)}.`,
    );
  }
  const series = rules.seriesOnlyWhenNamed && !hint.series?.length ? [] : seriesColumns(table, hint.series, [x, ...ys]);
  return { x, ys, series };
}

export interface CategoryData {
  roles: CategoryRoles;
  /** One point per category × series that has a value, in category order. */
  points: CategoryPoint[];
  /** Category labels in axis order. */
  categories: string[];
  /** Series names, sorted. */
  lines: string[];
  /** Whether the categories are times (then named in the zone, sorted in time). */
  timeX: boolean;
  /** The zone as the axis title names it, for time categories. */
  zone?: string;
}

function plainLabel(v: WireValue): string {
  if (v === null || v === undefined || v === '') return EMPTY_SERIES;
  return String(v);
}

/** Labels for time categories: the date, the time of day when bins are shorter than a day, the full time if they still collide. */
function timeLabels(times: readonly number[], opts: ResolvedChartOptions): Map<number, string> {
  const withYear = spansYears(times, opts.timeZone);
  const step = smallestStep(times) ?? 86_400_000;
  const attempts: ((t: number) => string)[] = [
    (t) => binLabel(t, opts.timeZone, { stepMs: step, withYear, language: opts.language }),
    (t) => binLabel(t, opts.timeZone, { stepMs: 0, withYear, language: opts.language }),
    (t) => timestampLabel(t, opts.timeZone),
  ];
  for (const label of attempts) {
    const labels = new Map(times.map((t) => [t, label(t)]));
    if (new Set(labels.values()).size === labels.size) return labels;
  }
  return new Map(times.map((t) => [t, String(t)]));
}

/** The rows summed per category × series, categories in row order (time categories in time order). */
export function categoryData(table: ResultTable, roles: CategoryRoles, opts: ResolvedChartOptions): CategoryData {
  const timeX = roles.x.type === 'datetime';
  const sums = new Map<string, Map<string, number>>();
  const keys: WireValue[] = [];
  const lines = new Set<string>();
  for (const row of table.rows) {
    let key: WireValue = row[roles.x.index] ?? null;
    if (timeX) {
      const t = typeof key === 'string' ? Date.parse(key) : Number.NaN;
      if (!Number.isFinite(t)) continue;
      key = t;
    } else key = plainLabel(key);
    const id = String(key);
    let perSeries = sums.get(id);
    if (!perSeries) {
      perSeries = new Map();
      sums.set(id, perSeries);
      keys.push(key);
    }
    const sKey = roles.series.length ? seriesKey(row, roles.series) : undefined;
    for (const y of roles.ys) {
      const series = lineName(sKey, y, roles.ys);
      lines.add(series);
      const value = toNumber(row[y.index]);
      if (value !== undefined) perSeries.set(series, (perSeries.get(series) ?? 0) + value);
    }
  }
  let labels: Map<WireValue, string>;
  let zone: string | undefined;
  if (timeX) {
    const times = (keys as number[]).sort((a, b) => a - b);
    labels = timeLabels(times, opts);
    zone = times.length ? timeZoneLabel(opts.timeZone, times[0], times[times.length - 1]) : timeZoneLabel(opts.timeZone);
  } else labels = new Map(keys.map((k) => [k, k as string]));
  const categories: string[] = [];
  const points: CategoryPoint[] = [];
  keys.forEach((key, o) => {
    const c = labels.get(key) ?? String(key);
    categories.push(c);
    for (const [series, value] of sums.get(String(key)) ?? []) points.push({ c, value, series, o });
  });
  return { roles, points, categories, lines: [...lines].sort(), timeX, zone };
}

/** Each category's total over its series. */
export function categoryTotals(data: CategoryData): Map<string, number> {
  const totals = new Map<string, number>(data.categories.map((c) => [c, 0]));
  for (const p of data.points) totals.set(p.c, (totals.get(p.c) ?? 0) + p.value);
  return totals;
}

/**
 * Reorders (and renumbers) the categories: `order` lists the labels to keep, first to
 * last; points of other categories are dropped.
 */
export function reorderCategories(data: CategoryData, order: readonly string[]): CategoryData {
  const place = new Map(order.map((c, i) => [c, i]));
  const points = data.points
    .filter((p) => place.has(p.c))
    .map((p) => ({ ...p, o: place.get(p.c)! }))
    .sort((a, b) => a.o - b.o || (a.series < b.series ? -1 : a.series > b.series ? 1 : 0));
  return { ...data, points, categories: [...order] };
}

/** The `keep` categories with the largest totals, in their current order (all when there are no more). */
export function largestCategories(data: CategoryData, keep: number): string[] {
  if (data.categories.length <= keep) return data.categories;
  const totals = categoryTotals(data);
  const top = new Set([...data.categories].sort((a, b) => totals.get(b)! - totals.get(a)!).slice(0, keep));
  return data.categories.filter((c) => top.has(c));
}

/** The category axis title: the hint's xtitle or the column name, with the zone for times. */
export function categoryTitle(data: CategoryData, hint: RenderHint): string {
  const name = hint.xtitle ?? data.roles.x.name;
  return data.timeX ? `${name} (${data.zone})` : name;
}
