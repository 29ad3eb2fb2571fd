/**
 * Wire tests: the real SDK (@azure/monitor-query-logs) against the loopback HTTPS stub of the
 * Log Analytics query API. The stub's test certificate is trusted per client through
 * `clientOptions.tlsOptions.ca`, so plain `node --test` runs these (no NODE_EXTRA_CA_CERTS).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { inspect } from 'node:util';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import {
  LogAnalyticsGateway,
  type LogAnalyticsGatewayOptions,
  logsAudienceFor,
  PUBLIC_LOGS_ENDPOINT,
  USGOV_LOGS_ENDPOINT,
} from '../../../../../src/cloud/logs/azure/log-analytics-gateway.ts';
import { text, workspaceLabel } from '../../../../../src/cloud/logs/azure/log-analytics-text.ts';
import { manualClock } from '../../../../../src/core/clock.ts';
import { ChatopsError } from '../../../../../src/core/errors.ts';
import { type LogAnalyticsStub, reply, type StubTable, startLogAnalyticsStub } from '../../../../helpers/log-analytics-stub.ts';

const WORKSPACE_ID = '0b5e7c1a-7e57-4c1d-8a7b-5a9db0c0ffee';
const LABEL = workspaceLabel(WORKSPACE_ID, 'prod-sec');
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.test-token-for-wire-tests.sig';
const KQL = 'AWSCloudTrail | summarize count() by EventName';

/** A static credential that records the scopes it was asked for. */
function staticCredential(scopes: string[][] = []): TokenCredential {
  return {
    getToken: async (s: string | string[], _o?: GetTokenOptions): Promise<AccessToken> => {
      scopes.push(Array.isArray(s) ? s : [s]);
      return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

let stub: LogAnalyticsStub;
before(async () => {
  stub = await startLogAnalyticsStub();
});
after(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.reset();
});

function gateway(over: Partial<LogAnalyticsGatewayOptions> = {}): LogAnalyticsGateway {
  return new LogAnalyticsGateway({
    credential: staticCredential(),
    workspaceId: WORKSPACE_ID,
    workspaceName: 'prod-sec',
    endpoint: stub.url,
    serverTimeoutSeconds: 30,
    clientOptions: { tlsOptions: { ca: stub.ca } },
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    ...over,
  });
}

/** A clock that only the recorded sleeps move: elapsed times in messages become exact. */
function simulatedTime() {
  const clock = manualClock(Date.parse('2026-11-01T00:00:00Z'));
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
    clock.advance(ms);
  };
  return { clock, delays, sleep };
}

async function rejection(p: Promise<unknown>): Promise<ChatopsError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ChatopsError, `expected a ChatopsError, got ${inspect(err)}`);
    return err;
  }
  assert.fail('expected the query to fail');
}

