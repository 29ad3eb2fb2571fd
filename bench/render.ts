/**
 * Chart rendering: vega-lite spec → PNG for the seed query's 30-point timechart
 * (1040×460), and for every chart kind. Goals: ≤ 15 ms p50 warm, ≤ 300 ms for the first
 * chart in a new process, ≥ 50 charts/s with a worker per core on 2 cores.
 *
 * Prints, one figure a line:
 * - render.timechart.warm.{p50,p95}_ms: same thread, after 20 warm-ups, 200 runs, new
 *   data each run (the cached view's data is swapped, as in production);
 * - render.timechart.pool.{p50,p95}_ms: the same through the worker pool, one chart at
 *   a time (adds the hop to a worker and back);
 * - render.alt.svg_sharp.{p50,p95}_ms: the alternative rasteriser for comparison (the
 *   same cached view → toSVG → sharp PNG, compressionLevel 1);
 * - render.first_chart.{cold,compile_cache}_ms: a brand-new `node` process, from process
 *   start to PNG (median of 7), running the compiled JS as production does (TypeScript
 *   stripping excluded); "cold" without Node's compile cache, "compile_cache" with
 *   NODE_COMPILE_CACHE warm;
 * - render.same_thread.charts_per_s: throughput of one process drawing on its own
 *   thread, one chart after another;
 * - render.pool.charts_per_s: throughput with one worker per core;
 * - render.kind.<kind>.p50_ms: each chart kind (timechart, linechart, areachart,
 *   columnchart, barchart, piechart, table), same thread, warm, new data each run;
 * - render.timechart.new_title.p50_ms: a title not drawn before (titles are part of the
 *   spec's shape, so this builds and caches a new view: the cost of a cache miss);
 * - render.mixed.{same_thread,pool}.charts_per_s: throughput over all kinds in turn.
 *
 * `node bench/render.ts [warm|pool|svg-sharp|first-chart|throughput|same-thread|kinds]…`
 * runs only those parts. bench/chromium-compare.ts sets this renderer against headless
 * Chromium.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { chartSpec } from '../src/core/charts/chart-spec.ts';
import type { RenderHint, ResultTable, WireValue } from '../src/core/result-table.ts';
import { renderPng } from '../src/render/render-png.ts';
import { createRenderer } from '../src/render/renderer.ts';
import { percentile, print } from './stats.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WARM_UPS = 20;
const RUNS = 200;
const COLD_RUNS = 7;
export const NOW = Date.UTC(2025, 10, 25, 13, 7, 0);

/** The seed query's result: 30 daily bins, newest first. */
export function seedTable(k: number): ResultTable {
  const rows = Array.from({ length: 30 }, (_, i) => [
    ((i + 1) * (37 + k)) % 501,
    new Date(NOW - (i + 1) * 86_400_000).toISOString(),
    'awsCloudTrail',
  ]);
  return {
    name: 'PrimaryResult',
    columns: [
      { name: 'Value', type: 'long' },
      { name: 'Time', type: 'datetime' },
      { name: 'Legend', type: 'string' },
    ],
    rows,
  };
}
export const seedSpec = (k: number) => chartSpec(seedTable(k), { visualization: 'timechart', title: 'AWS activity, last 30 days' });

const iso = (ms: number) => new Date(ms).toISOString();

/** The catalog's split series: 14 daily bins × 3 event names (Time, Legend, Value). */
function splitSeriesTable(k: number): ResultTable {
  const rows: WireValue[][] = [];
  for (let i = 14; i >= 1; i--) {
    for (const [name, f] of [
      ['AssumeRole', 7],
      ['ConsoleLogin', 3],
      ['GetObject', 11],
    ] as const) {
      rows.push([iso(NOW - i * 86_400_000), name, ((i * (f + k)) % 23) + 2]);
    }
  }
  return {
    name: 'PrimaryResult',
    columns: [
      { name: 'Time', type: 'datetime' },
      { name: 'Legend', type: 'string' },
      { name: 'Value', type: 'long' },
    ],
    rows,
  };
}

/** The catalog's ranking: 10 event sources by count, busiest first. */
function rankTable(k: number): ResultTable {
  const names = ['s3', 'ec2', 'iam', 'sts', 'kms', 'cloudtrail', 'signin', 'lambda', 'sns', 'sqs'];
  return {
    name: 'PrimaryResult',
    columns: [
      { name: 'EventSource', type: 'string' },
      { name: 'Count', type: 'long' },
    ],
    rows: names.map((n, i) => [`${n}.amazonaws.com`, Math.round(12_000 / (i + 1)) + ((k * 37 + i) % 97)]),
  };
}

