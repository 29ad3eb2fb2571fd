/**
 * The real Log Analytics workspace as a LogsGateway: `LogsQueryClient.queryWorkspace` from
 * @azure/monitor-query-logs, with a TokenCredential (the app passes `DefaultAzureCredential`;
 * tests pass a static one).
 *
 * Per query:
 * 1. the question's window goes to the API as the query timespan (`P30D`, or `P30D/<end>` when
 *    `now` is fixed), and `Prefer: wait=<server timeout>, include-render=true` asks for the
 *    `render` hint;
 * 2. the answer becomes our wire shape (query-response.ts), identical in form to the local
 *    workspace's; a partial result keeps its tables and gets a warning;
 * 3. failures are classified (query-failure.ts): 429 is retried after its Retry-After, 5xx and
 *    dropped connections with exponential back-off, all within `maxAttempts`; timeouts and
 *    4xx are not retried; what is left becomes a ChatopsError that says what to do.
 *
 * Retries are ours, not the SDK's. Measured against the stub with SDK 1.0.0 (core-rest-pipeline
 * 1.25, default retry policy): 4 attempts at most (3 retries); a 429 with Retry-After waits exactly
 * that long (uncapped: `Retry-After: 3600` would hold a chat question for an hour), a 429 without
 * it is not retried at all; 500/503 back off 50-100 % of 1, 2, 4 s (gaps measured 0.7, 1.8, 3.4 s);
 * a 504 server timeout is retried like a 500, so a query that hit `wait=N` costs 4 × N s plus
 * back-off (9 s measured for wait=1; over 12 min at the default 180 s); a client-side timeout is not
 * retried. The SDK's policy is therefore switched off (`retryOptions.maxRetries: 0`) and this class
 * retries instead, with an injected clock and sleep, so nothing is retried twice. Defaults: 4
 * attempts; Retry-After honoured up to 30 s (longer: fail at once, saying when to try again); 429
 * without Retry-After, 5xx and dropped connections back off like the SDK (50-100 % of 1, 2, 4 s,
 * capped at 8 s); 504 and client-side timeouts are not retried.
 *
 * Also measured: `queryWorkspace` passes only `requestOptions` (headers, timeout) down to the
 * pipeline; `abortSignal` and `onResponse` are dropped. Hence a client-side timeout per attempt,
 * and a pipeline policy that captures each raw response (status, headers, body) keyed by our
 * `x-ms-client-request-id`. The client's `audience` option is not used by the SDK either: the token
 * scope is set through `credentials.scopes`.
 *
 * Tokens are never logged: logs carry the workspace, attempt, status and client request ID only.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { TokenCredential } from '@azure/identity';
import { LogsQueryClient, type LogsQueryClientOptions, type QueryTimeInterval } from '@azure/monitor-query-logs';
import { type Clock, systemClock } from '../../../core/clock.ts';
import { ChatopsError } from '../../../core/errors.ts';
import { parseIsoDuration } from '../../../core/iso-duration.ts';
import type { LogsGateway, LogsQuery } from '../../../core/questions/logs-gateway.ts';
import type { QueryResult } from '../../../core/result-table.ts';
import { text, workspaceLabel } from './log-analytics-text.ts';
import { type AttemptResponse, classifyFailure, type Failure } from './query-failure.ts';
import { parseBody, toQueryResult } from './query-response.ts';

export const PUBLIC_LOGS_ENDPOINT = 'https://api.loganalytics.io/v1';
export const USGOV_LOGS_ENDPOINT = 'https://api.loganalytics.us/v1';

export interface RetryOptions {
  /** Attempts in all, the first included (default 4, as the SDK's default of 3 retries). */
  maxAttempts?: number;
  /** Back-off before the first retry of a 5xx, a dropped connection or a 429 without Retry-After (default 1000 ms); doubles per retry. */
  baseDelayMs?: number;
  /** Cap on one back-off (default 8000 ms). */
  maxDelayMs?: number;
  /**
   * A Retry-After longer than this is not waited for: the query fails as `throttled` at once,
   * telling the person when to try again (default 30 000 ms: a chat question should not hang).
   */
  maxRetryAfterMs?: number;
}

