import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { ChatopsError } from '../../../src/core/errors.ts';
import { transition } from '../../../src/core/onboarding/machine.ts';
import type { ClaimResult } from '../../../src/core/onboarding/repository.ts';
import { MIGRATIONS } from '../../../src/store/migrations.ts';
import { DATABASE_FILE_NAME } from '../../../src/store/onboarding-store.ts';
import { openDatabase } from '../../../src/store/sqlite.ts';
import { AUDIT_KEY, audit, freshDataDir, insert, newOnboarding, openStore, T0 } from './helpers.ts';

describe('the database', () => {
  it('is created under the data directory in WAL mode, with the migrations recorded once', () => {
    const dir = freshDataDir();
    const store = openStore(dir);
    assert.equal(store.path, join(dir, DATABASE_FILE_NAME));
    const db = store.database;
    assert.equal((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
    assert.deepEqual(
      db
        .prepare('SELECT version, name FROM schema_migrations')
        .all()
        .map((r) => ({ ...r })),
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
    );
    store.close();
    const again = openStore(dir);
    assert.equal((again.database.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n, MIGRATIONS.length);
    again.close();
  });

  it('refuses a database from a newer sentinel-chatops', () => {
    const dir = freshDataDir();
    openStore(dir).close();
    const raw = new DatabaseSync(join(dir, DATABASE_FILE_NAME));
    raw.prepare("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01T00:00:00Z')").run();
    raw.close();
    assert.throws(
      () => openDatabase(join(dir, DATABASE_FILE_NAME)),
      (err: unknown) =>
        err instanceof ChatopsError &&
        err.code === 'environment' &&
        /schema version 99, newer than this sentinel-chatops knows \(1\)/.test(err.message),
    );
  });
});

describe('onboardings', () => {
  it('stores the state as JSON and reads it back unchanged', async () => {
    const store = openStore();
    const s = insert(store, 'ob-1');
    assert.deepEqual(await store.get('ob-1'), s);
    assert.equal(await store.get('nope'), undefined);
    assert.deepEqual(
      (await store.list({ open: true })).map((o) => o.id),
      ['ob-1'],
    );
    assert.deepEqual(await store.list({ open: false }), []);
    store.close();
  });

  it('allows one open onboarding per (account, workspace), enforced by the database', () => {
    const store = openStore();
    const first = insert(store, 'ob-1');
    const second = newOnboarding('ob-2');
    assert.deepEqual(store.commitSync({ create: true, state: second.state, intend: second.effects, audit: [audit('x', 'ob-2')] }), {
      committed: false,
      reason: 'open_exists',
      id: 'ob-1',
      phase: 'awaiting_plan_approval',
    });
    assert.equal(store.getSync('ob-2'), undefined, 'nothing stored');
    assert.deepEqual(store.journal('ob-2'), []);
    // Another account is fine; so is the same one once the first is closed.
    insert(store, 'ob-3', '999999999999');
    const rejected = transition(first, { type: 'plan.rejected', by: 'U-ok', at: T0 + 1, reason: 'no' });
    assert.equal(store.commitSync({ state: rejected.state }).committed, true);
    insert(store, 'ob-2');
    // The index itself refuses a second open row, whatever the code does.
    assert.throws(() =>
      store.database
        .prepare(
          "INSERT INTO onboardings (id, account_id, workspace_id, workspace_name, mode, phase, version, requested_by, requested_at, updated_at, state) VALUES ('raw', '012345678901', ?, 'prod-sec', 'self_service', 'connected', 1, 'U', 'x', 'x', '{}')",
        )
        .run(first.plan.workspace.workspaceId),
    );
    store.close();
  });

  it('writes a new state only over the version it came from (optimistic lock), or nothing at all', () => {
    const store = openStore();
    const s = insert(store, 'ob-1');
    const approved = transition(s, { type: 'plan.approved', by: 'U-ok', at: T0 + 1 });
    assert.equal(
      store.commitSync({ state: approved.state, intend: approved.effects, audit: [audit('plan.approved', 'ob-1')] }).committed,
      true,
    );
    const rows = store.verifyAudit().rows;
    // The same transition again (from a stale read): refused, and none of its parts written.
    const again = transition(s, { type: 'plan.rejected', by: 'U-x', at: T0 + 2, reason: 'late' });
    assert.deepEqual(store.commitSync({ state: again.state, intend: again.effects, audit: [audit('plan.rejected', 'ob-1')] }), {
      committed: false,
      reason: 'stale',
    });
    assert.equal(store.getSync('ob-1')?.phase, 'creating_role');
    assert.equal(store.verifyAudit().rows, rows);
    assert.deepEqual(
      store.journal('ob-1').map((j) => j.effect.kind),
      ['notify', 'iam.ensureRole'],
    );
    store.close();
  });
});

describe('decisions', () => {
  it('the first claim wins; later ones learn who decided and when (TryLock)', () => {
    const store = openStore();
    insert(store, 'ob-1');
    assert.deepEqual(store.claimDecision('ob-1', 'plan', 'U-alice', T0 + 5), { acquired: true });
    assert.deepEqual(store.claimDecision('ob-1', 'plan', 'U-bob', T0 + 6, 'rejected'), {
      acquired: false,
      by: 'U-alice',
      at: T0 + 5,
      outcome: 'approved',
    });
    assert.deepEqual(store.claimDecision('ob-1', 'arn', 'U-bob', T0 + 7), { acquired: true });
    assert.deepEqual(
      store.decisions('ob-1').map((d) => `${d.step} ${d.outcome} ${d.by}`),
      ['plan approved U-alice', 'arn approved U-bob'],
    );
    store.close();
  });

  it('a commit whose claim loses writes nothing and says who won', () => {
    const store = openStore();
    const s = insert(store, 'ob-1');
    const step = transition(s, { type: 'plan.approved', by: 'U-bob', at: T0 + 9 });
    store.claimDecision('ob-1', 'plan', 'U-alice', T0 + 5);
    assert.deepEqual(
      store.commitSync({
        state: step.state,
        claim: { onboardingId: 'ob-1', step: 'plan', by: 'U-bob', at: T0 + 9, outcome: 'approved' },
        intend: step.effects,
        audit: [audit('plan.approved', 'ob-1')],
      }),
      { committed: false, reason: 'decided', by: 'U-alice', at: T0 + 5, outcome: 'approved' },
    );
    assert.equal(store.getSync('ob-1')?.phase, 'awaiting_plan_approval');
    store.close();
  });

  it('exactly one of many connections claiming at the same moment wins', async () => {
    const dir = freshDataDir();
    const store = openStore(dir);
    insert(store, 'ob-1');
    const N = 8;
    const signal = new SharedArrayBuffer(8);
    const flag = new Int32Array(signal);
    const results: Promise<ClaimResult>[] = [];
    const workers: Worker[] = [];
    for (let i = 0; i < N; i++) {
      const w = new Worker(new URL('./claim-worker.ts', import.meta.url), {
        workerData: { dataDir: dir, key: AUDIT_KEY, onboardingId: 'ob-1', user: `U-${i}`, signal },
        execArgv: [],
      });
      workers.push(w);
      results.push(
        new Promise((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        }),
      );
    }
    while (Atomics.load(flag, 1) < N) await new Promise((r) => setTimeout(r, 5));
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    const all = await Promise.all(results);
    const winners = all.filter((r) => r.acquired);
    assert.equal(winners.length, 1);
    const stored = store.decisions('ob-1')[0];
    for (const r of all) if (!r.acquired) assert.deepEqual(r, { acquired: false, by: stored.by, at: stored.at, outcome: 'approved' });
    store.close();
  });
});

describe('the effect journal', () => {
  it('lists effects intended but not completed, and completes each once', async () => {
    const store = openStore();
    const s = insert(store, 'ob-1');
    const approved = transition(s, { type: 'plan.approved', by: 'U-ok', at: T0 + 1 });
    store.commitSync({ state: approved.state, intend: approved.effects });
    const pending = await store.pendingEffects();
    assert.deepEqual(
      pending.map((p) => p.effect.id),
      ['ob-1:notify:plan_ready:1', 'ob-1:role'],
    );
    assert.deepEqual(pending[1].effect, approved.effects[0], 'the effect round-trips as data');
    store.commitSync({ complete: { effectId: 'ob-1:role', at: T0 + 2, result: { ok: true, value: { arn: 'a', created: true } } } });
    assert.deepEqual(
      (await store.pendingEffects()).map((p) => p.effect.id),
      ['ob-1:notify:plan_ready:1'],
    );
    assert.deepEqual(store.journal('ob-1')[1], {
      effect: approved.effects[0],
      status: 'done',
      intendedAt: T0 + 1,
      completedAt: T0 + 2,
      result: { ok: true, value: { arn: 'a', created: true } },
    });
    assert.throws(
      () => store.commitSync({ complete: { effectId: 'ob-1:role', at: T0 + 3, result: { ok: true, value: null } } }),
      (err: unknown) => err instanceof ChatopsError && err.code === 'internal',
    );
    store.close();
  });

  it('a change that fails part-way leaves no intent behind', () => {
    const store = openStore();
    const s = insert(store, 'ob-1');
    const approved = transition(s, { type: 'plan.approved', by: 'U-ok', at: T0 + 1 });
    // Completing an effect that was never intended aborts the whole change.
    assert.throws(() =>
      store.commitSync({
        state: approved.state,
        intend: approved.effects,
        complete: { effectId: 'nope', at: T0, result: { ok: true, value: null } },
      }),
    );
    assert.equal(store.getSync('ob-1')?.version, 1);
    assert.deepEqual(
      store.journal('ob-1').map((j) => j.effect.id),
      ['ob-1:notify:plan_ready:1'],
    );
    store.close();
  });
});
