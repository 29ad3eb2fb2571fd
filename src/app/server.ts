/**
 * The bot's HTTP server (node:http). Built-in routes: `GET /healthz` and `GET /` (placeholder for
 * the console chat surface). Everything else plugs in through `deps`:
 * - `routes`: handlers for chat surfaces (`POST /slack/events`, `POST /api/messages`, …);
 * - `services`: things with a lifetime (the query worker, a store): started when the server
 *   starts (without delaying `listen`), reported under `checks` on /healthz, stopped after the
 *   server has drained.
 *
 * Shutdown drains: stop accepting, answer new requests on open connections with 503
 * "restarting, try again shortly", let in-flight requests finish (up to `drainTimeoutMs`), then
 * stop the services in reverse order.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../core/clock.ts';
import { asChatopsError, type ErrorCode } from '../core/errors.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

export type HealthStatus = 'ok' | 'starting' | 'degraded' | 'down';

export interface ServiceHealth {
  status: HealthStatus;
  detail?: string;
  [key: string]: unknown;
}

export interface Service {
  readonly name: string;
  /** Called once when the server starts; /healthz says "starting" until it resolves. */
  start?(): Promise<void>;
  /** Default: from start() — starting, ok, or down if it failed. */
  health?(): ServiceHealth | Promise<ServiceHealth>;
  /** Called once after the server has drained. */
  stop?(): Promise<void>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface ServerDeps {
  logger: Logger;
  version: string;
  clock?: Clock;
  services?: readonly Service[];
  routes?: readonly Route[];
  /** How long in-flight requests may take to finish on shutdown (default 10 s). */
  drainTimeoutMs?: number;
}

export interface RunningServer {
  /** `http://host:port`, with the real port when PORT=0. */
  readonly url: string;
  readonly port: number;
  /** Resolves when every service has started (or failed to). */
  readonly ready: Promise<void>;
  readonly draining: boolean;
  /** Graceful shutdown; the same promise on every call. */
  close(): Promise<void>;
  /** Drops open connections now (a second SIGINT). */
  forceClose(): void;
}

export type ServerConfig = Pick<Config, 'host' | 'port' | 'cloudMode' | 'workspaces'>;

const STATUS_FOR: Partial<Record<ErrorCode, number>> = {
  bad_input: 400,
  query_syntax: 400,
  query_semantic: 400,
  unsupported_query: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit_exceeded: 413,
  throttled: 429,
  unavailable: 503,
  locked: 503,
};

