/**
 * Zero-filling of time series, as Log Analytics draws a timechart: when the x values lie
 * on a regular step (the output of `bin()` / `bin_at()`), a point missing from a series
 * is drawn as 0 rather than bridged by a line. Irregular x values (raw timestamps,
 * calendar months) are left as they are.
 */

/** Steps finer than this are not bins but raw timestamps: no filling. */
export const MIN_FILL_STEP_MS = 1000;
/** Never grow a series past this many points by filling. */
export const MAX_FILL_POINTS = 5000;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export interface TimeGrid {
  start: number;
  step: number;
  count: number;
}

/**
 * The regular grid the sorted distinct x values lie on, or undefined when they do not
 * (fewer than two values, a step finer than a second, or too many points to fill).
 */
export function regularGrid(sortedDistinct: readonly number[]): TimeGrid | undefined {
  if (sortedDistinct.length < 2) return undefined;
  if (!sortedDistinct.every(Number.isInteger)) return undefined;
  const start = sortedDistinct[0];
  let step = 0;
  for (let i = 1; i < sortedDistinct.length; i++) step = gcd(step, sortedDistinct[i] - start);
  if (step < MIN_FILL_STEP_MS) return undefined;
  const count = (sortedDistinct[sortedDistinct.length - 1] - start) / step + 1;
  if (count > MAX_FILL_POINTS) return undefined;
  return { start, step, count };
}

export function gridPoints(grid: TimeGrid): number[] {
  return Array.from({ length: grid.count }, (_, i) => grid.start + i * grid.step);
}
