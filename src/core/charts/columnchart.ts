/**
 * `render columnchart`: vertical bars. x = the category column (categories.ts: the first
 * text or time column), y = the numeric columns, one colour per series. Categories keep
 * the query's row order (time categories: oldest first, named in the request's zone).
 * Kusto's `kind`: `default`/`unstacked` — series side by side; `stacked`; `stacked100`.
 * Beyond MAX_TEXT_CATEGORIES text categories only the largest are drawn (the subtitle
 * says so); beyond MAX_TIME_CATEGORIES time bins, the latest.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RenderHint, ResultTable } from '../result-table.ts';
import { barsSpec, MAX_TEXT_CATEGORIES, MAX_TIME_CATEGORIES } from './bars.ts';
import { type CategoryData, categoryData, categoryRoles, largestCategories, reorderCategories } from './categories.ts';
import type { ResolvedChartOptions } from './chart-options.ts';
import { stackKindOf, vegaStack } from './value-axis.ts';
import { topCategoriesNote } from './words.ts';

export function columnchartData(table: ResultTable, hint: RenderHint, opts: ResolvedChartOptions): { data: CategoryData; note?: string } {
  const all = categoryData(table, categoryRoles(table, hint, { chart: 'columnchart' }), opts);
  const total = all.categories.length;
  if (all.timeX) {
    if (total <= MAX_TIME_CATEGORIES) return { data: all };
    return { data: reorderCategories(all, all.categories.slice(-MAX_TIME_CATEGORIES)) };
  }
  if (total <= MAX_TEXT_CATEGORIES) return { data: all };
  const kept = largestCategories(all, MAX_TEXT_CATEGORIES);
  return { data: reorderCategories(all, kept), note: topCategoriesNote(kept.length, total, opts.language) };
}

export function columnchartSpec(table: ResultTable, hint: RenderHint, opts: ResolvedChartOptions): TopLevelSpec {
  const stack = vegaStack(stackKindOf(hint, 'columnchart'));
  const { data, note } = columnchartData(table, hint, opts);
  return barsSpec({ data, hint, opts, orientation: 'vertical', stack, note });
}
