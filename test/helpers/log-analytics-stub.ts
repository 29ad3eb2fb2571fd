/**
 * A loopback HTTPS server that speaks the Log Analytics query REST API, for wire tests of the
 * real SDK (`LogsQueryClient` with `endpoint: stub.url`).
 *
 * - `POST /v1/workspaces/{id}/query` with `{query, timespan}` and `Prefer: wait=N, include-render=true`;
 * - answers from a script of replies (`enqueue`), then a default table: a result
 *   (`{"tables":[…], "render":{…}}`), a partial result (`"error"` beside the tables), any status
 *   with headers and body (429 + Retry-After, 500, 403 `InsufficientAccessError`, 401, 400), a
 *   slow query that honours `Prefer: wait` (504 GatewayTimeout when the wait is shorter), or no
 *   answer at all (`hang`);
 * - records every request (headers, parsed body, arrival time) for assertions;
 * - with no `Authorization: Bearer …` header it answers 401, as the service does.
 *
 * TLS uses the test-only certificate in `tls/` (CN and SAN 127.0.0.1); clients trust it through
 * `ca` (e.g. `clientOptions: { tlsOptions: { ca: stub.ca } }`), no NODE_EXTRA_CA_CERTS needed.
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

const TLS_DIR = new URL('./tls/', import.meta.url);
/** PEM of the test CA (a self-signed certificate for 127.0.0.1). */
export const TEST_CA = readFileSync(new URL('cert.pem', TLS_DIR), 'utf8');
const TEST_KEY = readFileSync(new URL('key.pem', TLS_DIR), 'utf8');

