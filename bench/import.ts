/**
 * Local workspace benchmark: CloudTrail import rate, store load time, memory per million rows.
 *
 *   node bench/import.ts [--files 200] [--runs 3] [--rows 1000000] [--keep]
 *
 * 1. Writes ~`files` gzipped CloudTrail files of ~1,000 generated records each to a temp dir and
 *    imports them into an empty workspace (read + gunzip + parse + map + dedup + store), in a
 *    fresh process per run (`runs`, median reported), then imports them again (all duplicates).
 * 2. Appends `rows` generated rows straight through the mapping into another workspace.
 * 3. Loads that workspace in a fresh `node --expose-gc` process and measures load time and
 *    `process.memoryUsage()` before/after (after a full GC).
 * 4. Imports the files of step 1 into that big workspace (a second segment) and loads it again.
 * Prints `name value` lines.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { mapCloudTrailRecord } from '../src/cloud/logs/local/cloudtrail-record.ts';
import { generateCloudTrail, writeCloudTrailFiles } from '../src/cloud/logs/local/generate.ts';
import { importCloudTrail } from '../src/cloud/logs/local/import.ts';
import { openWorkspace } from '../src/cloud/logs/local/workspace.ts';

const TENANT = '5b1c1b4e-2f0a-4a3e-9d55-6c0f7e0b8a11';
const NOW = Date.parse('2025-06-15T12:00:00Z');
const DAYS = 30;

function print(name: string, value: number | string): void {
  console.log(`${name} ${typeof value === 'number' ? (Number.isInteger(value) ? value : value.toFixed(1)) : value}`);
}

async function dirBytes(dir: string, files: readonly string[]): Promise<number> {
  let n = 0;
  for (const f of files) n += (await stat(join(dir, f))).size;
  return n;
}

async function writeFiles(root: string, files: number): Promise<string> {
  const logs = join(root, 'logs');
  const t0 = performance.now();
  const written = await writeCloudTrailFiles(
    generateCloudTrail({ now: NOW, days: DAYS, eventsPerDay: Math.round((files * 1000) / DAYS), seed: 11 }),
    logs,
    { recordsPerFile: 1000 },
  );
  print('import.setup_s', (performance.now() - t0) / 1000);
  print('import.files', written.length);
  return logs;
}

/** Runs in a fresh process: import the files into an empty workspace, then again (all duplicates). */
async function measureImport(root: string, run: number): Promise<void> {
  const ws = await openWorkspace(join(root, `import-${run}`));
  const t1 = performance.now();
  const r = await importCloudTrail(ws, [join(root, 'logs')], { tenantId: TENANT });
  const s = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  const again = await importCloudTrail(ws, [join(root, 'logs')], { tenantId: TENANT });
  const s2 = (performance.now() - t2) / 1000;
  console.log(JSON.stringify({ records: r.records, imported: r.imported, seconds: s, duplicates: again.duplicates, reimportSeconds: s2 }));
}

/** Runs in a fresh process: import the files into the big workspace (a second segment). */
async function measureImportInto(dataDir: string, root: string): Promise<void> {
  const ws = await openWorkspace(dataDir);
  const t1 = performance.now();
  const r = await importCloudTrail(ws, [join(root, 'logs')], { tenantId: TENANT });
  const seconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  const again = await openWorkspace(dataDir);
  const loadMs = performance.now() - t2;
  console.log(
    JSON.stringify({ rowsBefore: ws.table().length - r.imported, imported: r.imported, seconds, rows: again.table().length, loadMs }),
  );
}

