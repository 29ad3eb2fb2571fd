/**
 * `render piechart`: the first text column names the slices and the first numeric column
 * sizes them (Kusto: "first column is color-axis, second column is numeric"; xcolumn,
 * ycolumns and series may say otherwise). Rows of the same slice are summed; slices of
 * zero or less cannot be drawn and are left out. Slices run clockwise from 12 o'clock,
 * largest first; beyond MAX_SLICES the smallest are gathered into one "Other (n)" slice.
 * The legend gives each slice's share, and slices of at least MIN_LABEL_SHARE carry it
 * (with their name too when legend=hidden).
 * Kusto's kind=map (a map of points) is not drawn.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RenderHint, ResultTable } from '../result-table.ts';
import { type CategoryRoles, categoryData, categoryRoles } from './categories.ts';
import { DATA_NAME } from './chart-data.ts';
import { ChartError } from './chart-error.ts';
import type { ResolvedChartOptions } from './chart-options.ts';
import { chartConfig, FIT_AUTOSIZE } from './theme.ts';
import { otherLabel } from './words.ts';

/** Slices drawn at most, "Other" included. */
export const MAX_SLICES = 10;
/** Slices smaller than this share carry no percentage (it would not fit). */
export const MIN_LABEL_SHARE = 0.03;

export const PIE_FIELD = { label: 'c', value: 'value', order: 'o', share: 'pl', nameShare: 'pn' } as const;

export interface PieSlice {
  /** Legend label: the slice's name and share, "us-east-1 — 45%". */
  c: string;
  value: number;
  /** Clockwise order, 0 first (the largest). */
  o: number;
  /** The share printed on the slice ("45%"), or "" for slices too small to label. */
  pl: string;
  /** The name and share printed on the slice when there is no legend, or "" for small slices. */
  pn: string;
  /** How the label sits against its point outside the slice: away from the pie on either side. */
  al: 'left' | 'right' | 'center';
  bl: 'middle' | 'bottom' | 'top';
  /** The slice's name alone. */
  name: string;
}

/** Label placement for a slice whose middle is `mid` of the way round, clockwise from 12 o'clock. */
export function labelPlacement(mid: number): { al: PieSlice['al']; bl: PieSlice['bl'] } {
  if (mid < 0.03 || mid > 0.97) return { al: 'center', bl: 'bottom' };
  if (mid > 0.47 && mid < 0.53) return { al: 'center', bl: 'top' };
  return { al: mid < 0.5 ? 'left' : 'right', bl: 'middle' };
}

export interface PieData {
  roles: CategoryRoles;
  slices: PieSlice[];
  total: number;
  /** How many slices "Other" gathers (0 when there is none). */
  other: number;
}

/** "45%", "4.5%", "<0.1%". */
export function formatShare(share: number): string {
  const pct = share * 100;
  if (pct >= 9.95) return `${Math.round(pct)}%`;
  if (pct >= 0.05) return `${pct.toFixed(1)}%`;
  return '<0.1%';
}

export function pieData(table: ResultTable, hint: RenderHint, opts: ResolvedChartOptions): PieData {
  if (hint.kind !== undefined && hint.kind !== 'default') {
    throw new ChartError('chart_bad_property', `A piechart takes no kind here (kind=${String(hint.kind)}); kind=map is not drawn.`);
  }
  const roles = categoryRoles(table, hint, { chart: 'piechart', singleY: true, seriesOnlyWhenNamed: true });
  const data = categoryData(table, roles, opts);
  const several = data.lines.length > 1;
  const named = data.points
    .filter((p) => p.value > 0)
    .map((p, i) => ({ name: several ? `${p.c} · ${p.series}` : p.c, value: p.value, i }))
    .sort((a, b) => b.value - a.value || a.i - b.i);
  let kept = named;
  let other = 0;
  if (named.length > MAX_SLICES) {
    kept = named.slice(0, MAX_SLICES - 1);
    const rest = named.slice(MAX_SLICES - 1);
    other = rest.length;
    kept.push({ name: otherLabel(other, opts.language), value: rest.reduce((s, r) => s + r.value, 0), i: named.length });
  }
  const total = kept.reduce((s, k) => s + k.value, 0);
  let before = 0;
  const slices = kept.map((k, o) => {
    const share = total > 0 ? k.value / total : 0;
    const place = labelPlacement(before + share / 2);
    before += share;
    return {
      ...place,
      c: `${k.name} — ${formatShare(share)}`,
      value: k.value,
      o,
      pl: share >= MIN_LABEL_SHARE ? formatShare(share) : '',
      pn: share >= MIN_LABEL_SHARE ? `${k.name} ${formatShare(share)}` : '',
      name: k.name,
    };
  });
  return { roles, slices, total, other };
}

const TITLE_PX = 44;
const PADDING_PX = 24;
const LABEL_ROOM_PX = 30;

export function piechartSpec(table: ResultTable, hint: RenderHint, opts: ResolvedChartOptions): TopLevelSpec {
  const { slices } = pieData(table, hint, opts);
  const title = hint.title ?? opts.title;
  // Without a legend the slices carry their names too.
  const legend = hint.legend !== 'hidden';
  const radius = Math.max(40, Math.floor((opts.height - (title ? TITLE_PX : 0) - PADDING_PX) / 2) - LABEL_ROOM_PX);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(title ? { title } : {}),
    width: opts.width,
    height: opts.height,
    autosize: FIT_AUTOSIZE,
    config: chartConfig(),
    data: { name: DATA_NAME, values: slices },
    encoding: {
      theta: { field: PIE_FIELD.value, type: 'quantitative', stack: true },
      order: { field: PIE_FIELD.order, type: 'quantitative', sort: 'ascending' },
      color: {
        field: PIE_FIELD.label,
        type: 'nominal',
        sort: { field: PIE_FIELD.order, op: 'min', order: 'ascending' },
        legend: legend ? { title: null, orient: 'right', labelLimit: 320, symbolType: 'square' } : null,
      },
    },
    layer: [
      { mark: { type: 'arc', outerRadius: radius, stroke: '#fff', strokeWidth: 1 } },
      {
        // align/baseline per slice (vega evaluates the expression per datum): labels grow away from the pie.
        mark: { type: 'text', radius: radius + 8, fontSize: 12, align: { expr: 'datum.al' }, baseline: { expr: 'datum.bl' } },
        encoding: { text: { field: legend ? PIE_FIELD.share : PIE_FIELD.nameShare, type: 'nominal' }, color: { value: '#333' } },
      },
    ],
  } as unknown as TopLevelSpec;
}
