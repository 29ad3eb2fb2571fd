/**
 * The value (y) axis shared by line, area, column and bar charts: integer ticks with
 * thousands separators for counts, `ymin`/`ymax` from the render hint, an all-zero
 * chart pinned to 0..1, and percentages for kind=stacked100.
 */
import type { RenderHint } from '../result-table.ts';
import { ChartError } from './chart-error.ts';
import { INTEGER_TYPES, type IndexedColumn } from './columns.ts';

export interface AxisFormat {
  format?: string;
  tickMinStep?: number;
}

/** Counts get integer ticks with separators ("1,234"), or SI units ("1.2M") from a million up; reals keep decimals. */
export function valueAxisFormat(ys: readonly IndexedColumn[], values: readonly number[]): AxisFormat {
  if (!ys.every((y) => INTEGER_TYPES.includes(y.type))) return {};
  const max = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return { format: max >= 1e6 ? '~s' : ',d', tickMinStep: 1 };
}

export interface ValueScale {
  zero: true;
  domainMin?: number;
  domainMax?: number;
}

/**
 * `ymin`/`ymax` from the hint. All zeros (no activity yet) would give vega an empty domain
 * and marks floating mid-chart: such a chart is pinned to 0..1 unless ymax says otherwise.
 */
export function valueScale(hint: RenderHint, values: readonly number[]): ValueScale {
  const allZero = values.every((v) => v === 0);
  return {
    zero: true,
    ...(typeof hint.ymin === 'number' ? { domainMin: hint.ymin } : {}),
    ...(typeof hint.ymax === 'number' ? { domainMax: hint.ymax } : allZero ? { domainMax: 1 } : {}),
  };
}

/** Kusto's `kind` for area, column and bar charts. */
export type StackKind = 'default' | 'unstacked' | 'stacked' | 'stacked100';
export const STACK_KINDS: readonly StackKind[] = ['default', 'unstacked', 'stacked', 'stacked100'];

/** vega-lite's `stack` for a Kusto kind: `default` and `unstacked` stand on their own (Kusto's documented default). */
export function vegaStack(kind: StackKind): 'zero' | 'normalize' | null {
  return kind === 'stacked' ? 'zero' : kind === 'stacked100' ? 'normalize' : null;
}

/** The sums a stacked value axis has to show: per x (or category), positive and negative parts apart. */
export function stackTotals(points: readonly { value: number }[], keyOf: (i: number) => string | number): number[] {
  const pos = new Map<string | number, number>();
  const neg = new Map<string | number, number>();
  points.forEach((p, i) => {
    const k = keyOf(i);
    const m = p.value >= 0 ? pos : neg;
    m.set(k, (m.get(k) ?? 0) + p.value);
  });
  return [...pos.values(), ...neg.values()];
}

/** The hint's `kind` for a stackable chart; a value Kusto does not define is refused. */
export function stackKindOf(hint: RenderHint, chart: string): StackKind {
  const kind = hint.kind ?? 'default';
  if (!(STACK_KINDS as readonly string[]).includes(kind)) {
    throw new ChartError('chart_bad_property', `A ${chart} takes kind=${STACK_KINDS.join(', kind=')}; not kind=${String(kind)}.`);
  }
  return kind as StackKind;
}
