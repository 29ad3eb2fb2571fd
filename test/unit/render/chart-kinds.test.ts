/**
 * Every chart kind renders: the PNG has the expected size, is not blank (the kind's marks
 * are drawn in its colours), and a Chinese title is drawn with glyphs, not tofu boxes
 * (the technique of cjk.test.ts: characters no font has all draw the same box, so equal
 * pixels is what tofu looks like; two different Chinese titles must differ from each
 * other and from the tofu title).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveChartOptions } from '../../../src/core/charts/chart-options.ts';
import { buildChart } from '../../../src/core/charts/chart-spec.ts';
import { tableLayout } from '../../../src/core/charts/table-image.ts';
import { SERIES_COLORS } from '../../../src/core/charts/theme.ts';
import type { RenderHint, ResultTable } from '../../../src/core/result-table.ts';
import { renderPng } from '../../../src/render/render-png.ts';
import { identityTable, rankTable, regionResultTable, splitSeriesTable } from '../core/charts/kind-tables.ts';
import { countColour, crop, decode, distinctColours, inked, type Pixels } from './png-inspect.ts';

interface Case {
  kind: string;
  table: () => ResultTable;
  hint?: Partial<RenderHint>;
  /** Pixels of the series colours the marks must put down, at least. */
  minMarkPixels: number;
}

const CASES: Case[] = [
  { kind: 'timechart', table: splitSeriesTable, minMarkPixels: 3000 },
  { kind: 'linechart', table: splitSeriesTable, minMarkPixels: 3000 },
  { kind: 'areachart', table: splitSeriesTable, hint: { kind: 'stacked' }, minMarkPixels: 100_000 },
  { kind: 'stackedareachart', table: splitSeriesTable, minMarkPixels: 100_000 },
  { kind: 'columnchart', table: regionResultTable, minMarkPixels: 20_000 },
  { kind: 'barchart', table: () => rankTable(), minMarkPixels: 20_000 },
  { kind: 'piechart', table: () => rankTable(), minMarkPixels: 40_000 },
  { kind: 'table', table: () => identityTable(37), minMarkPixels: 0 },
];

/** The title's place: top left, 17 px bold. */
const TITLE = { x: 0, y: 0, width: 400, height: 44 };

async function draw(c: Case, title: string): Promise<{ png: Buffer; pixels: Pixels }> {
  const { spec } = buildChart(c.table(), { visualization: c.kind, ...c.hint, title }, { timeZone: 'Asia/Shanghai' });
  const png = await renderPng(spec);
  return { png, pixels: await decode(png) };
}

function expectedSize(c: Case): [number, number] {
  if (c.kind !== 'table') return [1040, 460];
  const layout = tableLayout(c.table(), resolveChartOptions({}));
  return [1040, layout.height + 24 + 40];
}

function markPixels(rgb: Buffer): number {
  let n = 0;
  for (const hex of SERIES_COLORS) {
    const v = Number.parseInt(hex.slice(1), 16);
    n += countColour(rgb, [v >> 16, (v >> 8) & 255, v & 255], 40);
  }
  return n;
}

function differing(a: Buffer, b: Buffer): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 3) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) n++;
  return n;
}

describe('every chart kind renders', () => {
  for (const c of CASES) {
    it(`${c.kind}: a PNG of the right size with its marks drawn`, async () => {
      const { png, pixels } = await draw(c, 'AWS activity, last 14 days');
      assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      const [w, h] = expectedSize(c);
      assert.equal(pixels.width, w);
      if (c.kind === 'table') assert.ok(Math.abs(pixels.height - h) <= 16, `table height ${pixels.height} ≈ ${h}`);
      else assert.equal(pixels.height, h);
      const all = crop(pixels, { x: 0, y: 0, width: pixels.width, height: pixels.height });
      assert.ok(distinctColours(all) > 50, `not blank: ${distinctColours(all)} colours`);
      assert.ok(inked(all) > 2000, `text and marks inked: ${inked(all)}`);
      assert.ok(inked(all) < all.length / 3 / 2, 'mostly background, not a filled block');
      if (c.kind === 'table') {
        const zebra = countColour(all, [0xf4, 0xf6, 0xf9], 2);
        assert.ok(zebra > 50_000, `zebra rows drawn (${zebra} px)`);
      } else {
        const marks = markPixels(all);
        assert.ok(marks >= c.minMarkPixels, `${c.kind} marks: ${marks} px in series colours, want ≥ ${c.minMarkPixels}`);
      }
    });

    it(`${c.kind}: a Chinese title is drawn with glyphs`, async () => {
      const title = async (t: string) => crop((await draw(c, t)).pixels, TITLE);
      const tofuA = await title('\uE000\uE001的AWS活动');
      const tofuB = await title('\uE002\uE003的AWS活动');
      assert.equal(differing(tofuA, tofuB), 0, 'method check: missing glyphs all draw the same box');
      const past = await title('过去的AWS活动');
      const recent = await title('最近的AWS活动');
      assert.ok(inked(past) > 300, `the title is drawn (${inked(past)} inked pixels)`);
      assert.ok(differing(past, recent) > 100, '过去 and 最近 draw different glyphs');
      assert.ok(differing(past, tofuA) > 100, 'not drawn as boxes');
    });
  }

  it('an empty result still renders every kind', async () => {
    for (const c of CASES) {
      const table = { ...c.table(), rows: [] };
      const { spec } = buildChart(table, { visualization: c.kind, ...c.hint, title: '没有事件' });
      const p = await decode(await renderPng(spec));
      assert.equal(p.width, 1040, c.kind);
    }
  });
});
