import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manualClock } from '../../../../src/core/clock.ts';
import { ChatopsError } from '../../../../src/core/errors.ts';
import type { LogsGateway, LogsQuery } from '../../../../src/core/questions/logs-gateway.ts';
import { normalizeKql, type QueryProgress, queryKey, SharedQueries } from '../../../../src/core/questions/shared-queries.ts';
import type { QueryResult } from '../../../../src/core/result-table.ts';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const WS = { workspaceId: 'a5e7c1a0-7e57-4c1d-8a7b-5a9db0c0ffee', identity: 'bot-managed-identity' };
const KQL = 'AWSCloudTrail | summarize count() by EventName';

interface Call {
  q: LogsQuery;
  resolve(r?: QueryResult): void;
  reject(e: Error): void;
}

/** A small LogsGateway whose queries finish when the test says so. */
class FakeGateway implements LogsGateway {
  readonly calls: Call[] = [];
  closed = false;

  query(q: LogsQuery): Promise<QueryResult> {
    return new Promise((resolve, reject) => {
      this.calls.push({ q, resolve: (r) => resolve(r ?? resultFor(q)), reject });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function resultFor(q: LogsQuery): QueryResult {
  return { tables: [{ name: 'PrimaryResult', columns: [{ name: 'kql', type: 'string' }], rows: [[q.kql]] }] };
}

/** Lets the promise callbacks queued so far run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

function setup(options: { ttlMs?: number; maxEntries?: number; maxConcurrentPerIdentity?: number } = {}) {
  const clock = manualClock(T0);
  const shared = new SharedQueries({ clock, ...options });
  const inner = new FakeGateway();
  return { clock, shared, inner, gw: shared.gateway(inner, WS) };
}

describe('SharedQueries: single-flight and cache', () => {
  it('runs identical concurrent queries once; every caller gets an equal, separate result', async () => {
    const { inner, gw, shared } = setup();
    const a = gw.query({ kql: KQL, timespan: 'P30D' });
    const b = gw.query({ kql: KQL, timespan: 'P30D' });
    await settle();
    assert.equal(inner.calls.length, 1);
    inner.calls[0].resolve();
    const [ra, rb] = await Promise.all([a, b]);
    assert.deepEqual(ra, rb);
    assert.notEqual(ra, rb);
    assert.deepEqual(shared.stats(), { hits: 0, joins: 1, runs: 1, running: 0, queued: 0, cached: 1 });
  });

  it('answers from the cache within the TTL and runs again after it', async () => {
    const { inner, gw, clock } = setup({ ttlMs: 60_000 });
    const first = gw.query({ kql: KQL, timespan: 'P30D' });
    await settle();
    inner.calls[0].resolve();
    await first;
    clock.advance(59_999);
    await gw.query({ kql: KQL, timespan: 'P30D' });
    assert.equal(inner.calls.length, 1);
    clock.advance(1);
    const again = gw.query({ kql: KQL, timespan: 'P30D' });
    await settle();
    assert.equal(inner.calls.length, 2);
    inner.calls[1].resolve();
    await again;
  });

  it('a caller editing its result does not change what the next caller gets', async () => {
    const { inner, gw } = setup();
    const p = gw.query({ kql: KQL });
    await settle();
    inner.calls[0].resolve();
    const r1 = await p;
    r1.tables[0].rows[0][0] = 'edited';
    r1.tables.push({ name: 'extra', columns: [], rows: [] });
    const r2 = await gw.query({ kql: KQL });
    assert.deepEqual(r2, resultFor({ kql: KQL }));
  });

  it('does not cache a failure: the callers in flight share it, the next ask runs again', async () => {
    const { inner, gw } = setup();
    const a = gw.query({ kql: KQL });
    const b = gw.query({ kql: KQL });
    await settle();
    const failure = new ChatopsError('throttled', 'slow down');
    inner.calls[0].reject(failure);
    await assert.rejects(a, (e) => e === failure);
    await assert.rejects(b, (e) => e === failure);
    const c = gw.query({ kql: KQL });
    await settle();
    assert.equal(inner.calls.length, 2);
    inner.calls[1].resolve();
    assert.deepEqual(await c, resultFor({ kql: KQL }));
  });

  it('treats KQL that differs only in whitespace or comments as identical, but not string contents', async () => {
    const { inner, gw } = setup();
    const p = gw.query({ kql: 'AWSCloudTrail\n| where EventName == "Console  Login" // logins\n| count', timespan: 'P1D' });
    await settle();
    inner.calls[0].resolve();
    await p;
    await gw.query({ kql: '  AWSCloudTrail | where EventName == "Console  Login"\r\n\t| count  ', timespan: 'PT24H' });
    assert.equal(inner.calls.length, 1);
    const other = gw.query({ kql: 'AWSCloudTrail | where EventName == "Console Login" | count', timespan: 'P1D' });
    await settle();
    assert.equal(inner.calls.length, 2);
    inner.calls[1].resolve();
    await other;
  });

  it('keeps workspaces, identities and windows apart', async () => {
    const { inner, shared } = setup();
    const gw1 = shared.gateway(inner, WS);
    const gw2 = shared.gateway(inner, { ...WS, workspaceId: '0b5e7c1a-7e57-4c1d-8a7b-5a9db0c0ffee' });
    const gw3 = shared.gateway(inner, { ...WS, identity: 'someone-else' });
    const all = [
      gw1.query({ kql: KQL, timespan: 'P30D' }),
      gw2.query({ kql: KQL, timespan: 'P30D' }),
      gw3.query({ kql: KQL, timespan: 'P30D' }),
    ];
    all.push(gw1.query({ kql: KQL, timespan: 'P7D' }));
    await settle();
    assert.equal(inner.calls.length, 4);
    for (const c of inner.calls) c.resolve();
    await Promise.all(all);
  });

  it('shares a window whose end moved less than the TTL, not one a day away', async () => {
    const { inner, gw, clock } = setup();
    const p = gw.query({ kql: KQL, timespan: 'P30D', now: T0 });
    await settle();
    inner.calls[0].resolve();
    await p;
    clock.advance(20_000);
    await gw.query({ kql: KQL, timespan: 'P30D', now: T0 + 20_000 });
    await gw.query({ kql: KQL, timespan: 'P30D' }); // the clock's now
    assert.equal(inner.calls.length, 1);
    const dayAway = gw.query({ kql: KQL, timespan: 'P30D', now: T0 - 86_400_000 });
    await settle();
    assert.equal(inner.calls.length, 2);
    assert.equal(inner.calls[1].q.now, T0 - 86_400_000);
    inner.calls[1].resolve();
    await dayAway;
  });

  it('drops the least recently used result beyond maxEntries', async () => {
    const { inner, gw, shared } = setup({ maxEntries: 2 });
    const ask = async (kql: string) => {
      const p = gw.query({ kql });
      await settle();
      inner.calls.at(-1)?.resolve();
      return p;
    };
    await ask('A');
    await ask('B');
    await gw.query({ kql: 'A' }); // A is now the most recent
    await ask('C'); // drops B
    assert.equal(inner.calls.length, 3);
    await gw.query({ kql: 'A' });
    await gw.query({ kql: 'C' });
    assert.equal(inner.calls.length, 3);
    const b = gw.query({ kql: 'B' });
    await settle();
    assert.equal(inner.calls.length, 4);
    inner.calls[3].resolve();
    await b;
    assert.equal(shared.stats().cached, 2);
  });

  it('close() closes the wrapped gateway', async () => {
    const { inner, gw } = setup();
    await gw.close();
    assert.equal(inner.closed, true);
  });
});

describe('SharedQueries: at most N queries at once per identity', () => {
  it('queues the sixth and seventh query FIFO, tells them their place, and starts them as slots free up', async () => {
    const { inner, gw, shared } = setup({ maxConcurrentPerIdentity: 5 });
    const progress = new Map<string, QueryProgress[]>();
    const ask = (kql: string) => {
      progress.set(kql, []);
      return gw.query({ kql }, { onProgress: (p) => progress.get(kql)?.push(p) });
    };
    const results = Promise.allSettled(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7'].map(ask));
    await settle();
    assert.deepEqual(
      inner.calls.map((c) => c.q.kql),
      ['q1', 'q2', 'q3', 'q4', 'q5'],
    );
    assert.deepEqual(progress.get('q1'), []);
    assert.deepEqual(progress.get('q6'), [{ state: 'queued', position: 1 }]);
    assert.deepEqual(progress.get('q7'), [{ state: 'queued', position: 2 }]);
    assert.deepEqual(shared.stats(), { hits: 0, joins: 0, runs: 5, running: 5, queued: 2, cached: 0 });

    inner.calls[2].resolve(); // q3 ends: q6 starts, q7 moves up
    await settle();
    assert.deepEqual(
      inner.calls.map((c) => c.q.kql),
      ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'],
    );
    assert.deepEqual(progress.get('q6'), [{ state: 'queued', position: 1 }, { state: 'running' }]);
    assert.deepEqual(progress.get('q7'), [
      { state: 'queued', position: 2 },
      { state: 'queued', position: 1 },
    ]);

    inner.calls[0].reject(new ChatopsError('unavailable', 'down')); // a failure frees its slot too
    await settle();
    assert.equal(inner.calls.at(-1)?.q.kql, 'q7');
    assert.deepEqual(progress.get('q7')?.at(-1), { state: 'running' });
    for (const c of inner.calls.slice(1)) c.resolve();
    const settled = await results;
    assert.deepEqual(
      settled.map((s) => s.status),
      ['rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.deepEqual(shared.stats(), { hits: 0, joins: 0, runs: 7, running: 0, queued: 0, cached: 6 });
  });

  it('does not hold one identity back for another', async () => {
    const { inner, shared } = setup({ maxConcurrentPerIdentity: 1 });
    const a = shared.gateway(inner, WS);
    const b = shared.gateway(inner, { ...WS, identity: 'another-identity' });
    const p = [a.query({ kql: 'a1' }), a.query({ kql: 'a2' }), b.query({ kql: 'b1' })];
    await settle();
    assert.deepEqual(
      inner.calls.map((c) => c.q.kql),
      ['a1', 'b1'],
    );
    for (const c of inner.calls) c.resolve();
    await settle();
    inner.calls[2].resolve();
    await Promise.all(p);
  });

  it('a caller joining a queued query hears that it is queued; joined and cached answers take no slot', async () => {
    const { inner, gw } = setup({ maxConcurrentPerIdentity: 1 });
    const first = gw.query({ kql: 'busy' });
    const queued = gw.query({ kql: KQL });
    const heard: QueryProgress[] = [];
    const joined = gw.query({ kql: KQL }, { onProgress: (p) => heard.push(p) });
    assert.deepEqual(heard, [{ state: 'queued', position: 1 }]);
    await settle();
    assert.equal(inner.calls.length, 1);
    inner.calls[0].resolve();
    await settle();
    assert.deepEqual(heard, [{ state: 'queued', position: 1 }, { state: 'running' }]);
    inner.calls[1].resolve();
    await Promise.all([first, queued, joined]);
    assert.equal(inner.calls.length, 2);
  });

  it('a progress listener that throws breaks nothing', async () => {
    const { inner, gw } = setup({ maxConcurrentPerIdentity: 1 });
    const a = gw.query({ kql: 'a' });
    const b = gw.query(
      { kql: 'b' },
      {
        onProgress: () => {
          throw new Error('chat is down');
        },
      },
    );
    await settle();
    inner.calls[0].resolve();
    await settle();
    inner.calls[1].resolve();
    assert.equal((await b).tables[0].rows[0][0], 'b');
    await a;
  });
});

describe('normalizeKql and queryKey', () => {
  it('collapses whitespace and drops comments outside string literals only', () => {
    assert.equal(normalizeKql('  T\n|  where  x == "a  b" // note "quoted"\n| take 1 '), 'T | where x == "a  b" | take 1');
    assert.equal(normalizeKql("T | where s == 'it\\'s  //  here'"), "T | where s == 'it\\'s  //  here'");
    assert.equal(normalizeKql('T | where p == @"C:\\  x""y"   | count'), 'T | where p == @"C:\\  x""y" | count');
    assert.equal(normalizeKql('print ```a\n  b```  |  count'), 'print ```a\n  b``` | count');
  });

  it('compares windows by length', () => {
    const key = (timespan?: string) => queryKey(WS, { kql: KQL, timespan });
    assert.equal(key('P1D'), key('pt24h'));
    assert.equal(key('P1W'), key('P7D'));
    assert.notEqual(key('P1D'), key('P2D'));
    assert.notEqual(key(undefined), key('P1D'));
  });
});