describe('LogAnalyticsGateway: success', () => {
  const table: StubTable = {
    name: 'PrimaryResult',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'Day', type: 'datetime' },
      { name: 'EventName', type: 'string' },
      { name: 'Count', type: 'long' },
      { name: 'Share', type: 'real' },
      { name: 'Failed', type: 'bool' },
      { name: 'Params', type: 'dynamic' },
      { name: 'Id', type: 'guid' },
      { name: 'Took', type: 'timespan' },
      { name: 'Small', type: 'int' },
    ],
    rows: [
      [
        '2026-10-01T12:00:00.1234567Z',
        '2026-10-01T00:00:00Z',
        'ConsoleLogin',
        42,
        0.25,
        false,
        '{"bucketName":"logs","size":9007199254740993,"tags":[1,2]}',
        '6f1c0a8e-2a1b-4c3d-9e8f-0a1b2c3d4e5f',
        '00:05:00',
        7,
      ],
      [null, null, '', null, null, null, null, '', null, null],
    ],
  };
  // As the service sends it with include-render=true: camelCase keys, nulls, "NaN" limits.
  const render = {
    visualization: 'timechart',
    title: 'AWS activity',
    accumulate: false,
    isQuerySorted: false,
    kind: null,
    legend: null,
    series: 'Legend',
    yMin: 'NaN',
    yMax: 'NaN',
    xAxis: null,
    xColumn: 'Time',
    xTitle: 'Day',
    yAxis: null,
    yColumns: 'Value',
    ySplit: null,
    yTitle: 'Events',
    anomalyColumns: null,
  };

  it('sends the query, timespan, bearer token and Prefer header, and returns the wire shape with the render hint', async () => {
    stub.enqueue(reply.ok([table], render));
    const result = await gateway().query({ kql: KQL, timespan: 'P30D' });

    assert.equal(stub.requests.length, 1);
    const req = stub.requests[0];
    assert.equal(req.path, `/v1/workspaces/${WORKSPACE_ID}/query`);
    assert.equal(req.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(req.body, { query: KQL, timespan: 'P30D' });
    assert.equal(req.wait, 30);
    assert.equal(req.includeRender, true);
    assert.match(req.userAgent ?? '', /^sentinel-chatops azsdk-js-client/);

    assert.deepEqual(result, {
      tables: [
        {
          name: 'PrimaryResult',
          columns: table.columns,
          // Exactly as sent: 100 ns digits kept, dynamic JSON text untouched (the SDK alone would give
          // `…12:00:00.123Z` and an object with 9007199254740992).
          rows: table.rows,
        },
      ],
      render: {
        visualization: 'timechart',
        title: 'AWS activity',
        series: ['Legend'],
        xcolumn: 'Time',
        xtitle: 'Day',
        ycolumns: ['Value'],
        ytitle: 'Events',
      },
    });
    assert.equal(result.warnings, undefined);
  });

  it('ends the timespan at a fixed now', async () => {
    await gateway().query({ kql: KQL, timespan: 'p7d', now: Date.parse('2026-10-31T00:00:00Z') });
    assert.equal(stub.requests[0].body?.timespan, 'P7D/2026-10-31T00:00:00.000Z');
  });

  it('sends no timespan when the query has none', async () => {
    await gateway().query({ kql: KQL });
    assert.deepEqual(stub.requests[0].body, { query: KQL });
  });

  it('refuses a timespan that is not an ISO 8601 duration, without a request', async () => {
    const err = await rejection(gateway().query({ kql: KQL, timespan: '30 days' }));
    assert.equal(err.code, 'bad_input');
    assert.equal(err.message, text.badTimespan('30 days'));
    assert.equal(stub.requests.length, 0);
  });

  it('asks for a token for the Log Analytics audience', async () => {
    const scopes: string[][] = [];
    await gateway({ credential: staticCredential(scopes) }).query({ kql: KQL, timespan: 'P1D' });
    assert.deepEqual(scopes.at(-1), ['https://api.loganalytics.io/.default']);
    assert.equal(logsAudienceFor(PUBLIC_LOGS_ENDPOINT), 'https://api.loganalytics.io');
    assert.equal(logsAudienceFor(USGOV_LOGS_ENDPOINT), 'https://api.loganalytics.us');
  });
});

describe('LogAnalyticsGateway: partial results', () => {
  it('returns the tables with a warning that carries the service message', async () => {
    stub.enqueue(reply.partial([{ name: 'PrimaryResult', columns: [{ name: 'n', type: 'long' }], rows: [[1], [2]] }]));
    const result = await gateway().query({ kql: KQL, timespan: 'P30D' });
    assert.deepEqual(result.tables[0].rows, [[1], [2]]);
    assert.deepEqual(result.warnings, [
      text.partialResult('PartialError / EngineError: Query result set has exceeded the internal record count limit 500000.'),
    ]);
  });
});

describe('LogAnalyticsGateway: throttling (429)', () => {
  it('waits the stated Retry-After, then succeeds', async () => {
    stub.enqueue(reply.throttled('1'));
    const delays: number[] = [];
    const gw = gateway({
      sleep: (ms, signal) => {
        delays.push(ms);
        return delay(ms, undefined, { signal });
      },
    });
    const result = await gw.query({ kql: KQL, timespan: 'P1D' });
    assert.equal(result.tables[0].rows[0][0], 'ConsoleLogin');
    assert.deepEqual(delays, [1000]);
    assert.equal(stub.requests.length, 2);
    const gap = stub.requests[1].at - stub.requests[0].at;
    assert.ok(gap >= 990 && gap < 5000, `second attempt ${gap} ms after the first`);
    // The same query, token and client request ID per attempt (a new one each time).
    assert.deepEqual(stub.requests[1].body, stub.requests[0].body);
    assert.equal(stub.requests[1].authorization, `Bearer ${TOKEN}`);
    assert.notEqual(stub.requests[1].clientRequestId, stub.requests[0].clientRequestId);
  });

  it('gives up after maxAttempts with a throttled error that says when to try again', async () => {
    stub.enqueue(reply.throttled('2'), reply.throttled('2'), reply.throttled('2'), reply.ok());
    const t = simulatedTime();
    const err = await rejection(gateway({ ...t, retry: { maxAttempts: 3 } }).query({ kql: KQL, timespan: 'P1D' }));
    assert.equal(err.code, 'throttled');
    assert.equal(err.message, text.throttled(LABEL, 3, 4, 2));
    assert.deepEqual(t.delays, [2000, 2000]);
    assert.equal(stub.requests.length, 3);
  });

  it('does not wait a Retry-After longer than maxRetryAfterMs', async () => {
    stub.enqueue(reply.throttled('120'));
    const t = simulatedTime();
    const err = await rejection(gateway({ ...t }).query({ kql: KQL, timespan: 'P1D' }));
    assert.equal(err.code, 'throttled');
    assert.equal(err.message, text.throttled(LABEL, 1, 0, 120));
    assert.deepEqual(t.delays, []);
    assert.equal(stub.requests.length, 1);
  });

  it('backs off when a 429 has no Retry-After, and copes with a 429 without a body', async () => {
    stub.enqueue({ kind: 'status', status: 429 }, reply.throttled());
    const t = simulatedTime();
    const result = await gateway({ ...t, random: () => 1, retry: { baseDelayMs: 1000, maxDelayMs: 8000 } }).query({ kql: KQL });
    assert.equal(result.tables.length, 1);
    assert.deepEqual(t.delays, [1000, 2000]);
    assert.equal(stub.requests.length, 3);
  });
});