/** The catalog's table kinds: 37 rows of identities (top 20 drawn). */
function identityTable(k: number): ResultTable {
  return {
    name: 'PrimaryResult',
    columns: [
      { name: 'UserIdentityArn', type: 'string' },
      { name: 'SourceIpAddress', type: 'string' },
      { name: 'Count', type: 'long' },
      { name: 'Failed', type: 'long' },
      { name: 'LastSeen', type: 'datetime' },
    ],
    rows: Array.from({ length: 37 }, (_, i) => [
      `arn:aws:iam::123456789012:user/user${(i + k) % 50}`,
      `203.0.113.${i}`,
      10_000 - i * 250 + k,
      i % 4,
      iso(NOW - i * 3_600_000),
    ]),
  };
}

/** One spec per chart kind, as the catalog's questions draw them; `k` varies the data. */
export const KIND_SPECS: Record<string, (k: number) => ReturnType<typeof chartSpec>> = {
  timechart: seedSpec,
  linechart: (k) => chartSpec(splitSeriesTable(k), { visualization: 'linechart', title: 'Console logins, last 14 days' }),
  areachart: (k) =>
    chartSpec(splitSeriesTable(k), { visualization: 'areachart', kind: 'stacked', title: 'Activity by event, last 14 days' }),
  columnchart: (k) =>
    chartSpec(splitSeriesTable(k), {
      visualization: 'columnchart',
      kind: 'stacked',
      xcolumn: 'Time',
      title: 'Activity by day',
    } satisfies RenderHint),
  barchart: (k) => chartSpec(rankTable(k), { visualization: 'barchart', title: 'Top services, last 30 days' }),
  piechart: (k) => chartSpec(rankTable(k), { visualization: 'piechart', title: 'Activity by service' }),
  table: (k) => chartSpec(identityTable(k), { visualization: 'table', title: 'Identities, last 30 days' }),
};
const KINDS = Object.keys(KIND_SPECS);
const mixedSpec = (k: number) => KIND_SPECS[KINDS[k % KINDS.length]](Math.floor(k / KINDS.length));

async function timeRuns(run: (k: number) => Promise<unknown>): Promise<number[]> {
  for (let k = 0; k < WARM_UPS; k++) await run(k);
  const ms: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    await run(k);
    ms.push(performance.now() - t0);
  }
  return ms;
}

function printPercentiles(name: string, ms: number[]): void {
  print(`${name}.p50_ms`, percentile(ms, 50));
  print(`${name}.p95_ms`, percentile(ms, 95));
}

async function sameThread(): Promise<void> {
  printPercentiles('render.timechart.warm', await timeRuns((k) => renderPng(seedSpec(k))));
}

async function svgSharp(): Promise<void> {
  const spec = seedSpec(0) as { data: { values: unknown[] } };
  const view = new vega.View(vega.parse(compile({ ...spec, data: { name: 'table' } } as never).spec), { renderer: 'none' });
  const ms = await timeRuns(async (k) => {
    view.data(
      'table',
      (seedSpec(k) as { data: { values: object[] } }).data.values.map((r) => ({ ...r })),
    );
    const svg = await view.toSVG();
    return sharp(Buffer.from(svg)).png({ compressionLevel: 1 }).toBuffer();
  });
  view.finalize();
  printPercentiles('render.alt.svg_sharp', ms);
}

async function pool(): Promise<void> {
  const renderer = createRenderer({ workers: 1 });
  await renderer.ready();
  printPercentiles('render.timechart.pool', await timeRuns((k) => renderer.render(seedSpec(k))));
  await renderer.close();
}

/** Charts per second through the pool (a worker per core), `workers × 2` charts in flight. */
async function poolRate(spec: (k: number) => ReturnType<typeof chartSpec>, total: number): Promise<{ workers: number; perS: number }> {
  const workers = availableParallelism();
  const renderer = createRenderer({ workers });
  await renderer.ready();
  const specs = Array.from({ length: total }, (_, k) => spec(k));
  for (let k = 0; k < workers * 4; k++) await renderer.render(specs[k]);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers * 2 }, async () => {
      while (next < total) await renderer.render(specs[next++]);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await renderer.close();
  return { workers, perS: total / seconds };
}

/** Charts per second on this thread, one after another (the specs are built beforehand, as for the pool). */
async function sameThreadRate(spec: (k: number) => ReturnType<typeof chartSpec>, total: number): Promise<number> {
  const specs = Array.from({ length: total }, (_, k) => spec(k));
  for (let k = 0; k < 20; k++) await renderPng(specs[k]);
  const t0 = performance.now();
  for (const s of specs) await renderPng(s);
  return total / ((performance.now() - t0) / 1000);
}

async function throughput(): Promise<void> {
  const { workers, perS } = await poolRate(seedSpec, 300);
  print('render.pool.workers', workers);
  print('render.pool.charts_per_s', perS);
}

