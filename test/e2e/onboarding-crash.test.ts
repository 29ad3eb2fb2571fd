/**
 * Crash test of the onboarding workflow (issue 5, "Done when"): the whole sandbox flow (request →
 * plan approval → role created → ARN approval → connector → first events → connected) runs in a
 * child process that SIGKILLs itself at a chosen step boundary: right before or right after the
 * n-th commit of the store (a command's decision and intended effects, or an effect's completion).
 * "Before the completion commit" is the crash between a gateway call that succeeded and its
 * journal entry; "after the intent commit" the crash before the gateway was called. The child is
 * then started again: it resumes the journal and drives the flow on. Every boundary must end
 * `connected` with exactly one role in the sandbox IAM, one connector in the sandbox Sentinel, the
 * account's events in the local workspace, and an intact audit chain.
 *
 * The child is this file run with `--crash-child <dataDir> <before|after|none> <n>`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/app/config.ts';
import { silentLogger } from '../../src/app/logger.ts';
import { createOnboarding, openOnboardingStore } from '../../src/app/onboarding-wiring.ts';
import { SandboxIamGateway } from '../../src/cloud/aws/iam-sandbox.ts';
import { SandboxSentinelGateway } from '../../src/cloud/sentinel/connector-sandbox.ts';
import { systemClock } from '../../src/core/clock.ts';
import type { OnboardingRepository } from '../../src/core/onboarding/repository.ts';

const ACCOUNT = '012345678901';
const SELF = fileURLToPath(import.meta.url);

function configFor(dataDir: string) {
  return loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, { envFile: false, cwd: dataDir });
}

// --- the child --------------------------------------------------------------------------------

async function child(dataDir: string, when: 'before' | 'after' | 'none', n: number): Promise<void> {
  let commits = 0;
  const crash = (at: 'before' | 'after') => {
    if (when === at && commits === n) process.kill(process.pid, 'SIGKILL');
  };
  const wrapRepository = (repo: OnboardingRepository): OnboardingRepository => ({
    get: (id) => repo.get(id),
    list: (f) => repo.list(f),
    pendingEffects: () => repo.pendingEffects(),
    audit: (e) => repo.audit(e),
    async commit(change) {
      commits++;
      crash('before');
      const r = await repo.commit(change);
      crash('after');
      return r;
    },
  });
  const config = configFor(dataDir);
  const o = await createOnboarding(config, silentLogger(), systemClock, {
    wrapRepository,
    retryDelaysMs: [10, 20, 40],
    pollDelaysMs: [20],
    feed: { days: 2, eventsPerDay: 40 },
  });
  const { runner, store } = o;
  await runner.resume();
  let phase = 'none';
  for (let i = 0; i < 20; i++) {
    await runner.idle();
    const s = (await store.list({}))[0];
    if (s === undefined) {
      const r = await runner.request({ actor: { userId: 'alice' }, accountId: ACCOUNT, workspace: 'sandbox', mode: 'bot_provisioned' });
      assert.ok(r.ok, r.ok ? '' : r.refusal);
      continue;
    }
    phase = s.phase;
    if (s.phase === 'awaiting_plan_approval') await runner.approvePlan(s.id, { userId: 'bob' });
    else if (s.phase === 'awaiting_arn_approval') await runner.approveArn(s.id, { userId: 'bob' });
    else break;
  }
  await o.close();
  process.stdout.write(`${JSON.stringify({ phase, commits })}\n`);
}

// --- the parent -------------------------------------------------------------------------------

interface ChildResult {
  signal: NodeJS.Signals | null;
  code: number | null;
  out: { phase: string; commits: number } | undefined;
  stderr: string;
}

function runChild(dataDir: string, when: string, n: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [SELF, '--crash-child', dataDir, when, String(n)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('error', reject);
    p.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').pop();
      resolve({ code, signal, stderr, out: line ? JSON.parse(line) : undefined });
    });
  });
}

async function assertConverged(dataDir: string, label: string): Promise<void> {
  const config = configFor(dataDir);
  const store = await openOnboardingStore(config);
  try {
    const all = await store.list({});
    assert.equal(all.length, 1, `${label}: one onboarding`);
    assert.equal(all[0].phase, 'connected', `${label}: connected`);
    const v = store.verifyAudit();
    assert.ok(v.ok, `${label}: audit chain intact: ${v.problems.join('; ')}`);
    assert.equal((await store.pendingEffects()).length, 0, `${label}: nothing left in flight`);
  } finally {
    store.close();
  }
  const roles = await new SandboxIamGateway({ dataDir }).iam.listRoles(ACCOUNT);
  assert.equal(roles.length, 1, `${label}: exactly one role`);
  const connectors = await new SandboxSentinelGateway({ dataDir }).listConnectors();
  assert.equal(connectors.length, 1, `${label}: exactly one connector`);
  assert.equal(connectors[0].roleArn, roles[0].arn);
  const { openWorkspace } = await import('../../src/cloud/logs/local/workspace.ts');
  const ws = await openWorkspace(dataDir);
  assert.deepEqual(
    ws.stats().accounts.map((a) => a.id),
    [ACCOUNT],
    `${label}: the local workspace received the account's events`,
  );
}

async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}

if (process.argv.includes('--crash-child')) {
  const i = process.argv.indexOf('--crash-child');
  await child(process.argv[i + 1], process.argv[i + 2] as 'before' | 'after' | 'none', Number(process.argv[i + 3]));
} else {
  const root = mkdtempSync(join(tmpdir(), 'onboarding-crash-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  describe('onboarding: SIGKILL at every step boundary, then restart', () => {
    it('finishes connected with exactly one role and one connector, whichever commit the process died at', {
      timeout: 300_000,
    }, async () => {
      const cleanDir = join(root, 'clean');
      const clean = await runChild(cleanDir, 'none', 0);
      assert.equal(clean.code, 0, clean.stderr);
      assert.equal(clean.out?.phase, 'connected', clean.stderr);
      await assertConverged(cleanDir, 'no crash');
      const total = clean.out?.commits ?? 0;
      assert.ok(total >= 6, `the flow commits at least 6 times (got ${total})`);

      const points = Array.from({ length: total }, (_, k) => k + 1).flatMap((n) => [
        { when: 'before', n },
        { when: 'after', n },
      ]);
      await pool(points, 4, async ({ when, n }) => {
        const dir = join(root, `${when}-${n}`);
        const label = `SIGKILL ${when} commit ${n} of ${total}`;
        const crashed = await runChild(dir, when, n);
        assert.equal(crashed.signal, 'SIGKILL', `${label}: the child died (${crashed.stderr})`);
        const restarted = await runChild(dir, 'none', 0);
        assert.equal(restarted.code, 0, `${label}: restart: ${restarted.stderr}`);
        assert.equal(restarted.out?.phase, 'connected', `${label}: restart ended ${restarted.out?.phase}`);
        await assertConverged(dir, label);
      });
    });
  });
}