function child(args: string[]): Record<string, number> {
  const out = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (out.status !== 0) throw new Error(`${args[0]} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function benchStore(root: string, rows: number): Promise<string> {
  const dataDir = join(root, 'million');
  const ws = await openWorkspace(dataDir);
  const batch = ws.batch();
  const t0 = performance.now();
  let mapMs = 0;
  for (const rec of generateCloudTrail({ now: NOW, days: DAYS, eventsPerDay: Math.ceil((rows * 1.02) / DAYS), seed: 12 })) {
    const m0 = performance.now();
    const m = mapCloudTrailRecord(rec, { tenantId: TENANT });
    if (m.ok) batch.add(m.row);
    mapMs += performance.now() - m0;
    if (batch.length >= rows) break;
  }
  print('store.generate_s', (performance.now() - t0 - mapMs) / 1000);
  print('store.map_and_batch_s', mapMs / 1000);
  const t1 = performance.now();
  await ws.commit(batch);
  print('store.commit_s', (performance.now() - t1) / 1000);
  print('store.rows', ws.table().length);
  print(
    'store.segment_mb',
    (await dirBytes(
      join(ws.dir, 'segments'),
      ws.segments().map((x) => x.file),
    )) / 1e6,
  );
  return dataDir;
}

/** Runs in a fresh process: load the workspace and measure time and memory. */
async function measureLoad(dataDir: string, verify: boolean): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const settle = () => {
    for (let i = 0; i < 3; i++) gc?.();
  };
  // Warm up module loading and the code paths on an empty workspace first.
  await openWorkspace(join(dataDir, 'does-not-exist'));
  settle();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const ws = await openWorkspace(dataDir, { verify });
  const loadMs = performance.now() - t0;
  settle();
  const after = process.memoryUsage();
  const rows = ws.table().length;
  const t1 = performance.now();
  const stats = ws.stats();
  const statsMs = performance.now() - t1;
  const t2 = performance.now();
  ws.hasEvent('x');
  const idsMs = performance.now() - t2;
  console.log(
    JSON.stringify({
      rows,
      loadMs,
      statsMs,
      idsMs,
      accounts: stats.accounts.length,
      gc: gc !== undefined,
      heap: after.heapUsed - before.heapUsed,
      arrayBuffers: after.arrayBuffers - before.arrayBuffers,
      external: after.external - before.external,
      rss: after.rss - before.rss,
    }),
  );
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string', default: '200' },
      rows: { type: 'string', default: '1000000' },
      keep: { type: 'boolean', default: false },
      runs: { type: 'string', default: '3' },
      'measure-load': { type: 'string' },
      'measure-import': { type: 'string' },
      'measure-import-into': { type: 'string' },
      logs: { type: 'string' },
      'no-verify': { type: 'boolean', default: false },
      run: { type: 'string', default: '0' },
    },
  });
  if (values['measure-load'] !== undefined) return measureLoad(values['measure-load'], !values['no-verify']);
  if (values['measure-import'] !== undefined) return measureImport(values['measure-import'], Number(values.run));
  if (values['measure-import-into'] !== undefined) return measureImportInto(values['measure-import-into'], values.logs!);
  const root = await mkdtemp(join(tmpdir(), 'bench-import-'));
  try {
    await writeFiles(root, Number(values.files));
    const runs = Array.from({ length: Math.max(1, Number(values.runs)) }, (_, run) =>
      child(['--measure-import', root, '--run', String(run)]),
    );
    const rates = runs.map((r) => r.records / r.seconds);
    print('import.records', runs[0].records);
    print('import.imported', runs[0].imported);
    print('import.seconds', median(runs.map((r) => r.seconds)));
    print('import.records_per_s', Math.round(median(rates)));
    print('import.records_per_s_min', Math.round(Math.min(...rates)));
    print('import.records_per_s_max', Math.round(Math.max(...rates)));
    print('reimport.duplicates', runs[0].duplicates);
    print('reimport.records_per_s', Math.round(median(runs.map((r) => r.records / r.reimportSeconds))));
    const dataDir = await benchStore(root, Number(values.rows));
    const m = child(['--measure-load', dataDir]);
    const noVerify = child(['--measure-load', dataDir, '--no-verify']);
    const perMillion = 1e6 / m.rows;
    const mb = (b: number) => (b * perMillion) / 1e6;
    print('load.rows', m.rows);
    print('load.ms', m.loadMs);
    print('load.ms_per_million', m.loadMs * perMillion);
    print('load.no_verify_ms', noVerify.loadMs);
    print('load.stats_ms', m.statsMs);
    print('load.event_id_set_ms', m.idsMs);
    print('memory.heap_mb_per_million', mb(m.heap));
    print('memory.array_buffers_mb_per_million', mb(m.arrayBuffers));
    print('memory.heap_plus_array_buffers_mb_per_million', mb(m.heap + m.arrayBuffers));
    // Large decoded dictionary texts are external strings: counted in `external` (which also
    // includes arrayBuffers), not in heapUsed.
    print('memory.external_mb_per_million', mb(m.external));
    print('memory.heap_plus_external_mb_per_million', mb(m.heap + m.external));
    print('memory.rss_mb_per_million', mb(m.rss));
    if (!m.gc) print('memory.note', 'no --expose-gc: figures include garbage');
    const into = child(['--measure-import-into', dataDir, '--logs', root]);
    print('import_into_big.rows_before', into.rowsBefore);
    print('import_into_big.records_per_s', Math.round(into.imported / into.seconds));
    const two = child(['--measure-load', dataDir]);
    print('load_two_segments.rows', two.rows);
    print('load_two_segments.ms', two.loadMs);
  } finally {
    if (values.keep) console.error(`kept ${root}`);
    else await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