/** The part of a logger the gateway uses (pino's `warn(fields, message)` fits). */
export interface GatewayLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface LogAnalyticsGatewayOptions {
  credential: TokenCredential;
  /** The workspace ID (a GUID). */
  workspaceId: string;
  /** The workspace's short or resource name, for messages ("prod-sec"). */
  workspaceName?: string;
  /** Query API base URL with its version: `https://api.loganalytics.io/v1` (public), `https://api.loganalytics.us/v1` (US Gov). */
  endpoint: string;
  /** `Prefer: wait=` (1-600 s; default 180, the service's default). */
  serverTimeoutSeconds?: number;
  /** Added to the server timeout for the client-side timeout of one attempt (default 15 000 ms). */
  clientGraceMs?: number;
  /** Token audience; default from the endpoint: `https://api.loganalytics.us` for *.us hosts, else `https://api.loganalytics.io`. */
  audience?: string;
  retry?: RetryOptions;
  /**
   * Passed to LogsQueryClient as they are (e.g. `tlsOptions: { ca }` to trust a test or proxy CA,
   * `proxyOptions`). Endpoint, credentials and retries are set by the gateway.
   */
  clientOptions?: Omit<LogsQueryClientOptions, 'endpoint' | 'credentials' | 'retryOptions' | 'apiVersion' | 'audience'>;
  logger?: GatewayLogger;
  /** Default: the system clock. Used for Retry-After dates and elapsed times in messages. */
  clock?: Clock;
  /** Default: a timer. Tests inject one that records the delays. Rejects when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1) (default Math.random). */
  random?: () => number;
}

const DEFAULT_SERVER_TIMEOUT_S = 180;
const CAPTURE_POLICY = 'sentinelChatopsCaptureResponse';

export class LogAnalyticsGateway implements LogsGateway {
  readonly #client: LogsQueryClient;
  readonly #workspaceId: string;
  readonly #label: string;
  readonly #endpoint: string;
  readonly #serverTimeoutS: number;
  readonly #attemptTimeoutMs: number;
  readonly #retry: Required<RetryOptions>;
  readonly #logger: GatewayLogger | undefined;
  readonly #clock: Clock;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  /** Raw responses by client request ID, filled by the pipeline policy, taken by the attempt that sent it. */
  readonly #responses = new Map<string, AttemptResponse>();
  readonly #closing = new AbortController();

  constructor(options: LogAnalyticsGatewayOptions) {
    const serverTimeoutS = options.serverTimeoutSeconds ?? DEFAULT_SERVER_TIMEOUT_S;
    if (!Number.isInteger(serverTimeoutS) || serverTimeoutS < 1 || serverTimeoutS > 600)
      throw new ChatopsError(
        'config',
        `the Log Analytics server timeout must be a whole number of seconds from 1 to 600 (got ${serverTimeoutS})`,
      );
    let endpoint: URL;
    try {
      endpoint = new URL(options.endpoint);
    } catch {
      throw new ChatopsError('config', `the Log Analytics endpoint is not a URL: ${JSON.stringify(options.endpoint)}`);
    }
    if (endpoint.protocol !== 'https:')
      throw new ChatopsError(
        'config',
        `the Log Analytics endpoint must be https:// (Azure sends no token over plain HTTP): ${options.endpoint}`,
      );
    this.#workspaceId = options.workspaceId;
    this.#label = workspaceLabel(options.workspaceId, options.workspaceName);
    this.#endpoint = options.endpoint.replace(/\/+$/, '');
    this.#serverTimeoutS = serverTimeoutS;
    this.#attemptTimeoutMs = serverTimeoutS * 1000 + (options.clientGraceMs ?? 15_000);
    this.#retry = {
      maxAttempts: Math.max(1, options.retry?.maxAttempts ?? 4),
      baseDelayMs: options.retry?.baseDelayMs ?? 1000,
      maxDelayMs: options.retry?.maxDelayMs ?? 8000,
      maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 30_000,
    };
    this.#logger = options.logger;
    this.#clock = options.clock ?? systemClock;
    this.#sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.#random = options.random ?? Math.random;