export interface StubTable {
  name: string;
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

export type StubReply =
  /** 200 with tables, an optional render hint (sent only when the request asked for include-render) and an optional partial error. */
  | { kind: 'result'; tables: StubTable[]; render?: Record<string, unknown>; error?: unknown }
  /** Any status; `body` is sent as JSON unless it is a string. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** A query that takes `ms`: 504 GatewayTimeout after `Prefer: wait` seconds when that is shorter, else `then`. */
  | { kind: 'slow'; ms: number; then: StubReply }
  /** Reads the request and never answers (until the stub closes). */
  | { kind: 'hang' };

export interface StubRequest {
  method: string;
  path: string;
  /** From the path `/v1/workspaces/{id}/query`. */
  workspaceId: string | undefined;
  authorization: string | undefined;
  prefer: string | undefined;
  /** `wait=` of the Prefer header, in seconds. */
  wait: number | undefined;
  includeRender: boolean;
  clientRequestId: string | undefined;
  userAgent: string | undefined;
  body: { query?: string; timespan?: string; workspaces?: string[] } | undefined;
  /** Arrival time (Date.now()). */
  at: number;
}

export interface LogAnalyticsStub {
  /** The query API base URL to give the client: `https://127.0.0.1:<port>/v1`. */
  url: string;
  /** PEM to trust. */
  ca: string;
  requests: StubRequest[];
  /** Replies for the next requests, in order; after them, `fallback`. */
  enqueue(...replies: StubReply[]): void;
  /** Forgets the recorded requests and the replies not yet sent. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_TABLE: StubTable = {
  name: 'PrimaryResult',
  columns: [
    { name: 'EventName', type: 'string' },
    { name: 'count_', type: 'long' },
  ],
  rows: [['ConsoleLogin', 3]],
};

/** Replies as the real service sends them. */
export const reply = {
  ok: (tables: StubTable[] = [DEFAULT_TABLE], render?: Record<string, unknown>): StubReply => ({ kind: 'result', tables, render }),

  partial: (tables: StubTable[], message = 'Query result set has exceeded the internal record count limit 500000.'): StubReply => ({
    kind: 'result',
    tables,
    error: {
      code: 'PartialError',
      message: 'There were some errors when processing your query.',
      details: [
        {
          code: 'EngineError',
          message: 'Something went wrong processing your query on the server.',
          innererror: { code: '-2133196797', message, severity: 2, severityName: 'Error' },
        },
      ],
    },
  }),

  throttled: (retryAfter?: string): StubReply => ({
    kind: 'status',
    status: 429,
    headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
    body: { error: { code: 'TooManyRequests', message: 'Too many requests. Please retry later.' } },
  }),

  serverError: (status = 500, headers: Record<string, string> = {}): StubReply => ({
    kind: 'status',
    status,
    headers,
    body: {
      error: {
        code: 'InternalServerError',
        message: 'An unexpected error occurred.',
        correlationId: 'c0ffee00-0000-4000-8000-000000000500',
      },
    },
  }),

  forbidden: (): StubReply => ({
    kind: 'status',
    status: 403,
    body: {
      error: {
        message: 'The provided credentials have insufficient access to perform the requested operation',
        code: 'InsufficientAccessError',
        correlationId: 'c0ffee00-0000-4000-8000-000000000403',
      },
    },
  }),

  unauthorized: (): StubReply => ({
    kind: 'status',
    status: 401,
    headers: {
      'www-authenticate':
        'Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token", error_description="The access token is missing or invalid."',
    },
    body: { error: { message: 'Valid authentication was not provided', code: 'AuthorizationRequiredError' } },
  }),

  semanticError: (message: string): StubReply => ({
    kind: 'status',
    status: 400,
    body: {
      error: {
        message: 'The request had some invalid properties',
        code: 'BadArgumentError',
        correlationId: 'c0ffee00-0000-4000-8000-000000000400',
        innererror: { code: 'SemanticError', message: 'A semantic error occurred.', innererror: { code: 'SEM0100', message } },
      },
    },
  }),

  syntaxError: (message: string): StubReply => ({
    kind: 'status',
    status: 400,
    body: {
      error: {
        message: 'The request had some invalid properties',
        code: 'BadArgumentError',
        innererror: {
          code: 'SyntaxError',
          message: 'A recognition error occurred in the query.',
          innererror: { code: 'SYN0002', message },
        },
      },
    },
  }),

  slow: (ms: number, then: StubReply = reply.ok()): StubReply => ({ kind: 'slow', ms, then }),

  hang: (): StubReply => ({ kind: 'hang' }),
};

export async function startLogAnalyticsStub(options: { fallback?: StubReply } = {}): Promise<LogAnalyticsStub> {
  const fallback = options.fallback ?? reply.ok();
  const script: StubReply[] = [];
  const requests: StubRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server: Server = createServer({ cert: TEST_CA, key: TEST_KEY }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: StubRequest['body'];
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '').split('?')[0];
      const prefer = header(req.headers.prefer);
      const wait = prefer === undefined ? undefined : /(?:^|[,;\s])wait=(\d+)/.exec(prefer)?.[1];
      const request: StubRequest = {
        method: req.method ?? '',
        path,
        workspaceId: /^\/v1\/workspaces\/([^/]+)\/query$/.exec(path)?.[1],
        authorization: header(req.headers.authorization),
        prefer,
        wait: wait === undefined ? undefined : Number(wait),
        includeRender: prefer !== undefined && /include-render=true/.test(prefer),
        clientRequestId: header(req.headers['x-ms-client-request-id']),
        userAgent: header(req.headers['user-agent']),
        body,
        at: Date.now(),
      };
      requests.push(request);

      const send = (r: StubReply) => {
        switch (r.kind) {
          case 'hang':
            return;
          case 'slow': {
            const waitMs = (request.wait ?? 180) * 1000;
            if (waitMs < r.ms)
              later(waitMs, () =>
                json(res, 504, {
                  error: {
                    code: 'GatewayTimeout',
                    message: 'Gateway timeout',
                    innererror: { code: 'GatewayTimeout', message: 'The query timed out.' },
                  },
                }),
              );
            else later(r.ms, () => send(r.then));
            return;
          }
          case 'status':
            json(res, r.status, r.body, r.headers);
            return;
          case 'result': {
            const out: Record<string, unknown> = { tables: r.tables };
            if (r.render && request.includeRender) out.render = r.render;
            if (r.error !== undefined) out.error = r.error;
            json(res, 200, out);
            return;
          }
        }
      };

      if (req.method !== 'POST' || request.workspaceId === undefined) {
        json(res, 404, { error: { code: 'PathNotFoundError', message: `The requested path does not exist: ${path}` } });
        return;
      }
      if (!request.authorization?.startsWith('Bearer ')) {
        send(reply.unauthorized());
        return;
      }
      if (typeof request.body?.query !== 'string') {
        json(res, 400, { error: { code: 'BadArgumentError', message: 'The request had some invalid properties' } });
        return;
      }
      send(script.shift() ?? fallback);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/v1`,
    ca: TEST_CA,
    requests,
    enqueue: (...replies) => {
      script.push(...replies);
    },
    reset: () => {
      requests.length = 0;
      script.length = 0;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { ...(text === '' ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...headers });
  res.end(text);
}
