/**
 * A tiny chart drawn once when a worker starts, so the first real chart finds fonts
 * loaded, code compiled by the JIT and glyph caches filled (Latin and CJK).
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartSpec } from '../core/charts/chart-spec.ts';

export function warmUpSpec(): TopLevelSpec {
  const t0 = Date.UTC(2025, 0, 1);
  const rows = [0, 1, 2, 3].map((i) => [new Date(t0 + i * 86_400_000).toISOString(), i * 3, i % 2 ? 'a' : 'b']);
  return chartSpec(
    {
      name: 'PrimaryResult',
      columns: [
        { name: 'Time', type: 'datetime' },
        { name: 'Count', type: 'long' },
        { name: 'Legend', type: 'string' },
      ],
      rows,
    },
    { visualization: 'timechart', title: 'Warm-up 预热 0123456789' },
    { width: 320, height: 200 },
  );
}
