/**
 * Our renderer (vega view cache + Skia canvas + png-encode, src/render) against headless
 * Chromium drawing the SAME vega-lite spec with vega-embed and taking a clipped element
 * screenshot, measured in the same run. Goals: ≥ 5× warm, ≥ 4× cold.
 *
 * Chromium is Debian's (/usr/bin/chromium), driven by playwright-core, with a fresh
 * user-data-dir per launch; vega, vega-lite, vega-embed and the chart fonts (the same
 * Noto Sans SC files our renderer registers, as @font-face) are served from node_modules
 * by an HTTP server on 127.0.0.1, never a CDN.
 *
 * - warm: p50 of RUNS charts (new data each) in an already-open page: hand over the spec,
 *   vegaEmbed it (canvas renderer), wait for the render, screenshot the canvas's box.
 *   Ours: renderPng of the same specs on this thread (its cached view swaps the rows).
 *   The two alternate chart by chart, so load from elsewhere on the machine hits both.
 *   Also `chromium.warm_reuse_view`: Chromium keeping one view and swapping its rows,
 *   as our renderer does — the fairest Chromium can be.
 * - cold: launching Chromium (fresh profile) + opening the page + fonts + the first chart
 *   + screenshot, against a new `node` process running the compiled renderer to its first
 *   PNG (bench/render.ts first-chart.mjs), both timed from outside, median of COLD_RUNS.
 *   Both draw the same chart with a Chinese title, so both load the CJK fonts. Also the
 *   best of the runs (min), the figure least moved by other load on a shared machine.
 *
 * Prints `name value` lines. Without /usr/bin/chromium it says how to install it and
 * skips (exit 0). `node bench/chromium-compare.ts [warm|cold] [--save DIR]` runs one part;
 * --save writes the first warm chart from each renderer (chromium.png, ours.png) to look at.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TopLevelSpec } from 'vega-lite';
import { bundledFontFiles } from '../src/render/fonts.ts';
import { renderPng } from '../src/render/render-png.ts';
import { buildJs, firstChartSpec, ROOT, seedSpec } from './render.ts';
import { percentile, print } from './stats.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const WARM_UPS = 10;
const RUNS = 60;
const COLD_RUNS = 7;

// playwright-core's types, as far as this bench uses them (imported lazily: a dev dependency).
interface Page {
  goto(url: string): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  screenshot(opts: { clip: Rect; type: 'png' }): Promise<Buffer>;
}
interface Context {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Chromium {
  launchPersistentContext(
    userDataDir: string,
    opts: {
      executablePath: string;
      args: string[];
      headless: boolean;
      viewport: { width: number; height: number };
      deviceScaleFactor: number;
    },
  ): Promise<Context>;
}
interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

// The page's own functions (defined in PAGE below).
interface PageWindow {
  draw(spec: unknown): Promise<Rect>;
  swap(rows: unknown[]): Promise<Rect>;
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8">
<style>
@font-face { font-family: 'Noto Sans SC'; src: url('/fonts/regular.otf') format('opentype'); font-weight: 400; }
@font-face { font-family: 'Noto Sans SC'; src: url('/fonts/bold.otf') format('opentype'); font-weight: 700; }
html, body { margin: 0; background: #fff; }
</style>
<script src="/vega.min.js"></script>
<script src="/vega-lite.min.js"></script>
<script src="/vega-embed.min.js"></script>
</head><body><div id="vis"></div>
<script>
const fontsReady = Promise.all([
  document.fonts.load('400 12px "Noto Sans SC"', '过去AWS'),
  document.fonts.load('700 17px "Noto Sans SC"', '过去AWS'),
]);
let current;
function box() {
  const r = document.querySelector('#vis canvas').getBoundingClientRect();
  return { x: r.x, y: r.y, width: r.width, height: r.height };
}
window.draw = async (spec) => {
  await fontsReady;
  if (current) current.finalize();
  current = await vegaEmbed('#vis', spec, { renderer: 'canvas', actions: false });
  await current.view.runAsync();
  return box();
};
window.swap = async (rows) => {
  current.view.data('table', rows);
  await current.view.runAsync();
  return box();
};
</script></body></html>`;

function startServer(): Promise<{ server: Server; url: string }> {
  const [regular, bold] = bundledFontFiles();
  const files: Record<string, [string, string]> = {
    '/vega.min.js': [join(ROOT, 'node_modules/vega/build/vega.min.js'), 'text/javascript'],
    '/vega-lite.min.js': [join(ROOT, 'node_modules/vega-lite/build/vega-lite.min.js'), 'text/javascript'],
    '/vega-embed.min.js': [join(ROOT, 'node_modules/vega-embed/build/vega-embed.min.js'), 'text/javascript'],
    '/fonts/regular.otf': [regular, 'font/otf'],
    '/fonts/bold.otf': [bold, 'font/otf'],
  };
  const bodies = new Map(Object.entries(files).map(([path, [file, type]]) => [path, { body: readFileSync(file), type }]));
  bodies.set('/', { body: Buffer.from(PAGE), type: 'text/html; charset=utf-8' });
  const server = createServer((req, res) => {
    const hit = bodies.get((req.url ?? '/').split('?')[0]);
    if (!hit) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': hit.type, 'content-length': hit.body.length, 'cache-control': 'no-store' });
    res.end(hit.body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
  });
}

async function launch(chromium: Chromium): Promise<{ context: Context; page: Page; profile: string }> {
  const profile = await mkdtemp(join(tmpdir(), 'chromium-compare-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, profile };
}

async function close(c: { context: Context; profile: string }): Promise<void> {
  await c.context.close();
  await rm(c.profile, { recursive: true, force: true });
}

/** One chart in Chromium: spec in, vegaEmbed, render, clipped screenshot out. */
async function chromiumChart(page: Page, spec: TopLevelSpec): Promise<Buffer> {
  const clip = await page.evaluate((s) => (globalThis as unknown as PageWindow).draw(s), spec);
  return page.screenshot({ clip, type: 'png' });
}