async function sameThroughput(): Promise<void> {
  print('render.same_thread.charts_per_s', await sameThreadRate(seedSpec, 300));
}

async function kinds(): Promise<void> {
  for (const [kind, spec] of Object.entries(KIND_SPECS)) {
    const ms = await timeRuns((k) => renderPng(spec(k)));
    print(`render.kind.${kind}.p50_ms`, percentile(ms, 50));
  }
  // A title is part of a spec's shape: a chart with a title not seen before builds a new view.
  const newTitle = await timeRuns((k) =>
    renderPng(chartSpec(seedTable(k), { visualization: 'timechart', title: `AWS activity in account ${100_000_000_000 + k}` })),
  );
  print('render.timechart.new_title.p50_ms', percentile(newTitle, 50));
  print('render.mixed.same_thread.charts_per_s', await sameThreadRate(mixedSpec, 350));
  print('render.mixed.pool.charts_per_s', (await poolRate(mixedSpec, 350)).perS);
}

/** The chart code compiled to JS (as `npm run build` does), in a scratch folder whose modules resolve from the repo. */
export function buildJs(): string {
  const dir = join(ROOT, 'node_modules', '.cache', 'render-bench');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../tsconfig.json',
      compilerOptions: { rootDir: '../../..', outDir: './out', noEmit: false, sourceMap: false },
      files: ['../../../src/render/render-png.ts', '../../../src/core/charts/chart-spec.ts'],
      include: [],
    }),
  );
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], {
    stdio: 'inherit',
  });
  writeFileSync(
    join(dir, 'first-chart.mjs'),
    `const { chartSpec } = await import('./out/src/core/charts/chart-spec.js');
const { renderPng } = await import('./out/src/render/render-png.js');
const now = ${NOW};
const rows = Array.from({ length: 30 }, (_, i) => [(i * 37) % 501, new Date(now - (i + 1) * 86400000).toISOString(), 'awsCloudTrail']);
const table = { name: 'PrimaryResult', columns: [{ name: 'Value', type: 'long' }, { name: 'Time', type: 'datetime' }, { name: 'Legend', type: 'string' }], rows };
const png = await renderPng(chartSpec(table, { visualization: 'timechart', title: '过去30天的AWS活动' }));
process.stdout.write(JSON.stringify({ ms: performance.now(), bytes: png.length }));
`,
  );
  return dir;
}

/** The chart first-chart.mjs draws (buildJs), as a spec here: for drawing the same chart elsewhere. */
export function firstChartSpec(): ReturnType<typeof chartSpec> {
  const rows = Array.from({ length: 30 }, (_, i) => [(i * 37) % 501, new Date(NOW - (i + 1) * 86_400_000).toISOString(), 'awsCloudTrail']);
  const table: ResultTable = {
    name: 'PrimaryResult',
    columns: [
      { name: 'Value', type: 'long' },
      { name: 'Time', type: 'datetime' },
      { name: 'Legend', type: 'string' },
    ],
    rows,
  };
  return chartSpec(table, { visualization: 'timechart', title: '过去30天的AWS活动' });
}

function firstChartMs(dir: string, env: NodeJS.ProcessEnv): number {
  const r = spawnSync(process.execPath, [join(dir, 'first-chart.mjs')], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`first-chart child failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { ms: number; bytes: number };
  if (out.bytes < 1000) throw new Error('first-chart child produced no PNG');
  return out.ms;
}

function firstChart(): void {
  const dir = buildJs();
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  firstChartMs(dir, env); // page the files in: "cold" here means a new process, not a cold disk
  const cold = Array.from({ length: COLD_RUNS }, () => firstChartMs(dir, env));
  print('render.first_chart.cold_ms', percentile(cold, 50));
  const cacheDir = mkdtempSync(join(tmpdir(), 'render-bench-cc-'));
  const cached = { ...env, NODE_COMPILE_CACHE: cacheDir };
  firstChartMs(dir, cached); // fills the cache
  print(
    'render.first_chart.compile_cache_ms',
    percentile(
      Array.from({ length: COLD_RUNS }, () => firstChartMs(dir, cached)),
      50,
    ),
  );
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
}

const PARTS: Record<string, () => Promise<void> | void> = {
  warm: sameThread,
  pool,
  'svg-sharp': svgSharp,
  'first-chart': firstChart,
  throughput,
  'same-thread': sameThroughput,
  kinds,
};

/** Runs every part, or only those named (`node bench/render.ts first-chart`). */
export async function main(only: readonly string[] = []): Promise<void> {
  const unknown = only.filter((name) => !(name in PARTS));
  if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(', ')}; parts: ${Object.keys(PARTS).join(', ')}`);
  for (const [name, run] of Object.entries(PARTS)) if (only.length === 0 || only.includes(name)) await run();
}

if (import.meta.main) await main(process.argv.slice(2));
