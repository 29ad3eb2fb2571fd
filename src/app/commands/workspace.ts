/**
 * `workspace import|generate|stats`: the local workspace under the data directory.
 * import and generate write it, so the CLI holds the data directory lock while they run.
 */

import { resolve } from 'node:path';
import type { WorkspaceStats } from '../../cloud/logs/local/workspace.ts';
import type { Clock } from '../../core/clock.ts';
import { type CommandContext, type CommandSpec, clockFlag, intFlag, stringFlag } from '../command.ts';

export interface WorkspaceImportOptions {
  /** CloudTrail log files (`{"Records":[…]}`, .json or .json.gz) or directories (searched recursively), as given. */
  paths: readonly string[];
}

/** Exit 0 when everything imported; 1 when a file or record was skipped (each reported with path and position). */
export async function workspaceImport(ctx: CommandContext, options: WorkspaceImportOptions): Promise<number> {
  // Loaded here, not at the top: other commands must not pay for the workspace code.
  const [{ openWorkspace }, { importCloudTrail }] = await Promise.all([
    import('../../cloud/logs/local/workspace.ts'),
    import('../../cloud/logs/local/import.ts'),
  ]);
  const config = ctx.config();
  const ws = await openWorkspace(config.dataDir);
  const paths = options.paths.map((p) => resolve(ctx.io.cwd, p));
  const r = await importCloudTrail(ws, paths, { tenantId: config.localWorkspaceId });
  for (const s of r.skipped) {
    ctx.io.stderr.write(`skipped ${s.path}${s.position === undefined ? '' : ` record ${s.position}`}: ${s.reason}\n`);
  }
  if (ctx.json) ctx.printJson({ ...r, rows: ws.table().length });
  else {
    ctx.print(
      `imported ${r.imported} of ${r.records} records from ${r.files} files (${r.duplicates} already present, ${r.digests} digest files ignored, ${r.skipped.length} skipped); the workspace has ${ws.table().length} rows`,
    );
  }
  return r.skipped.length > 0 ? 1 : 0;
}

export interface WorkspaceGenerateOptions {
  /** Undefined: the generator's default. */
  days: number | undefined;
  eventsPerDay: number | undefined;
  seed: string | undefined;
  /** `--now` as a fixed clock, else the system clock: the end of the generated period. */
  clock: Clock;
}

export async function workspaceGenerate(ctx: CommandContext, options: WorkspaceGenerateOptions): Promise<number> {
  const [{ openWorkspace }, { generateIntoWorkspace }, { hash32 }] = await Promise.all([
    import('../../cloud/logs/local/workspace.ts'),
    import('../../cloud/logs/local/generate-into-workspace.ts'),
    import('../../cloud/logs/local/prng.ts'),
  ]);
  const config = ctx.config();
  const ws = await openWorkspace(config.dataDir);
  const seed = options.seed === undefined ? 1 : /^\d+$/.test(options.seed) ? Number(options.seed) % 2 ** 32 : hash32(options.seed);
  const r = await generateIntoWorkspace(ws, {
    now: options.clock.now(),
    days: options.days,
    eventsPerDay: options.eventsPerDay,
    seed,
    tenantId: config.localWorkspaceId,
  });
  if (ctx.json) ctx.printJson({ ...r, rows: ws.table().length });
  else
    ctx.print(
      `generated ${r.generated} events, ${r.imported} new (${r.duplicates} already present); the workspace has ${ws.table().length} rows`,
    );
  return 0;
}

/** Prints rows, time range and accounts (a JSON object with --json). */
export async function workspaceStats(ctx: CommandContext): Promise<number> {
  const [{ openWorkspace }, { formatDatetime }] = await Promise.all([
    import('../../cloud/logs/local/workspace.ts'),
    import('../../kql/values.ts'),
  ]);
  const ws = await openWorkspace(ctx.config().dataDir);
  const stats = ws.stats();
  const time = (t: number | null) => (t === null ? null : formatDatetime(t));
  const json = { rows: stats.rows, from: time(stats.minTime), to: time(stats.maxTime), accounts: stats.accounts };
  if (ctx.json) ctx.printJson(json);
  else ctx.print(statsText(stats, json));
  return 0;
}

function statsText(s: WorkspaceStats, j: { from: string | null; to: string | null }): string {
  if (s.rows === 0) return 'the local workspace is empty: run `workspace generate` or `workspace import <files>`';
  return [
    `rows      ${s.rows}`,
    `from      ${j.from}`,
    `to        ${j.to}`,
    'accounts',
    ...s.accounts.map((a) => `  ${a.id}  ${a.rows} rows`),
  ].join('\n');
}

export const workspaceImportCommand: CommandSpec = {
  name: 'workspace import',
  summary: 'import CloudTrail log files (.json, .json.gz, directories) into the local workspace',
  usage: '<file|dir>...',
  details: ['Importing the same file twice adds nothing (one row per eventID). Exit 1 if anything was skipped.'],
  positionals: { min: 1, name: '<file|dir>' },
  writesDataDir: true,
  run: (ctx, args) => workspaceImport(ctx, { paths: args.positionals }),
};

export const workspaceGenerateCommand: CommandSpec = {
  name: 'workspace generate',
  summary: 'write realistic synthetic CloudTrail into the local workspace',
  usage: '[--days N] [--events-per-day N] [--seed S] [--now <ISO time>]',
  details: ['Deterministic for a given --seed and --now.'],
  options: { days: { type: 'string' }, 'events-per-day': { type: 'string' }, seed: { type: 'string' }, now: { type: 'string' } },
  positionals: { max: 0 },
  writesDataDir: true,
  run: (ctx, args) =>
    workspaceGenerate(ctx, {
      days: intFlag(args, 'days', { min: 1, max: 3660 }),
      eventsPerDay: intFlag(args, 'events-per-day', { min: 0 }),
      seed: stringFlag(args, 'seed'),
      clock: clockFlag(args),
    }),
};

export const workspaceStatsCommand: CommandSpec = {
  name: 'workspace stats',
  summary: 'print rows, time range and accounts of the local workspace',
  usage: '',
  positionals: { max: 0 },
  run: (ctx) => workspaceStats(ctx),
};
