import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { main } from '../../../../src/app/cli.ts';
import { DEFAULT_LOCAL_WORKSPACE_ID } from '../../../../src/app/config.ts';

const root = mkdtempSync(join(tmpdir(), 'onboarding-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function newDir(): string {
  const cwd = join(root, `run${n++}`);
  mkdirSync(cwd);
  return cwd;
}

async function run(argv: string[], cwd: string = newDir(), env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd,
    env: { LOG_LEVEL: 'silent', ...env },
    stdin: Readable.from([]),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr, cwd };
}

const WS = DEFAULT_LOCAL_WORKSPACE_ID;

describe('onboarding plan', () => {
  it('prints the plan: role name, trust policy with the workspace ID as external ID, managed policy, tags', async () => {
    const r = await run(['onboarding', 'plan', '--account', '012345678901', '--workspace-id', WS, '--tag', 'team=secops']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\[sandbox\] AWS account: 012345678901/);
    assert.match(r.stdout, /Role name: MicrosoftSentinelCloudTrail-sandbox/);
    assert.match(r.stdout, new RegExp(`"sts:ExternalId": "${WS}"`));
    assert.match(r.stdout, /arn:aws:iam::197857026523:root/);
    assert.match(r.stdout, /Managed policy: arn:aws:iam::aws:policy\/AWSCloudTrail_ReadOnlyAccess/);
    assert.match(r.stdout, /team=secops/);
    assert.ok(!existsSync(join(r.cwd, '.data')), 'changes nothing: no data directory');
  });

  it('--json is --format json; cloudformation and cli formats', async () => {
    const j = await run([
      'onboarding',
      'plan',
      '--account',
      '012345678901',
      '--workspace-id',
      WS,
      '--role-name',
      'SentinelReader',
      '--json',
    ]);
    assert.equal(j.code, 0, j.stderr);
    const { plan } = JSON.parse(j.stdout);
    assert.equal(plan.roleName, 'SentinelReader');
    assert.equal(plan.roleArn, 'arn:aws:iam::012345678901:role/SentinelReader');
    assert.equal(plan.trustPolicy.Statement[0].Condition.StringEquals['sts:ExternalId'], WS);
    const cf = await run(['onboarding', 'plan', '--account', '012345678901', '--workspace-id', 'sandbox', '--format', 'cloudformation']);
    assert.match(cf.stdout, /AWSTemplateFormatVersion/);
    const cli = await run(['onboarding', 'plan', '--account', '012345678901', '--workspace-id', WS, '--format', 'cli']);
    assert.match(cli.stdout, /aws iam create-role/);
  });

  it('refuses bad input with every problem named, exit 1, nothing stored', async () => {
    const a = await run([
      'onboarding',
      'plan',
      '--account',
      '12345678901',
      '--workspace-id',
      WS,
      '--role-name',
      'x'.repeat(65),
      '--tag',
      'aws:x=1',
    ]);
    assert.equal(a.code, 1);
    assert.match(a.stderr, /^error: The onboarding request has 3 problems:/);
    assert.match(a.stderr, /AWS account ID "12345678901" is not valid: expected exactly 12 digits/);
    assert.match(a.stderr, /is too long: 65 characters/);
    assert.match(a.stderr, /starts with aws:/);
    assert.ok(!existsSync(join(a.cwd, '.data')));
    const w = await run(['onboarding', 'plan', '--account', '012345678901', '--workspace-id', '11111111-2222-3333-4444-555555555555']);
    assert.equal(w.code, 1);
    assert.match(w.stderr, /Workspace "11111111-2222-3333-4444-555555555555" is not configured/);
    const f = await run(['onboarding', 'plan', '--account', '012345678901', '--workspace-id', WS, '--format', 'pdf']);
    assert.equal(f.code, 1);
    assert.match(f.stderr, /--format expects one of text, json, cloudformation, cli/);
    const t = await run(['onboarding', 'plan', '--account', '012345678901', '--workspace-id', WS, '--tag', 'novalue']);
    assert.match(t.stderr, /--tag expects key=value/);
    const m = await run(['onboarding', 'plan', '--workspace-id', WS]);
    assert.equal(m.code, 1);
    assert.match(m.stderr, /--account is required/);
  });
});

describe('onboarding request/approve/list/show in sandbox mode', () => {
  it('drives the flow to connected; self-approval is refused; list and show report it', async () => {
    const cwd = newDir();
    const req = await run(['onboarding', 'request', '--account', '012345678901', '--workspace', 'sandbox', '--as', 'alice', '--json'], cwd);
    assert.equal(req.code, 0, req.stderr);
    const id = JSON.parse(req.stdout).onboarding.id as string;
    assert.equal(JSON.parse(req.stdout).onboarding.phase, 'awaiting_plan_approval');
    const key = join(cwd, '.data', 'audit.key');
    assert.equal(statSync(key).mode & 0o777, 0o600, 'the sandbox audit key is private');

    const self = await run(['onboarding', 'approve', id, '--as', 'alice'], cwd);
    assert.equal(self.code, 1);
    assert.match(self.stderr, /cannot approve your own request/);

    const plan = await run(['onboarding', 'approve', id, '--as', 'bob', '--json'], cwd);
    assert.equal(plan.code, 0, plan.stderr);
    assert.equal(JSON.parse(plan.stdout).onboarding.phase, 'awaiting_arn_approval');
    const arn = await run(['onboarding', 'approve', id, '--as', 'bob'], cwd);
    assert.equal(arn.code, 0, arn.stderr);
    assert.match(arn.stdout, /phase +connected/);
    assert.match(arn.stdout, /first events/);

    const list = await run(['onboarding', 'list', '--json'], cwd);
    assert.deepEqual(
      JSON.parse(list.stdout).onboardings.map((o: { id: string; phase: string }) => [o.id, o.phase]),
      [[id, 'connected']],
    );
    const show = await run(['onboarding', 'show', id, '--json'], cwd);
    assert.equal(JSON.parse(show.stdout).onboarding.roleArn, 'arn:aws:iam::012345678901:role/MicrosoftSentinelCloudTrail-sandbox');
    const missing = await run(['onboarding', 'show', 'nope'], cwd);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /There is no onboarding "nope"/);

    const again = await run(['onboarding', 'request', '--account', '012345678901', '--workspace', 'sandbox', '--as', 'carol'], cwd);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already/i);

    const stats = await run(['workspace', 'stats', '--json'], cwd);
    assert.deepEqual(
      JSON.parse(stats.stdout).accounts.map((a: { id: string }) => a.id),
      ['012345678901'],
      'the local workspace received the connected account',
    );

    const verify = await run(['audit', 'verify'], cwd);
    assert.equal(verify.code, 0, verify.stderr);
    assert.match(verify.stdout, /^audit log intact: \d+ rows/);
    const exported = await run(['audit', 'export'], cwd);
    const rows = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(rows[0].action, 'onboarding.requested');
    assert.ok(rows.some((r) => r.action === 'command.refused' && r.actor === 'alice'));
  });
});