describe('LogAnalyticsGateway: server errors (5xx)', () => {
  it('retries a 500 with exponential back-off, bounded by maxAttempts', async () => {
    stub.enqueue(reply.serverError(), reply.serverError(), reply.serverError(), reply.serverError(), reply.serverError());
    const t = simulatedTime();
    const err = await rejection(gateway({ ...t, random: () => 1, retry: { baseDelayMs: 1000, maxDelayMs: 3000 } }).query({ kql: KQL }));
    assert.equal(err.code, 'unavailable');
    assert.deepEqual(t.delays, [1000, 2000, 3000]);
    assert.equal(stub.requests.length, 4);
    assert.equal(err.message, text.serverError(LABEL, 'HTTP 500 InternalServerError: An unexpected error occurred.', 4, 6));
  });

  it('succeeds when a retry does (real sleeps, jittered back-off)', async () => {
    stub.enqueue(reply.serverError(500), reply.serverError(502));
    const result = await gateway({ retry: { baseDelayMs: 20, maxDelayMs: 40 } }).query({ kql: KQL, timespan: 'PT1H' });
    assert.equal(result.tables[0].name, 'PrimaryResult');
    assert.equal(stub.requests.length, 3);
  });

  it('honours Retry-After on a 503', async () => {
    stub.enqueue(reply.serverError(503, { 'retry-after': '3' }));
    const t = simulatedTime();
    await gateway({ ...t }).query({ kql: KQL });
    assert.deepEqual(t.delays, [3000]);
  });
});

describe('LogAnalyticsGateway: timeouts', () => {
  it('a query past the server timeout (504) fails once as unavailable, not retried', async () => {
    stub.enqueue(reply.slow(5000));
    const started = Date.now();
    const err = await rejection(gateway({ serverTimeoutSeconds: 1 }).query({ kql: KQL, timespan: 'P30D' }));
    const took = Date.now() - started;
    assert.equal(err.code, 'unavailable');
    assert.equal(err.message, text.serverTimeout(LABEL, 1));
    assert.equal(stub.requests.length, 1);
    assert.equal(stub.requests[0].wait, 1);
    assert.ok(took >= 950 && took < 6000, `took ${took} ms`);
  });

  it('a query the service answers within the timeout succeeds', async () => {
    stub.enqueue(reply.slow(200));
    const result = await gateway({ serverTimeoutSeconds: 1 }).query({ kql: KQL });
    assert.equal(result.tables.length, 1);
  });

  it('no answer at all: the client gives up after the server timeout plus grace', async () => {
    stub.enqueue(reply.hang());
    const started = Date.now();
    const err = await rejection(gateway({ serverTimeoutSeconds: 1, clientGraceMs: 300 }).query({ kql: KQL }));
    const took = Date.now() - started;
    assert.equal(err.code, 'unavailable');
    assert.equal(err.message, text.clientTimeout(LABEL, stub.url, 1));
    assert.equal(stub.requests.length, 1);
    assert.ok(took >= 1250 && took < 6000, `took ${took} ms`);
  });
});

