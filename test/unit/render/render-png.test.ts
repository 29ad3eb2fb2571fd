import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TopLevelSpec } from 'vega-lite';
import { chartSpec } from '../../../src/core/charts/chart-spec.ts';
import { RenderError } from '../../../src/render/render-error.ts';
import { cachedViewCount, clearViewCache, renderPng, splitData } from '../../../src/render/render-png.ts';
import { seedTable } from '../core/charts/seed-table.ts';
import { countColour, crop, decode, distinctColours, inked } from './png-inspect.ts';

const seedSpec = (values?: (i: number) => number) =>
  chartSpec(seedTable(values), { visualization: 'timechart', title: 'AWS activity, last 30 days' });
/** Inside the axes of a 1040×460 timechart, clear of titles and labels. */
const PLOT = { x: 120, y: 70, width: 860, height: 300 };

describe('renderPng', () => {
  it('draws the seed chart at the spec size, with a line, axes and text', async () => {
    const png = await renderPng(seedSpec());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const p = await decode(png);
    assert.deepEqual([p.width, p.height], [1040, 460]);
    const all = crop(p, { x: 0, y: 0, width: p.width, height: p.height });
    assert.ok(distinctColours(all) > 100, `anti-aliased line and text give many colours, got ${distinctColours(all)}`);
    const plot = crop(p, PLOT);
    const lineBlue = countColour(plot, [0x4c, 0x78, 0xa8]);
    assert.ok(lineBlue > 1000, `the series line and its points are drawn in the plot area (${lineBlue} blue pixels)`);
    assert.ok(inked(plot) < plot.length / 3 / 5, 'the plot area is mostly background, not a filled block');
    const corner = crop(p, { x: 0, y: p.height - 3, width: 3, height: 3 });
    assert.deepEqual([...corner.subarray(0, 3)], [255, 255, 255], 'opaque white background');
  });

  it('reuses one view per spec shape: new data, same view, a different image', async () => {
    clearViewCache();
    const a = await renderPng(seedSpec((i) => i));
    const b = await renderPng(seedSpec((i) => 100 - i));
    assert.equal(cachedViewCount(), 1);
    assert.notDeepEqual(a, b);
    assert.deepEqual(await renderPng(seedSpec((i) => i)), a, 'deterministic for the same input');
  });

  it('renders concurrent calls on one cached view one at a time, each with its own data', async () => {
    const specs = [1, 2, 3, 4].map((k) => seedSpec((i) => (i * k) % 50));
    const one = await Promise.all(specs.map((s) => renderPng(s)));
    for (let k = 0; k < specs.length; k++) assert.deepEqual(await renderPng(specs[k]), one[k]);
  });

  it('does not modify the rows it is given', async () => {
    const spec = seedSpec();
    const before = structuredClone(spec);
    await renderPng(spec);
    assert.deepEqual(spec, before);
  });

  it('draws at a higher pixel density on request', async () => {
    const p = await decode(await renderPng(seedSpec(), { scale: 2 }));
    assert.deepEqual([p.width, p.height], [2080, 920]);
    await assert.rejects(renderPng(seedSpec(), { scale: 0 }), RangeError);
  });

  it('draws every tick interval a time axis can pick, minutes to years', async () => {
    const MIN = 60_000;
    const DAY = 1440 * MIN;
    for (const [span, bins] of [
      [2 * 60 * MIN, 24],
      [DAY, 24],
      [14 * DAY, 14],
      [30 * DAY, 30],
      [120 * DAY, 60],
      [2 * 365 * DAY, 104],
      [8 * 365 * DAY, 96],
    ]) {
      const t0 = Date.UTC(2025, 0, 1);
      const table = seedTable();
      table.rows = Array.from({ length: bins + 1 }, (_, i) => [i % 9, new Date(t0 + Math.round((i * span) / bins)).toISOString(), 'x']);
      const png = await renderPng(chartSpec(table, { visualization: 'timechart' }, { timeZone: 'Asia/Shanghai' }));
      const p = await decode(png);
      assert.deepEqual([p.width, p.height], [1040, 460], `span ${span / MIN} min`);
    }
  });

  it('splits inline rows from the spec shape', () => {
    const spec = seedSpec();
    const { shape, dataName, rows } = splitData(spec);
    assert.equal(dataName, 'table');
    assert.equal(rows?.length, 30);
    assert.deepEqual((shape as { data: unknown }).data, { name: 'table' });
  });

  it('refuses specs that load data from elsewhere, and specs vega-lite rejects, with coded errors', async () => {
    const remote = { data: { url: 'https://example.invalid/x.json' }, mark: 'point', encoding: {} } as TopLevelSpec;
    await assert.rejects(renderPng(remote), (e: unknown) => e instanceof RenderError && e.code === 'render_failed');
    const bad = { data: { values: [] }, mark: 'nonsense' } as unknown as TopLevelSpec;
    await assert.rejects(renderPng(bad), (e: unknown) => e instanceof RenderError && e.code === 'render_failed');
  });
});
