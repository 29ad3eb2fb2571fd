/**
 * One failed attempt at a Log Analytics query → what kind of failure it is: retryable (throttled,
 * a 5xx, a dropped connection), or final (a ChatopsError with a message for the person who asked).
 *
 * The HTTP status is read from the response the gateway's pipeline policy captured, not from what
 * the SDK threw: @azure/monitor-query-logs 1.0.0 throws a TypeError instead of a RestError when an
 * error response has no JSON `error` body (e.g. a bare 429 or a proxy's 502 page).
 */
import { asChatopsError, ChatopsError, isChatopsError } from '../../../core/errors.ts';
import { text } from './log-analytics-text.ts';
import { describeServiceError, parseBody, readServiceError } from './query-response.ts';

/** The raw response of one attempt, as the pipeline policy captured it. */
export interface AttemptResponse {
  status: number;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string>>;
  bodyText: string | undefined;
}

export type Failure =
  /** 429: retried after Retry-After (or back-off when there is none). */
  | { kind: 'throttled'; retryAfterMs: number | undefined; said: string }
  /** 408 and 5xx other than 501/504/505: retried with back-off (after Retry-After when a 503 sends one). */
  | { kind: 'server_error'; retryAfterMs: number | undefined; said: string }
  /** The connection failed before an answer (refused, reset, DNS): retried with back-off. */
  | { kind: 'connection'; detail: string }
  /** 504: the query ran past the server timeout (`Prefer: wait=`). Not retried: it would take as long again. */
  | { kind: 'server_timeout'; said: string }
  /** No answer within the client-side timeout (server timeout + grace). Not retried, for the same reason. */
  | { kind: 'client_timeout' }
  /** Not retried: the answer will not change (403, 401, 400, 404, TLS, no credential, a bug). */
  | { kind: 'final'; error: ChatopsError };

export interface FailureContext {
  /** The workspace as named in messages (`workspaceLabel`). */
  workspace: string;
  endpoint: string;
  /** For Retry-After given as an HTTP date. */
  now: number;
}

/** Error codes of a connection that failed or dropped (Node and undici), worth another attempt. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

/** Names of @azure/identity's errors: no credential in the chain could produce a token. */
const CREDENTIAL_ERRORS = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);

export function classifyFailure(error: unknown, response: AttemptResponse | undefined, ctx: FailureContext): Failure {
  if (response) return classifyResponse(error, response, ctx);
  if (isChatopsError(error)) return { kind: 'final', error };
  const name = error instanceof Error ? error.name : undefined;
  const code = errorCode(error);
  const message = error instanceof Error ? firstLine(error.message) : String(error);
  if (name === 'AbortError') return { kind: 'client_timeout' };
  if (name !== undefined && CREDENTIAL_ERRORS.has(name))
    return { kind: 'final', error: new ChatopsError('unauthenticated', text.noCredential(`${name}: ${message}`), { cause: error }) };
  if (code !== undefined && CONNECTION_CODES.has(code)) return { kind: 'connection', detail: `${code}: ${message}` };
  if (code !== undefined && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
    return {
      kind: 'final',
      error: new ChatopsError('unavailable', text.unreachable(ctx.endpoint, `TLS: ${code}: ${message}`, 1), { cause: error }),
    };
  return { kind: 'final', error: asChatopsError(error) };
}

function classifyResponse(error: unknown, response: AttemptResponse, ctx: FailureContext): Failure {
  const { status } = response;
  const serviceError = readServiceError(parseBody(response.bodyText));
  const said = describeServiceError(status, serviceError);
  const saidWithStatus = serviceError?.code ? `HTTP ${status} ${said}` : said;
  const final = (code: ConstructorParameters<typeof ChatopsError>[0], message: string): Failure => ({
    kind: 'final',
    error: new ChatopsError(code, message, { cause: error }),
  });
  if (status === 429) return { kind: 'throttled', retryAfterMs: retryAfterMs(response.headers, ctx.now), said: saidWithStatus };
  if (status === 504) return { kind: 'server_timeout', said: saidWithStatus };
  if (status === 408 || (status >= 500 && status !== 501 && status !== 505))
    return { kind: 'server_error', retryAfterMs: retryAfterMs(response.headers, ctx.now), said: saidWithStatus };
  if (status === 401) return final('unauthenticated', text.unauthenticated(ctx.workspace, saidWithStatus));
  if (status === 403) return final('forbidden', text.forbidden(ctx.workspace, saidWithStatus));
  if (status === 404) return final('not_found', text.notFound(ctx.workspace, ctx.endpoint, saidWithStatus));
  if (status === 400) {
    const syntax = serviceError?.codes.some((c) => /syntax/i.test(c)) ?? false;
    return final(syntax ? 'query_syntax' : 'query_semantic', text.queryRejected(said));
  }
  return final('unavailable', text.unexpectedStatus(ctx.workspace, saidWithStatus));
}

/**
 * How long the service asks us to wait: `retry-after-ms` / `x-ms-retry-after-ms` (milliseconds) or
 * `Retry-After` (seconds, or an HTTP date); undefined when none is usable.
 */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = headers[name];
    if (v !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.ceil(Number(v));
  }
  const v = headers['retry-after'];
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.ceil(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function firstLine(s: string): string {
  const line = s.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
