import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sandboxWorkspace } from '../../../src/app/config.ts';
import { silentLogger } from '../../../src/app/logger.ts';
import { type Route, type ServerConfig, type Service, startServer } from '../../../src/app/server.ts';
import { ChatopsError } from '../../../src/core/errors.ts';

const config: ServerConfig = { host: '127.0.0.1', port: 0, cloudMode: 'sandbox', workspaces: [sandboxWorkspace()] };
const deps = { logger: silentLogger(), version: '9.9.9' };

// biome-ignore lint/suspicious/noExplicitAny: test reads of JSON bodies
type Json = Record<string, any>;
const json = async (res: Response): Promise<Json> => (await res.json()) as Json;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('startServer', () => {
  it('answers /healthz over real HTTP on an ephemeral port', async () => {
    const server = await startServer(config, deps);
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(server.port > 0);
      const res = await fetch(`${server.url}/healthz`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      const body = await json(res);
      assert.equal(body.status, 'ok');
      assert.equal(body.mode, 'sandbox');
      assert.equal(body.version, '9.9.9');
      assert.deepEqual(body.workspaces, ['sandbox']);
      assert.deepEqual(body.checks, {});
      assert.equal((await fetch(`${server.url}/healthz`, { method: 'HEAD' })).status, 200);
    } finally {
      await server.close();
    }
  });

  it('serves a placeholder page, 404 for unknown paths and 405 for wrong methods', async () => {
    const server = await startServer(config, deps);
    try {
      const home = await fetch(`${server.url}/`);
      assert.equal(home.status, 200);
      assert.match(await home.text(), /sentinel-chatops/);
      const missing = await fetch(`${server.url}/nope`);
      assert.equal(missing.status, 404);
      assert.equal((await json(missing)).error.code, 'not_found');
      const wrong = await fetch(`${server.url}/healthz`, { method: 'POST' });
      assert.equal(wrong.status, 405);
      assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
      await wrong.body?.cancel();
    } finally {
      await server.close();
    }
  });

  it('reports services on /healthz: starting until started, down when start failed', async () => {
    const gate = deferred();
    const warming: Service = { name: 'queryWorker', start: () => gate.promise };
    const broken: Service = {
      name: 'store',
      start: async () => {
        throw new ChatopsError('environment', 'database file is read-only');
      },
    };
    const server = await startServer(config, { ...deps, services: [warming] });
    try {
      let res = await fetch(`${server.url}/healthz`);
      assert.equal(res.status, 503);
      assert.deepEqual((await json(res)).checks, { queryWorker: { status: 'starting' } });
      gate.resolve();
      await server.ready;
      res = await fetch(`${server.url}/healthz`);
      assert.equal(res.status, 200);
      assert.equal((await json(res)).status, 'ok');
    } finally {
      await server.close();
    }
    const second = await startServer(config, { ...deps, services: [broken] });
    try {
      await second.ready;
      const res = await fetch(`${second.url}/healthz`);
      assert.equal(res.status, 503);
      const body = await json(res);
      assert.equal(body.status, 'down');
      assert.equal(body.checks.store.detail, 'database file is read-only');
    } finally {
      await second.close();
    }
  });

  it('runs plugged-in routes and maps their errors to HTTP statuses', async () => {
    const routes: Route[] = [
      { method: 'POST', path: '/echo', handle: async (req, res) => void res.end(`got ${req.method}`) },
      {
        method: 'GET',
        path: '/bad',
        handle: () => {
          throw new ChatopsError('bad_input', 'no such command');
        },
      },
      {
        method: 'GET',
        path: '/bug',
        handle: () => {
          throw new TypeError('x is undefined');
        },
      },
    ];
    const server = await startServer(config, { ...deps, routes });
    try {
      assert.equal(await (await fetch(`${server.url}/echo`, { method: 'POST', body: 'x' })).text(), 'got POST');
      const bad = await fetch(`${server.url}/bad`);
      assert.equal(bad.status, 400);
      assert.deepEqual(await json(bad), { error: { code: 'bad_input', message: 'no such command' } });
      const bug = await fetch(`${server.url}/bug`);
      assert.equal(bug.status, 500);
      const body = await json(bug);
      assert.equal(body.error.code, 'internal');
      assert.match(body.error.message, /this is a bug, reference [0-9a-f]{8}/);
    } finally {
      await server.close();
    }
  });

  it('drains on close: stops accepting, finishes requests in flight, then stops services in reverse order', async () => {
    const events: string[] = [];
    const inHandler = deferred();
    const release = deferred();
    const routes: Route[] = [
      {
        method: 'GET',
        path: '/slow',
        handle: async (_req, res) => {
          inHandler.resolve();
          await release.promise;
          res.end('finished');
          events.push('slow answered');
        },
      },
    ];
    const services: Service[] = [
      { name: 'a', stop: async () => void events.push('stop a') },
      { name: 'b', stop: async () => void events.push('stop b') },
    ];
    const server = await startServer(config, { ...deps, routes, services });
    const slow = fetch(`${server.url}/slow`).then((r) => r.text());
    await inHandler.promise;
    const closed = server.close().then(() => events.push('closed'));
    assert.equal(server.draining, true);
    await assert.rejects(fetch(`${server.url}/healthz`), 'no new connections while draining');
    assert.deepEqual(events, []);
    release.resolve();
    assert.equal(await slow, 'finished');
    await closed;
    assert.deepEqual(events, ['slow answered', 'stop b', 'stop a', 'closed']);
    assert.equal(server.close(), server.close(), 'close is idempotent');
  });

  it('fails with an environment error when the port is taken', async () => {
    const first = await startServer(config, deps);
    try {
      await assert.rejects(startServer({ ...config, port: first.port }, deps), (err: unknown) => {
        assert.ok(err instanceof ChatopsError);
        assert.equal(err.code, 'environment');
        assert.match(err.message, /set PORT/);
        return true;
      });
    } finally {
      await first.close();
    }
  });
});
