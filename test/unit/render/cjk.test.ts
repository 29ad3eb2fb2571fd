/**
 * Chinese text must be drawn with real glyphs, never tofu. Tofu also inks pixels, so
 * "something was drawn" proves nothing. Instead:
 * 1. the method: two different characters that no font has (private use area) draw
 *    identical pixels (the same .notdef box) — so equal pixels is what tofu looks like;
 * 2. two different CJK titles draw different pixels, and differ from the tofu title:
 *    each character got its own glyph;
 * 3. the glyphs come from the bundled font, not the system: with /usr/share/fonts
 *    hidden (a private mount namespace, where the machine allows it), the image is
 *    byte-identical.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GlobalFonts } from '@napi-rs/canvas';
import { chartSpec } from '../../../src/core/charts/chart-spec.ts';
import { CHART_FONT_FAMILY } from '../../../src/core/charts/theme.ts';
import { bundledFontFiles, registerChartFonts } from '../../../src/render/fonts.ts';
import { renderPng } from '../../../src/render/render-png.ts';
import { seedTable } from '../core/charts/seed-table.ts';
import { crop, decode, inked } from './png-inspect.ts';

/** The title's place in a 1040×460 chart: top left, 17 px bold. */
const TITLE = { x: 0, y: 0, width: 400, height: 44 };

async function titlePixels(title: string): Promise<Buffer> {
  const png = await renderPng(chartSpec(seedTable(), { visualization: 'timechart', title }));
  return crop(await decode(png), TITLE);
}

/** Pixels that differ between two crops. */
function differing(a: Buffer, b: Buffer): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 3) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) n++;
  return n;
}

describe('CJK text', () => {
  it('registers the bundled Noto Sans SC files under the family the specs name', () => {
    registerChartFonts();
    assert.equal(bundledFontFiles().length, 2);
    assert.ok(GlobalFonts.families.some((f) => f.family === CHART_FONT_FAMILY));
  });

  it('draws each Chinese character with its own glyph, not a tofu box', async () => {
    const tofuA = await titlePixels('\uE000\uE00130天的AWS活动');
    const tofuB = await titlePixels('\uE002\uE00330天的AWS活动');
    assert.equal(differing(tofuA, tofuB), 0, 'method check: missing glyphs all draw the same box');

    const pastDays = await titlePixels('过去30天的AWS活动');
    const recentDays = await titlePixels('最近30天的AWS活动');
    assert.ok(inked(pastDays) > 400, `the title is drawn (${inked(pastDays)} inked pixels)`);
    assert.ok(differing(pastDays, recentDays) > 100, '过去 and 最近 draw different glyphs');
    assert.ok(differing(pastDays, tofuA) > 100, '过去 is not drawn as boxes');
  });

  it('needs no system fonts', (t) => {
    const child = fileURLToPath(new URL('./title-png-child.ts', import.meta.url));
    const title = '过去30天的AWS活动';
    const script = 'mount -t tmpfs none /usr/share/fonts 2>/dev/null || exit 99; exec "$0" "$@"';
    const run = spawnSync('unshare', ['-m', 'sh', '-c', script, process.execPath, child, title], { encoding: 'utf8', timeout: 60_000 });
    if (run.error || run.status === 99 || (run.status !== 0 && /unshare/.test(run.stderr))) {
      t.skip(`cannot hide the system fonts on this machine (${run.error?.message ?? run.stderr.trim().split('\n')[0]})`);
      return;
    }
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { systemFamilies: number; png: string };
    assert.equal(out.systemFamilies, 0, 'the child saw no system fonts');
    const here = spawnSync(process.execPath, [child, title], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(here.status, 0, here.stderr);
    assert.equal(out.png, (JSON.parse(here.stdout) as { png: string }).png, 'same image with and without system fonts');
  });
});
