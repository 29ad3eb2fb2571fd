/**
 * Coded errors. Every failure that reaches a boundary (CLI, chat surface, HTTP) is a
 * `ChatopsError` with a code from the closed union below and a message written for the
 * person who sees it: what is wrong and what to do. Callers branch on `code`, never on
 * message text. `asChatopsError()` wraps anything else at each boundary.
 *
 * Exit classes (the CLI contract in DESIGN.md):
 * - 1: the input is at fault (bad flag or file, a query that is wrong or not supported);
 * - 2: the environment is at fault (configuration, credentials, permissions, an
 *      unreachable or throttling service, a data directory in use);
 * - 3: a bug (`internal`); the message carries a reference that also appears in the log.
 */

export const ERROR_CODES = {
  /** A flag, argument, file or chat command is malformed. */
  bad_input: 1,
  /** A named thing (file, workspace, onboarding, table) does not exist. */
  not_found: 1,
  /** The request collides with the current state (already approved, already connected, duplicate name). */
  conflict: 1,
  /** KQL that does not parse. */
  query_syntax: 1,
  /** KQL that parses but is wrong against the schema (unknown column or table, type mismatch). */
  query_semantic: 1,
  /** Valid KQL that the local workspace does not implement ("not supported by the local workspace: <name>"). */
  unsupported_query: 1,
  /** A query or import that exceeds a limit (rows, memory, result size, execution time). */
  limit_exceeded: 1,
  /** Configuration is missing or invalid (environment variables, .env, workspaces file). */
  config: 2,
  /** Credentials are missing, expired or rejected. */
  unauthenticated: 2,
  /** Credentials are valid but lack a permission (IAM AccessDenied, Azure 403). */
  forbidden: 2,
  /** A service could not be reached, timed out, or this process is shutting down. */
  unavailable: 2,
  /** A service throttled us and retries ran out. */
  throttled: 2,
  /** The data directory (or another exclusive resource) is held by another process. */
  locked: 2,
  /** Anything else about the machine: file permissions, a port in use, a full disk. */
  environment: 2,
  /** A bug. The user sees a reference; the stack goes to the log. */
  internal: 3,
} as const satisfies Record<string, 1 | 2 | 3>;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ExitCode = (typeof ERROR_CODES)[ErrorCode];

export interface ChatopsErrorOptions extends ErrorOptions {
  /** Extra lines that belong to the message (one per problem, e.g. one per bad variable). */
  details?: readonly string[];
  /** For `internal`: the reference shown to the user and written to the log. */
  reference?: string;
}

export class ChatopsError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];
  readonly reference: string | undefined;

  constructor(code: ErrorCode, message: string, options: ChatopsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChatopsError';
    this.code = code;
    this.details = Object.freeze([...(options.details ?? [])]);
    this.reference = options.reference;
  }

  /** The message and its detail lines, one problem per line. */
  get userText(): string {
    return [this.message, ...this.details].join('\n');
  }
}

export function isChatopsError(err: unknown): err is ChatopsError {
  return err instanceof ChatopsError;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** 1 for bad input or an unsupported query, 2 for the environment, 3 for a bug. */
export function exitCodeFor(err: unknown): ExitCode {
  return ERROR_CODES[asChatopsError(err).code];
}

/** Node system error codes that say the environment, not the input or the code, is at fault. */
const SYSTEM_ERROR_CODES: Readonly<Record<string, ErrorCode>> = {
  ECONNREFUSED: 'unavailable',
  ECONNRESET: 'unavailable',
  ETIMEDOUT: 'unavailable',
  ENOTFOUND: 'unavailable',
  EAI_AGAIN: 'unavailable',
  EHOSTUNREACH: 'unavailable',
  ENETUNREACH: 'unavailable',
  EACCES: 'environment',
  EPERM: 'environment',
  EROFS: 'environment',
  ENOSPC: 'environment',
  EADDRINUSE: 'environment',
  EMFILE: 'environment',
  ENOENT: 'not_found',
  EISDIR: 'bad_input',
  ENOTDIR: 'bad_input',
};

const SYSTEM_ERROR_HINTS: Readonly<Record<string, string>> = {
  EACCES: 'check the file permissions',
  EPERM: 'check the file permissions',
  EROFS: 'the file system is read-only; use a writable --data-dir',
  ENOSPC: 'the disk is full; free some space',
  EADDRINUSE: 'another program uses this port; stop it or set PORT',
  EMFILE: 'too many open files; raise the limit (ulimit -n)',
};

/**
 * Wraps anything thrown into a ChatopsError. ChatopsErrors pass through unchanged; Node system
 * errors (ENOENT, ECONNREFUSED, EADDRINUSE, …) get the matching code; everything else is a bug:
 * `internal`, with a short reference and the original as `cause`.
 */
export function asChatopsError(err: unknown, reference?: string): ChatopsError {
  if (err instanceof ChatopsError) return err;
  const sys = systemErrorCode(err);
  if (sys !== undefined && Object.hasOwn(SYSTEM_ERROR_CODES, sys)) {
    const e = err as Error & { path?: string; address?: string; port?: number };
    const what = e.path ?? (e.address === undefined ? undefined : `${e.address}${e.port === undefined ? '' : `:${e.port}`}`);
    const hint = SYSTEM_ERROR_HINTS[sys];
    const base =
      sys === 'ENOENT' && e.path !== undefined
        ? `not found: ${e.path}`
        : `${e.message}${what && !e.message.includes(what) ? ` (${what})` : ''}`;
    return new ChatopsError(SYSTEM_ERROR_CODES[sys], hint ? `${base}; ${hint}` : base, { cause: err });
  }
  const ref = reference ?? newReference();
  const detail = err instanceof Error ? err.message : String(err);
  return new ChatopsError('internal', `internal error (this is a bug, reference ${ref}): ${detail}`, { cause: err, reference: ref });
}

function systemErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function newReference(): string {
  return Math.floor(Math.random() * 0x100000000)
    .toString(16)
    .padStart(8, '0');
}

/** For stubs and not-yet-built paths. */
export function notImplemented(what: string): ChatopsError {
  return new ChatopsError('internal', `not implemented yet: ${what}`);
}
