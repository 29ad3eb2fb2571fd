import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ChatopsError } from '../../../src/core/errors.ts';
import { ANCHOR_FILE_NAME, type AuditAnchor, GENESIS_HASH, rowHash } from '../../../src/store/audit-log.ts';
import { SqliteOnboardingStore } from '../../../src/store/onboarding-store.ts';
import { AUDIT_KEY, audit, freshDataDir, openStore, T0 } from './helpers.ts';

/** A store with `n` audit rows, each its own commit (so each is anchored). */
async function withRows(n: number, dataDir = freshDataDir()) {
  const anchors: AuditAnchor[] = [];
  const store = openStore(dataDir, (a) => anchors.push(a as AuditAnchor));
  for (let i = 1; i <= n; i++) await store.audit([audit(`action-${i}`, 'ob-1', T0 + i)]);
  return { store, anchors, dataDir };
}

/** What an attacker with write access to the database file does first. */
function dropGuards(store: SqliteOnboardingStore): void {
  store.database.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

/** Recomputes every hash of the chain, as someone covering their tracks would. */
function rechain(store: SqliteOnboardingStore): void {
  const rows = store.database.prepare('SELECT seq, at, actor, action, onboarding_id, details FROM audit_log ORDER BY seq').all() as {
    seq: number;
    at: string;
    actor: string;
    action: string;
    onboarding_id: string | null;
    details: string;
  }[];
  let prev = GENESIS_HASH;
  const update = store.database.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    const hash = rowHash(prev, r.seq, r.at, r.actor, r.action, r.onboarding_id, r.details);
    update.run(prev, hash, r.seq);
    prev = hash;
  }
}