describe('LogAnalyticsGateway: access and query errors', () => {
  it('403: forbidden, naming the Log Analytics Reader role and the workspace; not retried', async () => {
    stub.enqueue(reply.forbidden());
    const err = await rejection(gateway().query({ kql: KQL, timespan: 'P1D' }));
    assert.equal(err.code, 'forbidden');
    assert.equal(
      err.message,
      text.forbidden(
        LABEL,
        'HTTP 403 InsufficientAccessError: The provided credentials have insufficient access to perform the requested operation',
      ),
    );
    assert.match(err.message, /Log Analytics Reader/);
    assert.ok(err.message.includes(WORKSPACE_ID) && err.message.includes('prod-sec'));
    assert.equal(stub.requests.length, 1);
  });

  it('401: unauthenticated, with a hint about DefaultAzureCredential; not retried', async () => {
    stub.enqueue(reply.unauthorized());
    const err = await rejection(gateway().query({ kql: KQL }));
    assert.equal(err.code, 'unauthenticated');
    assert.equal(err.message, text.unauthenticated(LABEL, 'HTTP 401 AuthorizationRequiredError: Valid authentication was not provided'));
    assert.match(err.message, /DefaultAzureCredential/);
    assert.equal(stub.requests.length, 1);
  });

  it('a credential that cannot get a token: unauthenticated, no request sent', async () => {
    const credential: TokenCredential = {
      getToken: async () => {
        const e = new Error('EnvironmentCredential is unavailable. No underlying credential could be used.');
        e.name = 'CredentialUnavailableError';
        throw e;
      },
    };
    const err = await rejection(gateway({ credential }).query({ kql: KQL }));
    assert.equal(err.code, 'unauthenticated');
    assert.equal(
      err.message,
      text.noCredential('CredentialUnavailableError: EnvironmentCredential is unavailable. No underlying credential could be used.'),
    );
    assert.equal(stub.requests.length, 0);
  });

  it('400 SemanticError: query_semantic with the service message', async () => {
    stub.enqueue(reply.semanticError("'where' operator: Failed to resolve column or scalar expression named 'EvntName'"));
    const err = await rejection(gateway().query({ kql: 'AWSCloudTrail | where EvntName == "x"' }));
    assert.equal(err.code, 'query_semantic');
    assert.equal(
      err.message,
      text.queryRejected(
        "BadArgumentError / SemanticError / SEM0100: 'where' operator: Failed to resolve column or scalar expression named 'EvntName'",
      ),
    );
    assert.equal(stub.requests.length, 1);
  });

  it('400 SyntaxError: query_syntax', async () => {
    stub.enqueue(reply.syntaxError("Query could not be parsed at '|' on line [1,15]"));
    const err = await rejection(gateway().query({ kql: 'AWSCloudTrail || take 1' }));
    assert.equal(err.code, 'query_syntax');
    assert.match(err.message, /could not be parsed/);
  });
});

describe('LogAnalyticsGateway: connections, shutdown, secrets', () => {
  it('an endpoint that refuses connections: retried, then unavailable saying which endpoint', async () => {
    const port = await closedPort();
    const endpoint = `https://127.0.0.1:${port}/v1`;
    const t = simulatedTime();
    const err = await rejection(gateway({ ...t, endpoint, retry: { maxAttempts: 2, baseDelayMs: 10 } }).query({ kql: KQL }));
    assert.equal(err.code, 'unavailable');
    assert.equal(t.delays.length, 1);
    assert.match(err.message, new RegExp(`could not reach Log Analytics at ${endpoint.replace(/[./]/g, '\\$&')} \\(ECONNREFUSED`));
  });

  it('close() ends a query waiting to retry, and refuses new ones', async () => {
    stub.enqueue(reply.throttled('20'));
    const gw = gateway();
    const pending = rejection(gw.query({ kql: KQL }));
    while (stub.requests.length === 0) await delay(5);
    await delay(50);
    await gw.close();
    const err = await pending;
    assert.equal(err.message, text.closed());
    assert.equal((await rejection(gw.query({ kql: KQL }))).message, text.closed());
    assert.equal(stub.requests.length, 1);
  });

  it('never puts the token in logs or errors', async () => {
    const lines: string[] = [];
    const logger = { warn: (fields: Record<string, unknown>, message: string) => lines.push(JSON.stringify({ ...fields, message })) };
    stub.enqueue(reply.serverError(), reply.forbidden());
    const err = await rejection(gateway({ logger }).query({ kql: KQL }));
    assert.equal(err.code, 'forbidden');
    assert.equal(lines.length, 1);
    const everything = [...lines, JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }), err.userText].join('\n');
    assert.ok(!everything.includes(TOKEN), 'the token leaked');
    assert.ok(!everything.includes('test-token-for-wire-tests'), 'part of the token leaked');
  });
});

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
