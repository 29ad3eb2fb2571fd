/**
 * The CLI's command framework: what a command module declares (`CommandSpec`), what it gets
 * when it runs (`CommandContext`), and small helpers that turn flags into typed values or a
 * ChatopsError('bad_input') that names the flag.
 *
 * A command module in `src/app/commands/` exports a typed function that does the work
 * (e.g. `kql(ctx, { source, timespan, clock, out })`) and a `CommandSpec` whose `run` only
 * converts flags and calls it. Register the spec in `commands/index.ts`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ParseArgsOptionsConfig } from 'node:util';
import { type Clock, fixedClock, systemClock } from '../core/clock.ts';
import { ChatopsError } from '../core/errors.ts';
import type { Config } from './config.ts';
import type { DataDirLock } from './data-dir-lock.ts';
import type { Logger } from './logger.ts';

export interface TextSink {
  write(chunk: string): unknown;
}

/** What the CLI talks to; `main` fills in the process's by default, tests pass their own. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  stdin: AsyncIterable<string | Uint8Array>;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Aborted to ask a long-running command (serve) to shut down; default: SIGINT/SIGTERM. */
  shutdownSignal?: AbortSignal;
}

export interface CommandContext {
  readonly io: CliIo;
  /** `--json`: print machine-readable output (and errors as `{"error":{"code","message"}}`). */
  readonly json: boolean;
  /** Validated configuration, loaded on first call (throws ChatopsError('config')); `--data-dir` applied. */
  config(): Config;
  /** Logs to stderr at LOG_LEVEL, secrets redacted. */
  logger(): Logger;
  /** The data directory lock, held while `run` runs, for commands with `writesDataDir`. */
  readonly lock: DataDirLock | undefined;
  /** Writes one line (or several) to stdout. */
  print(text: string): void;
  /** Writes a value as one line of JSON to stdout. */
  printJson(value: unknown): void;
}

export type FlagValue = string | boolean | (string | boolean)[] | undefined;

export interface CommandArgs {
  values: Readonly<Record<string, FlagValue>>;
  positionals: readonly string[];
}

export interface CommandSpec {
  /** As typed: `kql`, `workspace import`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Arguments after the name, for usage lines: `<file|-> [--timespan P30D]`. */
  usage: string;
  /** More lines for `help <command>`. */
  details?: readonly string[];
  /** Command flags (global flags --data-dir, --json, --help are added by the CLI). */
  options?: ParseArgsOptionsConfig;
  positionals?: { min?: number; max?: number; name?: string };
  /** Hold the data directory lock while running (commands that write the data directory). */
  writesDataDir?: boolean;
  run(ctx: CommandContext, args: CommandArgs): Promise<number>;
}

export function usageHint(command?: string): string {
  return command ? `see 'sentinel-chatops help ${command}'` : `see 'sentinel-chatops help'`;
}

export function stringFlag(args: CommandArgs, name: string): string | undefined {
  const v = args.values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ChatopsError('bad_input', `--${name} needs a value`);
  return v;
}

export function intFlag(args: CommandArgs, name: string, range: { min?: number; max?: number } = {}): number | undefined {
  const s = stringFlag(args, name);
  if (s === undefined) return undefined;
  const min = range.min ?? Number.MIN_SAFE_INTEGER;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  const n = /^-?\d+$/.test(s.trim()) ? Number(s) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const bounds = range.max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new ChatopsError('bad_input', `--${name} expects a whole number ${bounds}, got "${s}"`);
  }
  return n;
}

/** An ISO 8601 instant with a time zone (`2025-01-31T00:00:00Z`) as epoch milliseconds. */
export function instantFlag(args: CommandArgs, name: string): number | undefined {
  const s = stringFlag(args, name);
  if (s === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/i.test(s.trim());
  const ms = ok ? Date.parse(s.trim()) : Number.NaN;
  if (Number.isNaN(ms)) throw new ChatopsError('bad_input', `--${name} expects an ISO 8601 time such as 2025-01-31T00:00:00Z, got "${s}"`);
  return ms;
}

/** `--now <ISO>` as a fixed clock; the system clock without it. */
export function clockFlag(args: CommandArgs, name = 'now'): Clock {
  const ms = instantFlag(args, name);
  return ms === undefined ? systemClock : fixedClock(ms);
}

/**
 * The text of a file named on the command line, or of stdin for `-`. A missing file is
 * ChatopsError('not_found') naming it.
 */
export async function readTextSource(io: Pick<CliIo, 'stdin' | 'cwd'>, source: string, what = 'file'): Promise<string> {
  if (source === '-') {
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of io.stdin) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  }
  try {
    return await readFile(resolve(io.cwd, source), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ChatopsError('not_found', `${what} not found: ${source}`, { cause: err });
    if (code === 'EISDIR') throw new ChatopsError('bad_input', `${source} is a directory; expected a ${what}`, { cause: err });
    throw err;
  }
}