    const audience = options.audience ?? logsAudienceFor(this.#endpoint);
    this.#client = new LogsQueryClient(options.credential, {
      userAgentOptions: { userAgentPrefix: 'sentinel-chatops' },
      ...options.clientOptions,
      endpoint: this.#endpoint,
      credentials: { scopes: [`${audience}/.default`] },
      retryOptions: { maxRetries: 0 },
    });
    this.#client.pipeline.addPolicy(
      {
        name: CAPTURE_POLICY,
        sendRequest: async (request, next) => {
          const response = await next(request);
          const id = request.headers.get('x-ms-client-request-id');
          if (id !== undefined)
            this.#responses.set(id, {
              status: response.status,
              headers: response.headers.toJSON(),
              bodyText: response.bodyAsText ?? undefined,
            });
          return response;
        },
      },
      { afterPhase: 'Retry' },
    );
  }

  async query(q: LogsQuery): Promise<QueryResult> {
    if (this.#closing.signal.aborted) throw new ChatopsError('unavailable', text.closed());
    const timespan = queryTimeInterval(q);
    const started = this.#clock.now();
    for (let attempt = 1; ; attempt++) {
      const requestId = randomUUID();
      let failure: Failure;
      try {
        const result = await this.#client.queryWorkspace(this.#workspaceId, q.kql, timespan, {
          serverTimeoutInSeconds: this.#serverTimeoutS,
          includeVisualization: true,
          requestOptions: { timeout: this.#attemptTimeoutMs, headers: { 'x-ms-client-request-id': requestId } },
        });
        return toQueryResult(result, parseBody(this.#responses.get(requestId)?.bodyText));
      } catch (err) {
        failure = classifyFailure(err, this.#responses.get(requestId), {
          workspace: this.#label,
          endpoint: this.#endpoint,
          now: this.#clock.now(),
        });
      } finally {
        this.#responses.delete(requestId);
      }
      const wait = this.#retryDelay(failure, attempt);
      if (wait === undefined) throw this.#finalError(failure, attempt, this.#clock.now() - started);
      this.#logger?.warn(
        { workspaceId: this.#workspaceId, attempt, failure: failure.kind, delayMs: wait, clientRequestId: requestId },
        'Log Analytics query failed; retrying',
      );
      try {
        await this.#sleep(wait, this.#closing.signal);
      } catch {
        throw new ChatopsError('unavailable', text.closed());
      }
    }
  }

  /** Stops waiting retries (they fail with "shutting down"); new queries are refused. */
  async close(): Promise<void> {
    this.#closing.abort();
  }

  /** How long to wait before the next attempt; undefined when there is none. */
  #retryDelay(failure: Failure, attempt: number): number | undefined {
    const r = this.#retry;
    if (attempt >= r.maxAttempts) return undefined;
    switch (failure.kind) {
      case 'throttled':
      case 'server_error':
        if (failure.retryAfterMs !== undefined) return failure.retryAfterMs <= r.maxRetryAfterMs ? failure.retryAfterMs : undefined;
        return this.#backoff(attempt);
      case 'connection':
        return this.#backoff(attempt);
      case 'server_timeout':
      case 'client_timeout':
      case 'final':
        return undefined;
      default:
        return assertNever(failure);
    }
  }

  /** Exponential with jitter, as the SDK's: half the step plus a random part of the other half. */
  #backoff(attempt: number): number {
    const step = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(step / 2 + this.#random() * (step / 2));
  }

  #finalError(failure: Failure, attempts: number, elapsedMs: number): ChatopsError {
    const seconds = Math.max(0, Math.round(elapsedMs / 100) / 10);
    switch (failure.kind) {
      case 'throttled': {
        const after = failure.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(failure.retryAfterMs / 1000));
        return new ChatopsError('throttled', text.throttled(this.#label, attempts, seconds, after), { details: [failure.said] });
      }
      case 'server_error':
        return new ChatopsError('unavailable', text.serverError(this.#label, failure.said, attempts, seconds));
      case 'connection':
        return new ChatopsError('unavailable', text.unreachable(this.#endpoint, failure.detail, attempts));
      case 'server_timeout':
        return new ChatopsError('unavailable', text.serverTimeout(this.#label, this.#serverTimeoutS));
      case 'client_timeout':
        return new ChatopsError('unavailable', text.clientTimeout(this.#label, this.#endpoint, Math.round(this.#attemptTimeoutMs / 1000)));
      case 'final':
        return failure.error;
      default:
        return assertNever(failure);
    }
  }
}

/** The token audience of a Log Analytics query endpoint: US Government for `*.us` hosts, else public. */
export function logsAudienceFor(endpoint: string): string {
  const host = new URL(endpoint).hostname.toLowerCase();
  return host.endsWith('.us') ? 'https://api.loganalytics.us' : 'https://api.loganalytics.io';
}

/**
 * The query's window as the API's timespan: the duration alone (the service ends it at its now),
 * or `<duration>/<end>` when `now` is fixed. Without a timespan the SDK sends none (the whole
 * retention). The service's now() inside the KQL cannot be fixed: a fixed `now` far from the
 * real time moves the window, not now().
 */
export function queryTimeInterval(q: LogsQuery): QueryTimeInterval {
  if (q.timespan === undefined) {
    // The SDK's type wants one of the fields; `duration: undefined` makes it send no timespan at all.
    return { duration: undefined } as unknown as QueryTimeInterval;
  }
  const duration = q.timespan.trim().toUpperCase();
  if (parseIsoDuration(duration) === undefined) throw new ChatopsError('bad_input', text.badTimespan(q.timespan));
  if (q.now === undefined) return { duration };
  if (!Number.isFinite(q.now) || Number.isNaN(new Date(q.now).getTime())) throw new ChatopsError('bad_input', text.badNow(q.now));
  return { duration, endTime: new Date(q.now) };
}

function assertNever(x: never): never {
  throw new Error(`unhandled failure kind: ${JSON.stringify(x)}`);
}
