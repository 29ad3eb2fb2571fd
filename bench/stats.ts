/** Helpers shared by the benchmarks (not a benchmark itself: run.ts skips files starting with "_" and this one). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** One figure per line: `name value`, so runs can be compared with diff or grep. */
export function print(name: string, value: number): void {
  console.log(`${name} ${Number.isInteger(value) ? value : value.toFixed(1)}`);
}