describe('the audit log', () => {
  it('chains every row to the one before and anchors the head outside the database', async () => {
    const { store, anchors, dataDir } = await withRows(3);
    const rows = [...store.auditLog.rows()];
    assert.deepEqual(
      rows.map((r) => r.seq),
      [1, 2, 3],
    );
    assert.equal(rows[0].prevHash, GENESIS_HASH);
    assert.equal(rows[1].prevHash, rows[0].hash);
    assert.equal(rows[2].hash, rowHash(rows[1].hash, 3, rows[2].at, 'U-req', 'action-3', 'ob-1', '{"n":"action-3"}'));
    assert.equal(anchors.length, 3);
    const file = JSON.parse(readFileSync(join(dataDir, ANCHOR_FILE_NAME), 'utf8')) as AuditAnchor;
    assert.deepEqual(file, anchors[2]);
    assert.equal(file.seq, 3);
    assert.equal(file.hash, rows[2].hash);
    assert.match(file.mac, /^[0-9a-f]{64}$/);
    const v = store.verifyAudit();
    assert.equal(v.ok, true);
    assert.deepEqual(v.problems, []);
    assert.deepEqual(v.head, { seq: 3, hash: rows[2].hash });
    store.close();
  });

  it('refuses updates and deletes through the database triggers', async () => {
    const { store } = await withRows(1);
    assert.throws(() => store.database.exec("UPDATE audit_log SET actor = 'x'"), /append-only/);
    assert.throws(() => store.database.exec('DELETE FROM audit_log'), /append-only/);
    store.close();
  });

  it('detects an edited row', async () => {
    const { store } = await withRows(4);
    dropGuards(store);
    store.database.exec(`UPDATE audit_log SET details = '{"n":"nothing happened"}' WHERE seq = 2`);
    const v = store.verifyAudit();
    assert.equal(v.ok, false);
    assert.deepEqual(v.problems, ['audit row 2 was changed: its content does not match its hash.']);
    store.close();
  });

  it('detects a row deleted in the middle', async () => {
    const { store } = await withRows(5);
    dropGuards(store);
    store.database.exec('DELETE FROM audit_log WHERE seq = 3');
    assert.deepEqual(store.verifyAudit().problems, ['audit row 3 is missing (deleted).']);
    store.close();
  });

  it('detects deleted newest rows (through the anchor)', async () => {
    const { store } = await withRows(5);
    dropGuards(store);
    store.database.exec('DELETE FROM audit_log WHERE seq >= 4');
    assert.deepEqual(store.verifyAudit().problems, [
      'the newest audit rows were deleted: the log ends at row 3, the anchor records row 5.',
    ]);
    store.close();
  });

  it('detects an edit covered by recomputing the whole chain (the anchor no longer matches)', async () => {
    const { store } = await withRows(4);
    dropGuards(store);
    store.database.exec(`UPDATE audit_log SET actor = 'U-someone-else' WHERE seq = 1`);
    rechain(store);
    const v = store.verifyAudit();
    assert.equal(v.ok, false);
    assert.equal(v.problems.length, 1);
    assert.match(v.problems[0], /^audit row 4 is not the row that was anchored at .*: the chain was rewritten \(hashes recomputed\)\.$/);
    store.close();
  });

  it('detects an anchor file moved back without the key, made with another key, or removed', async () => {
    const { store, dataDir } = await withRows(3);
    const path = join(dataDir, ANCHOR_FILE_NAME);
    const good = JSON.parse(readFileSync(path, 'utf8')) as AuditAnchor;
    const rows = [...store.auditLog.rows()];
    writeFileSync(path, JSON.stringify({ ...good, seq: 2, hash: rows[1].hash }));
    assert.match(store.verifyAudit().problems[0], /its HMAC does not match \(edited, or made with another key\)/);
    rmSync(path);
    assert.match(store.verifyAudit().problems[0], /is missing, so deleted or rewritten rows cannot be ruled out/);
    store.close();
    const other = new SqliteOnboardingStore({ dataDir, auditKey: 'another-key-0123456789abcdef' });
    other.auditLog.anchor();
    store.close();
    const verifier = new SqliteOnboardingStore({ dataDir, auditKey: AUDIT_KEY });
    assert.match(verifier.verifyAudit().problems[0], /its HMAC does not match/);
    verifier.close();
    other.close();
  });

  it('records nothing more once tampering is seen, instead of re-anchoring over it', async () => {
    const { store } = await withRows(3);
    dropGuards(store);
    store.database.exec('DELETE FROM audit_log WHERE seq = 3');
    await assert.rejects(
      store.audit([audit('after-tamper')]),
      (err: unknown) => err instanceof ChatopsError && err.code === 'environment' && /changed outside sentinel-chatops/.test(err.message),
    );
    assert.equal(store.verifyAudit().rows, 2);
    store.close();
  });

  it('warns about rows written after the last anchor (a crash before anchoring)', async () => {
    const { store } = await withRows(2);
    // Append without anchoring, as a crash between commit and anchor would leave it.
    store.database.exec('BEGIN');
    store.auditLog.append([audit('late')]);
    store.database.exec('COMMIT');
    const v = store.verifyAudit();
    assert.equal(v.ok, true);
    assert.deepEqual(v.warnings, [
      'audit rows 3-3 were written after the last anchor (a crash before anchoring, or rows added without the key).',
    ]);
    store.close();
  });

  it('exports JSON lines, one per row, details parsed', async () => {
    const { store } = await withRows(2);
    const lines = [...store.exportAudit()];
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(first), ['seq', 'at', 'actor', 'action', 'onboardingId', 'details', 'prevHash', 'hash']);
    assert.deepEqual(first.details, { n: 'action-1' });
    assert.equal(first.at, new Date(T0 + 1).toISOString());
    assert.ok(lines.every((l) => l.endsWith('\n')));
    store.close();
  });

  it('refuses a missing or short key', () => {
    for (const key of ['', 'short'])
      assert.throws(
        () => new SqliteOnboardingStore({ dataDir: freshDataDir(), auditKey: key }),
        (err: unknown) => err instanceof ChatopsError && err.code === 'config',
      );
  });
});
