import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LOCK_FILE_NAME, lockDataDir, tryLockDataDir } from '../../../src/app/data-dir-lock.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { ChatopsError } from '../../../src/core/errors.ts';

const root = mkdtempSync(join(tmpdir(), 'lock-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `d${n++}`);

function writeLock(dir: string, holder: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify(holder));
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

describe('data directory lock', () => {
  it('creates the directory and a lock file with pid and start time, and removes it on release', async () => {
    const dir = freshDir();
    const lock = await lockDataDir(dir, { command: 'serve', clock: fixedClock(Date.parse('2025-01-31T00:00:00Z')) });
    const content = JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8'));
    assert.equal(content.pid, process.pid);
    assert.equal(content.startedAt, '2025-01-31T00:00:00.000Z');
    assert.equal(content.command, 'serve');
    await lock.release();
    assert.ok(!existsSync(join(dir, LOCK_FILE_NAME)));
    await lock.release(); // twice is fine
  });

  it('refuses a second lock in the same process', async () => {
    const dir = freshDir();
    const lock = await lockDataDir(dir);
    const second = await tryLockDataDir(dir);
    assert.equal(second.acquired, false);
    await lock.release();
    const third = await tryLockDataDir(dir);
    assert.equal(third.acquired, true);
    if (third.acquired) await third.lock.release();
  });

  it('says who holds a live lock and what to do', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const dir = freshDir();
      writeLock(dir, { pid: child.pid, hostname: hostname(), startedAt: '2025-01-31T00:00:00.000Z', command: 'serve', token: 't' });
      const result = await tryLockDataDir(dir);
      assert.equal(result.acquired, false);
      if (!result.acquired) assert.equal(result.holder?.pid, child.pid);
      await assert.rejects(lockDataDir(dir, { cwd: root }), (err: unknown) => {
        assert.ok(err instanceof ChatopsError);
        assert.equal(err.code, 'locked');
        assert.equal(
          err.message,
          `data directory ./${dir.slice(root.length + 1)} is in use by process ${child.pid} (sentinel-chatops serve) since 2025-01-31T00:00:00.000Z; stop it or use --data-dir`,
        );
        return true;
      });
      assert.ok(existsSync(join(dir, LOCK_FILE_NAME)), 'a live lock is left alone');
    } finally {
      child.kill();
    }
  });

  it('takes over a stale lock whose process is gone', async () => {
    const dir = freshDir();
    writeLock(dir, { pid: deadPid(), hostname: hostname(), startedAt: '2025-01-31T00:00:00.000Z', token: 'old' });
    const lock = await lockDataDir(dir);
    assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')).pid, process.pid);
    await lock.release();
  });

  it('takes over a lock with our own pid left by an earlier run (e.g. pid 1 in a restarted container)', async () => {
    const dir = freshDir();
    writeLock(dir, { pid: process.pid, hostname: hostname(), startedAt: '2025-01-31T00:00:00.000Z', token: 'earlier-run' });
    const lock = await lockDataDir(dir);
    await lock.release();
  });

  it('counts a lock from another host as held, and says how to clear it', async () => {
    const dir = freshDir();
    writeLock(dir, { pid: 1, hostname: 'other-host', startedAt: '2025-01-31T00:00:00.000Z' });
    await assert.rejects(
      lockDataDir(dir, { cwd: root, isAlive: () => false }),
      /on host other-host .*; if that process is gone, delete .*\.lock/,
    );
  });

  it('waits for an unreadable lock that is being written, takes over an old one', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const file = join(dir, LOCK_FILE_NAME);
    writeFileSync(file, '');
    const result = await tryLockDataDir(dir);
    assert.equal(result.acquired, false);
    await assert.rejects(lockDataDir(dir), /starting/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const lock = await lockDataDir(dir);
    await lock.release();
  });

  it('does not remove a lock that is no longer ours', async () => {
    const dir = freshDir();
    const lock = await lockDataDir(dir);
    writeLock(dir, { pid: 4242, hostname: hostname(), startedAt: 'x', token: 'someone-else' });
    await lock.release();
    assert.ok(existsSync(join(dir, LOCK_FILE_NAME)));
  });

  it('lets one of several concurrent takers win over a stale lock', async () => {
    const dir = freshDir();
    writeLock(dir, { pid: deadPid(), hostname: hostname(), startedAt: 'x', token: 'stale' });
    // Simulate separate processes: distinct pids, each alive from the others' point of view.
    const pids = [900001, 900002, 900003, 900004];
    const results = await Promise.all(
      pids.map((pid) => tryLockDataDir(dir, { pid, isAlive: (p) => pids.includes(p), releaseOnExit: false })),
    );
    assert.equal(results.filter((r) => r.acquired).length, 1);
    for (const r of results) if (r.acquired) await r.lock.release();
  });
});