function pngSize(png: Buffer): [number, number] {
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

async function warm(chromium: Chromium, url: string, saveDir?: string): Promise<void> {
  const c = await launch(chromium);
  try {
    await c.page.goto(url);
    const specs = Array.from({ length: WARM_UPS + RUNS }, (_, k) => seedSpec(k));
    const ours: number[] = [];
    const theirs: number[] = [];
    let sample: Buffer | undefined;
    for (let k = 0; k < specs.length; k++) {
      let t0 = performance.now();
      const png = await chromiumChart(c.page, specs[k]);
      const chromeMs = performance.now() - t0;
      sample ??= png;
      t0 = performance.now();
      await renderPng(specs[k]);
      const ourMs = performance.now() - t0;
      if (k >= WARM_UPS) {
        theirs.push(chromeMs);
        ours.push(ourMs);
      }
    }
    // Chromium at its best: one view, only the rows swapped (what our renderer does).
    const reuse: number[] = [];
    await chromiumChart(c.page, specs[0]);
    for (let k = 1; k < specs.length; k++) {
      const rows = (specs[k] as { data: { values: object[] } }).data.values.map((r) => ({ ...r }));
      const t0 = performance.now();
      const clip = await c.page.evaluate((r) => (globalThis as unknown as PageWindow).swap(r), rows);
      await c.page.screenshot({ clip, type: 'png' });
      if (k >= WARM_UPS) reuse.push(performance.now() - t0);
    }
    const ourSample = await renderPng(specs[0]);
    if (saveDir) {
      await writeFile(join(saveDir, 'chromium.png'), sample!);
      await writeFile(join(saveDir, 'ours.png'), ourSample);
    }
    const [w, h] = pngSize(sample!);
    const [ow, oh] = pngSize(ourSample);
    print('compare.chart_width_px', w);
    print('compare.chart_height_px', h);
    if (w !== ow || h !== oh) console.log(`compare.note chromium drew ${w}x${h}, ours ${ow}x${oh}`);
    const p50 = (xs: number[]) => percentile(xs, 50);
    print('compare.chromium.warm.p50_ms', p50(theirs));
    print('compare.chromium.warm.p95_ms', percentile(theirs, 95));
    print('compare.chromium.warm_reuse_view.p50_ms', p50(reuse));
    print('compare.ours.warm.p50_ms', p50(ours));
    print('compare.ours.warm.p95_ms', percentile(ours, 95));
    print('compare.speedup.warm', p50(theirs) / p50(ours));
    print('compare.speedup.warm_vs_reuse_view', p50(reuse) / p50(ours));
  } finally {
    await close(c);
  }
}

/** A new node process running the compiled renderer, from spawn to its first PNG on stdout. */
function ourColdMs(dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.NODE_COMPILE_CACHE;
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(dir, 'first-chart.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let done = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!done && out.trimEnd().endsWith('}')) {
        done = true;
        const ms = performance.now() - t0;
        const { bytes } = JSON.parse(out) as { bytes: number };
        if (bytes < 1000) reject(new Error('first-chart child produced no PNG'));
        else resolve(ms);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('exit', (code) => {
      if (!done) reject(new Error(`first-chart child failed (exit ${code}): ${err}`));
    });
  });
}

