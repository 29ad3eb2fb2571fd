/**
 * Structured logs (pino, JSON lines) with secrets kept out: secret-looking properties are replaced
 * at any depth (also inside serialized errors and child bindings), and every written line is scrubbed
 * of token-shaped text and of the given secret values (see redact.ts). Logs go to stderr by default,
 * so that stdout carries only command output (tables, JSON, the server's "listening on" line).
 *
 * The logger is passed in (no module-level singleton).
 */
import { pino } from 'pino';
import type { LogLevel } from './config.ts';
import { redactObject, scrubText } from './redact.ts';

export type Logger = pino.Logger;

/** Anything with a `write(line)` method (a stream, or a test collector). */
export interface LogDestination {
  write(line: string): unknown;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Default: stderr, written synchronously so no line is lost when the CLI exits. */
  destination?: LogDestination;
  /** Values to mask wherever they appear (e.g. `secretValuesFromEnv(process.env)`). */
  secrets?: readonly string[];
  /** Fields on every line (e.g. `{ name: 'sentinel-chatops' }`). */
  base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = [...(options.secrets ?? [])];
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? { name: 'sentinel-chatops' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redactObject(bindings),
        log: (obj) => redactObject(obj),
      },
      serializers: {
        err: (e: Error) => redactObject({ ...pino.stdSerializers.err(e) }),
        error: (e: Error) => redactObject({ ...pino.stdSerializers.err(e) }),
      },
      hooks: { streamWrite: (line) => scrubText(line, secrets) },
    },
    destination as pino.DestinationStream,
  );
}

/** A logger that drops everything (tests, `--json` commands that must keep stderr quiet). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
