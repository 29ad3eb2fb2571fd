/**
 * The bar chart spec behind columnchart (vertical) and barchart (horizontal): one bar per
 * category × series, Kusto's `kind` for series (side by side, stacked, stacked to 100%),
 * the value axis of value-axis.ts, a legend for several series, and at most
 * MAX_TEXT_CATEGORIES text categories (the largest; a subtitle says so).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RenderHint } from '../result-table.ts';
import { CAT_FIELD, type CategoryData, categoryTitle } from './categories.ts';
import { DATA_NAME } from './chart-data.ts';
import type { ResolvedChartOptions } from './chart-options.ts';
import { INTEGER_TYPES } from './columns.ts';
import { chartConfig, FIT_AUTOSIZE } from './theme.ts';
import { stackTotals, valueAxisFormat, valueScale } from './value-axis.ts';

/** Text categories drawn at most; the rest (the smallest) are left out and the subtitle says so. */
export const MAX_TEXT_CATEGORIES = 30;
/** Time categories drawn at most (the latest). */
export const MAX_TIME_CATEGORIES = 400;

export type BarOrientation = 'vertical' | 'horizontal';

export interface BarsInput {
  data: CategoryData;
  hint: RenderHint;
  opts: ResolvedChartOptions;
  orientation: BarOrientation;
  stack: 'zero' | 'normalize' | null;
  /** Under the title, e.g. that only the largest categories are shown. */
  note?: string;
}

const Y_AXIS_PX = 110;
const LEGEND_PX = 180;
/** Rough width of one character of a 12 px label (CJK characters count double). */
const LABEL_CHAR_PX = 7;

function labelChars(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return n;
}

/** More bars than 12 px labels fit beside them in the default height. */
function many(data: CategoryData): boolean {
  return data.categories.length > 20;
}

function categoryAxis(input: BarsInput, showLegend: boolean): Record<string, unknown> {
  const { data, opts, orientation } = input;
  // Every bar keeps its name: many bars get a smaller font rather than every other label hidden.
  if (orientation === 'horizontal') return { labelLimit: 220, labelOverlap: false, labelFontSize: many(data) ? 10 : 12 };
  if (data.timeX) return { labelAngle: 0, labelOverlap: 'parity' };
  const plotWidth = opts.width - Y_AXIS_PX - (showLegend ? LEGEND_PX : 0);
  const widest = data.categories.reduce((m, c) => Math.max(m, labelChars(c)), 0);
  const crowded = data.categories.length * (Math.min(widest, 24) * LABEL_CHAR_PX + 12) > plotWidth;
  // Slanted labels do not collide even when their (axis-aligned) boxes do, so vega's overlap check would hide half of them.
  return crowded ? { labelAngle: -40, labelLimit: 140, labelOverlap: false } : { labelAngle: 0, labelLimit: 180, labelOverlap: true };
}

function valueEncoding(input: BarsInput): Record<string, unknown> {
  const { data, hint, stack } = input;
  const title = hint.ytitle ?? data.roles.ys.map((y) => y.name).join(', ');
  const base = { field: CAT_FIELD.value, type: 'quantitative', title, stack };
  if (stack === 'normalize') return { ...base, scale: { domain: [0, 1] }, axis: { format: '.0%' } };
  const shown = stack === 'zero' ? stackTotals(data.points, (i) => data.points[i].o) : data.points.map((p) => p.value);
  return { ...base, scale: valueScale(hint, shown), axis: valueAxisFormat(data.roles.ys, shown) };
}

/**
 * Values printed at the end of single-series horizontal bars: outside the bar, or inside
 * the longest bars (which have no room beyond them), in a data-free way (the share of the
 * largest value is computed by vega), so every chart of the shape reuses one view.
 */
function valueLabelLayers(input: BarsInput): Record<string, unknown>[] {
  const fontSize = many(input.data) ? 9 : 11;
  const integer = input.data.roles.ys.every((y) => INTEGER_TYPES.includes(y.type));
  const text = { field: CAT_FIELD.value, type: 'quantitative', format: integer ? ',d' : ',.2~f' };
  const share = [{ joinaggregate: [{ op: 'max', field: CAT_FIELD.value, as: 'vmax' }] }];
  return [
    {
      transform: [...share, { filter: 'datum.value >= 0 && datum.value < 0.85 * datum.vmax' }],
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize },
      encoding: { text, color: { value: '#333' } },
    },
    {
      transform: [...share, { filter: 'datum.vmax > 0 && datum.value >= 0.85 * datum.vmax' }],
      mark: { type: 'text', align: 'right', baseline: 'middle', dx: -4, fontSize },
      encoding: { text, color: { value: '#fff' } },
    },
  ];
}

export function barsSpec(input: BarsInput): TopLevelSpec {
  const { data, hint, opts, orientation, stack, note } = input;
  const showLegend = data.lines.length > 1 && hint.legend !== 'hidden';
  const vertical = orientation === 'vertical';
  const category = {
    field: CAT_FIELD.category,
    type: 'nominal',
    sort: { field: CAT_FIELD.order, op: 'min', order: 'ascending' },
    title: categoryTitle(data, hint),
    axis: categoryAxis(input, showLegend),
  };
  const sideBySide = stack === null && data.lines.length > 1;
  const encoding: Record<string, unknown> = {
    [vertical ? 'x' : 'y']: category,
    [vertical ? 'y' : 'x']: valueEncoding(input),
    color: { field: CAT_FIELD.series, type: 'nominal', legend: showLegend ? { title: null, orient: 'right' } : null },
    ...(sideBySide ? { [vertical ? 'xOffset' : 'yOffset']: { field: CAT_FIELD.series, type: 'nominal' } } : {}),
  };
  const text = hint.title ?? opts.title;
  const title = note ? { text: text ?? '', subtitle: note, subtitleFontSize: 12, subtitleColor: '#555' } : text;
  const bar = { type: 'bar' };
  const labelled = !vertical && data.lines.length <= 1 && stack !== 'normalize';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(title ? { title } : {}),
    width: opts.width,
    height: opts.height,
    autosize: FIT_AUTOSIZE,
    config: chartConfig(),
    data: { name: DATA_NAME, values: data.points },
    encoding,
    ...(labelled ? { layer: [{ mark: bar }, ...valueLabelLayers(input)] } : { mark: bar }),
  } as unknown as TopLevelSpec;
}