/** Launching Chromium with a fresh profile through its first chart's screenshot. */
async function chromiumColdMs(chromium: Chromium, url: string, spec: TopLevelSpec): Promise<number> {
  const t0 = performance.now();
  const c = await launch(chromium);
  try {
    await c.page.goto(url);
    const png = await chromiumChart(c.page, spec);
    const ms = performance.now() - t0;
    if (png.length < 1000) throw new Error('Chromium produced no chart');
    return ms;
  } finally {
    await close(c);
  }
}

async function cold(chromium: Chromium, url: string): Promise<void> {
  const dir = buildJs();
  const spec = firstChartSpec();
  // Page the files in first: "cold" here means a new process, not a cold disk.
  await ourColdMs(dir);
  await chromiumColdMs(chromium, url, spec);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    ours.push(await ourColdMs(dir));
    theirs.push(await chromiumColdMs(chromium, url, spec));
  }
  print('compare.chromium.cold.p50_ms', percentile(theirs, 50));
  print('compare.ours.cold.p50_ms', percentile(ours, 50));
  print('compare.speedup.cold', percentile(theirs, 50) / percentile(ours, 50));
  // Best of the runs: on a shared machine, the figure least moved by other load.
  print('compare.chromium.cold.min_ms', Math.min(...theirs));
  print('compare.ours.cold.min_ms', Math.min(...ours));
  print('compare.speedup.cold_best', Math.min(...theirs) / Math.min(...ours));
  await rm(dir, { recursive: true, force: true });
}

export async function main(argv: readonly string[] = []): Promise<void> {
  const { values, positionals: only } = parseArgs({ args: [...argv], options: { save: { type: 'string' } }, allowPositionals: true });
  if (!existsSync(CHROMIUM)) {
    console.log(`compare.skipped ${CHROMIUM} not found: install Debian's chromium with "apt-get install -y chromium" to compare`);
    return;
  }
  const { chromium } = (await import('playwright-core')) as unknown as { chromium: Chromium };
  const { server, url } = await startServer();
  try {
    const version = readVersion();
    if (version) console.log(`compare.chromium_version ${version}`);
    if (only.length === 0 || only.includes('warm')) await warm(chromium, url, values.save);
    if (only.length === 0 || only.includes('cold')) await cold(chromium, url);
  } finally {
    server.close();
  }
}

/** "156.0.8078.108" from `chromium --version`. */
function readVersion(): string | undefined {
  try {
    const out = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
    return /(\d+\.\d+\.\d+\.\d+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

if (import.meta.main) await main(process.argv.slice(2));
