/**
 * `render barchart`: horizontal bars, the largest on top. Roles as for a columnchart
 * (categories.ts); text categories are sorted by their total over all series, descending
 * (ties keep row order); time categories stay in time order, oldest on top. Kusto's
 * `kind` as for columns. Single-series bars carry their value at the end. Beyond
 * MAX_TEXT_CATEGORIES categories only the largest are drawn (the subtitle says so).
 * `xtitle` names the category axis and `ytitle` the value axis, as in Kusto's render
 * model (x = categories), although here they lie vertical and horizontal.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RenderHint, ResultTable } from '../result-table.ts';
import { barsSpec, MAX_TEXT_CATEGORIES, MAX_TIME_CATEGORIES } from './bars.ts';
import { type CategoryData, categoryData, categoryRoles, categoryTotals, reorderCategories } from './categories.ts';
import type { ResolvedChartOptions } from './chart-options.ts';
import { stackKindOf, vegaStack } from './value-axis.ts';
import { topCategoriesNote } from './words.ts';

export function barchartData(table: ResultTable, hint: RenderHint, opts: ResolvedChartOptions): { data: CategoryData; note?: string } {
  const all = categoryData(table, categoryRoles(table, hint, { chart: 'barchart' }), opts);
  const total = all.categories.length;
  if (all.timeX) {
    return { data: total <= MAX_TIME_CATEGORIES ? all : reorderCategories(all, all.categories.slice(-MAX_TIME_CATEGORIES)) };
  }
  const totals = categoryTotals(all);
  const place = new Map(all.categories.map((c, i) => [c, i]));
  const sorted = [...all.categories].sort((a, b) => totals.get(b)! - totals.get(a)! || place.get(a)! - place.get(b)!);
  const kept = sorted.slice(0, MAX_TEXT_CATEGORIES);
  const note = kept.length < total ? topCategoriesNote(kept.length, total, opts.language) : undefined;
  return { data: reorderCategories(all, kept), ...(note ? { note } : {}) };
}

export function barchartSpec(table: ResultTable, hint: RenderHint, opts: ResolvedChartOptions): TopLevelSpec {
  const stack = vegaStack(stackKindOf(hint, 'barchart'));
  const { data, note } = barchartData(table, hint, opts);
  return barsSpec({ data, hint, opts, orientation: 'horizontal', stack, note });
}
