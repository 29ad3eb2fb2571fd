/**
 * `workspace import|generate|stats`: the local workspace under the data directory.
 * import and generate write it, so the CLI holds the data directory lock while they run.
 */
import type { Clock } from '../../core/clock.ts';
import { notImplemented } from '../../core/errors.ts';
import { type CommandContext, type CommandSpec, clockFlag, intFlag, stringFlag } from '../command.ts';

export interface WorkspaceImportOptions {
  /** CloudTrail log files (`{"Records":[…]}`, .json or .json.gz) or directories (searched recursively), as given. */
  paths: readonly string[];
}

/** Exit 0 when everything imported; 1 when a file or record was skipped (each reported with path and position). */
export async function workspaceImport(_ctx: CommandContext, _options: WorkspaceImportOptions): Promise<number> {
  throw notImplemented('workspace import');
}

export interface WorkspaceGenerateOptions {
  /** Undefined: the generator's default. */
  days: number | undefined;
  eventsPerDay: number | undefined;
  seed: string | undefined;
  /** `--now` as a fixed clock, else the system clock: the end of the generated period. */
  clock: Clock;
}

export async function workspaceGenerate(_ctx: CommandContext, _options: WorkspaceGenerateOptions): Promise<number> {
  throw notImplemented('workspace generate');
}

/** Prints rows, time range and accounts (a JSON object with --json). */
export async function workspaceStats(_ctx: CommandContext): Promise<number> {
  throw notImplemented('workspace stats');
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