export async function startServer(config: ServerConfig, deps: ServerDeps): Promise<RunningServer> {
  const { logger } = deps;
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  const services = [...(deps.services ?? [])];
  const routes = [...(deps.routes ?? [])];
  const drainTimeoutMs = deps.drainTimeoutMs ?? 10_000;
  const startState = new Map<string, ServiceHealth>();
  let draining = false;
  let inFlight = 0;

  const builtIn: Route[] = [
    { method: 'GET', path: '/healthz', handle: (_req, res) => healthz(res) },
    { method: 'GET', path: '/', handle: (_req, res) => home(res) },
  ];
  const allRoutes = [...builtIn, ...routes];

  async function healthz(res: ServerResponse): Promise<void> {
    const checks: Record<string, ServiceHealth> = {};
    for (const s of services) {
      try {
        checks[s.name] = s.health ? await s.health() : (startState.get(s.name) ?? { status: 'starting' });
      } catch (err) {
        checks[s.name] = { status: 'down', detail: asChatopsError(err).message };
      }
    }
    const statuses = Object.values(checks).map((c) => c.status);
    const status = draining
      ? 'draining'
      : statuses.includes('down')
        ? 'down'
        : statuses.includes('starting')
          ? 'starting'
          : statuses.includes('degraded')
            ? 'degraded'
            : 'ok';
    const body = {
      status,
      mode: config.cloudMode,
      version: deps.version,
      uptimeSeconds: Math.round((clock.now() - startedAt) / 1000),
      workspaces: config.workspaces.map((w) => w.name),
      checks,
    };
    sendJson(res, status === 'ok' || status === 'degraded' ? 200 : 503, body);
  }

  function home(res: ServerResponse): void {
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sentinel-chatops</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .2em}</style></head>
<body><h1>sentinel-chatops</h1>
<p>The bot is running in <strong>${config.cloudMode}</strong> mode (version ${escapeHtml(deps.version)}).</p>
<p>A console chat surface will live here. Until then: <a href="/healthz"><code>/healthz</code></a>, and the CLI
(<code>npx sentinel-chatops help</code>).</p></body></html>
`;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-content-type-options': 'nosniff',
    });
    res.end(html);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (draining && path !== '/healthz') {
      res.setHeader('connection', 'close');
      sendJson(res, 503, { error: { code: 'unavailable', message: 'restarting, try again shortly' } }, { 'retry-after': '5' });
      return;
    }
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const onPath = allRoutes.filter((r) => r.path === path);
    const route = onPath.find((r) => r.method === method);
    if (route === undefined) {
      if (onPath.length > 0) {
        const allow = [...new Set(onPath.flatMap((r) => (r.method === 'GET' ? ['GET', 'HEAD'] : [r.method])))].join(', ');
        sendJson(res, 405, { error: { code: 'bad_input', message: `${req.method} is not allowed on ${path}` } }, { allow });
      } else sendJson(res, 404, { error: { code: 'not_found', message: `no such path: ${path}` } });
      return;
    }
    try {
      await route.handle(req, res);
    } catch (err) {
      const e = asChatopsError(err);
      if (e.code === 'internal') logger.error({ err: e.cause ?? e, reference: e.reference, path }, 'request failed');
      else logger.warn({ code: e.code, path }, e.message);
      if (!res.headersSent) sendJson(res, STATUS_FOR[e.code] ?? 500, { error: { code: e.code, message: e.message } });
      else res.destroy();
    }
  }

  const server = createServer((req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (draining) server.closeIdleConnections();
    });
    if (draining) res.setHeader('connection', 'close');
    void handle(req, res);
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.removeListener('error', reject);
      resolvePromise();
    });
  }).catch((err) => {
    throw asChatopsError(err);
  });
  server.on('error', (err) => logger.error({ err }, 'server error'));

  const address = server.address() as AddressInfo;
  const shownHost = ['0.0.0.0', '::', ''].includes(config.host)
    ? 'localhost'
    : address.family === 'IPv6'
      ? `[${address.address}]`
      : address.address;
  const url = `http://${shownHost}:${address.port}`;

  const ready = Promise.all(
    services.map(async (s) => {
      startState.set(s.name, { status: 'starting' });
      try {
        await s.start?.();
        startState.set(s.name, { status: 'ok' });
      } catch (err) {
        const e = asChatopsError(err);
        startState.set(s.name, { status: 'down', detail: e.message });
        logger.error({ err: e.cause ?? e, service: s.name }, `service ${s.name} failed to start`);
      }
    }),
  ).then(() => undefined);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      logger.info({ inFlight }, 'draining: no new connections; finishing requests in flight');
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const timer = setTimeout(() => {
        logger.warn({ inFlight }, `requests still in flight after ${drainTimeoutMs} ms; closing their connections`);
        server.closeAllConnections();
      }, drainTimeoutMs);
      timer.unref();
      await closed;
      clearTimeout(timer);
      for (const s of [...services].reverse()) {
        try {
          await s.stop?.();
        } catch (err) {
          logger.error({ err, service: s.name }, `service ${s.name} failed to stop`);
        }
      }
      logger.info('server closed');
    })();
    return closing;
  };

  return {
    url,
    port: address.port,
    ready,
    get draining() {
      return draining;
    },
    close,
    forceClose: () => {
      void close();
      server.closeAllConnections();
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
