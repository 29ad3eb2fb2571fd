/**
 * The runner against a real SQLite store in a temp directory, with tiny gateways written here
 * (they keep a shared "cloud" of roles and connectors, and record every call), a manual clock,
 * and a sleep that moves the clock instead of waiting.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type ManualClock, manualClock } from '../../../../src/core/clock.ts';
import { ChatopsError } from '../../../../src/core/errors.ts';
import type { Actor, ApprovalPolicies } from '../../../../src/core/onboarding/approval-policy.ts';
import type {
  ConnectorRef,
  ConnectorSpec,
  DeleteResult,
  FirstEventsOptions,
  FirstEventsProbe,
  FirstEventsResult,
  IamGateway,
  Notification,
  Notifier,
  ObservedRole,
  RoleRef,
  RoleSpec,
  RoleTag,
  SentinelGateway,
  WorkspaceRef,
} from '../../../../src/core/onboarding/gateways.ts';
import type { Onboarding } from '../../../../src/core/onboarding/machine.ts';
import { OnboardingRunner, type Outcome, type RunnerOptions } from '../../../../src/core/onboarding/runner.ts';
import { text } from '../../../../src/core/onboarding/text.ts';
import { CLOUDTRAIL_READONLY_POLICY_ARN, trustPolicyJson } from '../../../../src/core/onboarding/trust-policy.ts';
import { parseRoleArn } from '../../../../src/core/onboarding/validate.ts';
import { SqliteOnboardingStore } from '../../../../src/store/onboarding-store.ts';
import { ACCOUNT, WORKSPACE, WORKSPACE_ID } from './fixtures.ts';

const T0 = Date.parse('2026-01-05T09:00:00Z');
const H = 3600_000;
const KEY = 'runner-test-audit-key-0123456789';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/MicrosoftSentinelCloudTrail-prod-sec`;

const REQ: Actor = { userId: 'U-req' };
const ALICE: Actor = { userId: 'U-alice' };
const BOB: Actor = { userId: 'U-bob', groups: ['G-secops'] };
const MALLORY: Actor = { userId: 'U-mallory' };
const APPROVERS = Array.from({ length: 20 }, (_, i) => `U-appr${i}`);
const POLICIES: ApprovalPolicies = { 'prod-sec': { approvers: { users: ['U-alice', ...APPROVERS], groups: ['G-secops'] } } };

const root = mkdtempSync(join(tmpdir(), 'runner-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

// --- the fake clouds -----------------------------------------------------------------------

interface StoredRole {
  arn: string;
  accountId: string;
  roleName: string;
  path: string;
  trustPolicy: string;
  policies: string[];
  tags: RoleTag[];
}

/** What exists "in AWS and Azure", shared by every gateway instance of a test (as the real clouds are). */
class Cloud {
  readonly roles = new Map<string, StoredRole>();
  readonly connectors = new Map<string, { roleArn: string }>();
  rolesCreated = 0;
  connectorsCreated = 0;

  /** The requester creating a role by hand (self-service). */
  addRole(arn: string, trustPolicy: string, policies: string[] = [CLOUDTRAIL_READONLY_POLICY_ARN]): void {
    const parsed = parseRoleArn(arn);
    if (!parsed.ok) throw new Error(parsed.problem);
    const { accountId, roleName, path } = parsed.parts;
    this.roles.set(`${accountId}/${roleName.toLowerCase()}`, { arn, accountId, roleName, path, trustPolicy, policies, tags: [] });
  }
}

type Hook = 'before' | 'after';

/** An IAM that validates like IAM where it matters here: one role per name (any case), compare on EntityAlreadyExists. */
class FakeIam implements IamGateway {
  readonly calls: string[] = [];
  readonly failures: Error[] = [];
  inspectForbidden = false;
  /** Never answer ensureRole: before or after creating the role (a crash mid-call). */
  hang: Hook | undefined;
  readonly #cloud: Cloud;
  constructor(cloud: Cloud) {
    this.#cloud = cloud;
  }

  async ensureRole(spec: RoleSpec, opId: string): Promise<RoleRef> {
    this.calls.push(`ensureRole ${opId}`);
    if (this.hang === 'before') return new Promise(() => {});
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    const key = `${spec.accountId}/${spec.roleName.toLowerCase()}`;
    const arn = `arn:aws:iam::${spec.accountId}:role${spec.path}${spec.roleName}`;
    const existing = this.#cloud.roles.get(key);
    let created: boolean;
    if (existing !== undefined) {
      if (JSON.stringify(JSON.parse(existing.trustPolicy)) !== JSON.stringify(JSON.parse(spec.trustPolicy)))
        throw new ChatopsError('conflict', `a role named ${spec.roleName} already exists and is not the planned role`);
      created = existing.tags.some((t) => t.key === spec.ownerTag.key && t.value === spec.ownerTag.value);
    } else {
      this.#cloud.roles.set(key, {
        arn,
        accountId: spec.accountId,
        roleName: spec.roleName,
        path: spec.path,
        trustPolicy: spec.trustPolicy,
        policies: [...spec.managedPolicyArns],
        tags: [...spec.tags, spec.ownerTag],
      });
      this.#cloud.rolesCreated++;
      created = true;
    }
    if (this.hang === 'after') return new Promise(() => {});
    return { arn, created };
  }

  async inspectRole(arn: string): Promise<ObservedRole | undefined> {
    this.calls.push(`inspectRole ${arn}`);
    if (this.inspectForbidden) throw new ChatopsError('forbidden', 'the bot may not call iam:GetRole in this account');
    const parsed = parseRoleArn(arn);
    if (!parsed.ok) return undefined;
    const r = this.#cloud.roles.get(`${parsed.parts.accountId}/${parsed.parts.roleName.toLowerCase()}`);
    if (r === undefined) return undefined;
    return {
      arn: r.arn,
      accountId: r.accountId,
      roleName: r.roleName,
      path: r.path,
      trustPolicyJson: r.trustPolicy,
      managedPolicyArns: r.policies,
      tags: r.tags,
    };
  }

  async deleteRole(arn: string, opId: string): Promise<DeleteResult> {
    this.calls.push(`deleteRole ${opId}`);
    const parsed = parseRoleArn(arn);
    if (!parsed.ok) throw new ChatopsError('bad_input', parsed.problem);
    return { deleted: this.#cloud.roles.delete(`${parsed.parts.accountId}/${parsed.parts.roleName.toLowerCase()}`) };
  }
}

/** Sentinel's connectors: PUT is create-or-replace on an ID derived from the op id. */
class FakeSentinel implements SentinelGateway {
  readonly calls: string[] = [];
  readonly failures: Error[] = [];
  readonly #cloud: Cloud;
  constructor(cloud: Cloud) {
    this.#cloud = cloud;
  }

  connectorIdFor(opId: string): string {
    return `conn-${opId}`;
  }

  async ensureConnector(spec: ConnectorSpec, opId: string): Promise<ConnectorRef> {
    this.calls.push(`ensureConnector ${opId}`);
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    const id = this.connectorIdFor(opId);
    const created = !this.#cloud.connectors.has(id);
    if (created) this.#cloud.connectorsCreated++;
    this.#cloud.connectors.set(id, { roleArn: spec.roleArn });
    return {
      connectorId: id,
      resourceId: `/ws/${spec.workspace.workspaceName}/dataConnectors/${id}`,
      roleArn: spec.roleArn,
      logsState: 'Enabled',
      created,
    };
  }

  async getConnector(_workspace: WorkspaceRef, connectorId: string) {
    const c = this.#cloud.connectors.get(connectorId);
    return c === undefined ? undefined : { connectorId, resourceId: connectorId, roleArn: c.roleArn, logsState: 'Enabled' as const };
  }

  async deleteConnector(_workspace: WorkspaceRef, connectorId: string, opId: string): Promise<DeleteResult> {
    this.calls.push(`deleteConnector ${connectorId} ${opId}`);
    return { deleted: this.#cloud.connectors.delete(connectorId) };
  }
}

class FakeProbe implements FirstEventsProbe {
  readonly calls: string[] = [];
  result: FirstEventsResult = {
    timedOut: false,
    events: [{ time: '2026-01-05T12:00:00Z', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', awsEventId: 'e-1' }],
  };
  /** Wait until aborted (a long verification when the process stops). */
  waitForAbort = false;

  async awaitFirstEvents(_workspace: WorkspaceRef, accountId: string, options: FirstEventsOptions): Promise<FirstEventsResult> {
    this.calls.push(`awaitFirstEvents ${accountId} ${new Date(options.deadline).toISOString()}`);
    if (this.waitForAbort)
      return new Promise((_resolve, reject) =>
        options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true }),
      );
    return this.result;
  }
}

class FakeNotifier implements Notifier {
  readonly sent: Notification[] = [];
  async notify(n: Notification): Promise<void> {
    this.sent.push(n);
  }
  topics(): string[] {
    return this.sent.map((n) => n.topic);
  }
}

// --- a world: store + runner + fakes --------------------------------------------------------

interface World {
  dataDir: string;
  store: SqliteOnboardingStore;
  runner: OnboardingRunner;
  clock: ManualClock;
  cloud: Cloud;
  iam: FakeIam;
  sentinel: FakeSentinel;
  probe: FakeProbe;
  notifier: FakeNotifier;
  sleeps: number[];
}

function world(options: { dataDir?: string; cloud?: Cloud; clock?: ManualClock; runner?: Partial<RunnerOptions> } = {}): World {
  const dataDir = options.dataDir ?? join(root, `w${dirs++}`);
  const cloud = options.cloud ?? new Cloud();
  const clock = options.clock ?? manualClock(T0);
  const store = new SqliteOnboardingStore({ dataDir, auditKey: KEY });
  const iam = new FakeIam(cloud);
  const sentinel = new FakeSentinel(cloud);
  const probe = new FakeProbe();
  const notifier = new FakeNotifier();
  const sleeps: number[] = [];
  let ids = 0;
  const runner = new OnboardingRunner({
    repository: store,
    gateways: { iam, sentinel, firstEvents: probe, notifier },
    workspaces: [WORKSPACE],
    policies: POLICIES,
    clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    newId: () => `ob-${++ids}`,
    ...options.runner,
  });
  return { dataDir, store, runner, clock, cloud, iam, sentinel, probe, notifier, sleeps };
}

function ok(o: Outcome): Onboarding {
  if (!o.ok) assert.fail(`refused: ${o.refusal}`);
  return o.onboarding;
}

async function phase(w: World, id: string): Promise<string | undefined> {
  await w.runner.idle();
  return (await w.store.get(id))?.phase;
}

function auditActions(w: World): string[] {
  return [...w.store.auditLog.rows()].map((r) => r.action);
}

function refusals(w: World): { actor: string; requirement: string; refusal: string }[] {
  return [...w.store.auditLog.rows()]
    .filter((r) => r.action === 'command.refused')
    .map((r) => {
      const d = JSON.parse(r.details) as { requirement: string; refusal: string };
      return { actor: r.actor, requirement: d.requirement, refusal: d.refusal };
    });
}

async function requestBot(w: World): Promise<string> {
  return ok(
    await w.runner.request({ actor: REQ, accountId: ACCOUNT, workspace: 'prod-sec', mode: 'bot_provisioned', origin: { channel: 'C1' } }),
  ).id;
}

async function connectBot(w: World): Promise<string> {
  const id = await requestBot(w);
  ok(await w.runner.approvePlan(id, ALICE));
  assert.equal(await phase(w, id), 'awaiting_arn_approval');
  ok(await w.runner.approveArn(id, BOB));
  assert.equal(await phase(w, id), 'connected');
  return id;
}

// --- the tests -----------------------------------------------------------------------------

describe('the runner: the whole flow', () => {
  it('bot-provisioned: two approvals, one role, one connector, first events, every step journalled and audited', async () => {
    const w = world();
    const id = await requestBot(w);
    assert.equal(await phase(w, id), 'awaiting_plan_approval');
    ok(await w.runner.approvePlan(id, ALICE));
    assert.equal(await phase(w, id), 'awaiting_arn_approval');
    assert.deepEqual(w.iam.calls, [`ensureRole ${id}:role`]);
    const role = w.cloud.roles.get(`${ACCOUNT}/microsoftsentinelcloudtrail-prod-sec`)!;
    assert.deepEqual(JSON.parse(role.trustPolicy), JSON.parse(trustPolicyJson(WORKSPACE_ID)));
    assert.deepEqual(role.policies, [CLOUDTRAIL_READONLY_POLICY_ARN]);
    ok(await w.runner.approveArn(id, BOB));
    assert.equal(await phase(w, id), 'connected');

    const s = (await w.store.get(id))!;
    assert.equal(s.roleArn, ROLE_ARN);
    assert.equal(s.roleCreatedByBot, true);
    assert.equal(s.firstEvents?.length, 1);
    assert.deepEqual(s.decisions.plan, { outcome: 'approved', by: 'U-alice', at: T0 });
    assert.equal(w.cloud.rolesCreated, 1);
    assert.equal(w.cloud.connectorsCreated, 1);
    assert.deepEqual(w.sentinel.calls, [`ensureConnector ${id}:connector`]);
    assert.deepEqual(w.notifier.topics(), ['plan_ready', 'arn_ready', 'connected']);
    assert.deepEqual(w.notifier.sent[0].origin, { channel: 'C1' });
    assert.deepEqual(await w.store.pendingEffects(), []);
    assert.deepEqual(
      w.store.journal(id).map((j) => `${j.effect.kind} ${j.status}`),
      ['notify done', 'iam.ensureRole done', 'notify done', 'sentinel.ensureConnector done', 'logs.awaitFirstEvents done', 'notify done'],
    );
    assert.deepEqual(auditActions(w), [
      'onboarding.requested',
      'plan.approved',
      'effect.done',
      'arn.approved',
      'effect.done',
      'effect.done',
    ]);
    assert.deepEqual(
      w.store.decisions(id).map((d) => `${d.step} ${d.by}`),
      ['plan U-alice', 'arn U-bob'],
    );
    assert.equal(w.store.verifyAudit().ok, true);
    w.store.close();
  });

  it('self-service: the requester creates the role; a mismatch is named; the fixed role is approved and connected', async () => {
    const w = world();
    const id = ok(await w.runner.request({ actor: REQ, accountId: ACCOUNT, workspace: 'prod-sec', mode: 'self_service' })).id;
    ok(await w.runner.approvePlan(id, ALICE));
    assert.equal(await phase(w, id), 'creating_role');
    assert.deepEqual(w.notifier.topics(), ['plan_ready', 'role_needed']);

    const other = await w.runner.submitRole(id, REQ, 'arn:aws:iam::111122223333:role/R');
    assert.deepEqual(other, {
      ok: false,
      kind: 'conflict',
      refusal: text.arnAccountMismatch('arn:aws:iam::111122223333:role/R', '111122223333', ACCOUNT),
      onboarding: await w.store.get(id),
    });
    // The common mistake: the workspace's resource ID as external ID.
    const resourceId = `/subscriptions/${WORKSPACE.subscriptionId}/resourceGroups/sec-rg/providers/Microsoft.OperationalInsights/workspaces/sec-ws`;
    w.cloud.addRole(ROLE_ARN, trustPolicyJson(resourceId).replace(resourceId.toLowerCase(), resourceId));
    ok(await w.runner.submitRole(id, REQ, ROLE_ARN));
    assert.equal(await phase(w, id), 'creating_role');
    const rejected = w.notifier.sent.at(-1)!;
    assert.equal(rejected.topic, 'role_rejected');
    assert.equal(rejected.text, text.roleMismatch(ROLE_ARN, [text.externalIdIsResourceId(resourceId, WORKSPACE_ID, 'prod-sec')]));

    w.cloud.addRole(ROLE_ARN, trustPolicyJson(WORKSPACE_ID));
    ok(await w.runner.submitRole(id, REQ, ROLE_ARN));
    assert.equal(await phase(w, id), 'awaiting_arn_approval');
    assert.equal(w.notifier.sent.at(-1)!.text, text.arnReady(id, ROLE_ARN, true));
    ok(await w.runner.approveArn(id, ALICE));
    assert.equal(await phase(w, id), 'connected');
    assert.equal(w.iam.calls.filter((c) => c.startsWith('ensureRole')).length, 0, 'the bot never creates the role itself');
    assert.equal((await w.store.get(id))!.roleCreatedByBot, false);
    assert.equal(w.store.verifyAudit().ok, true);
    w.store.close();
  });

  it('self-service without IAM read access: the approvers are told the role is unchecked', async () => {
    const w = world();
    w.iam.inspectForbidden = true;
    const id = ok(await w.runner.request({ actor: REQ, accountId: ACCOUNT, workspace: 'prod-sec', mode: 'self_service' })).id;
    ok(await w.runner.approvePlan(id, ALICE));
    ok(await w.runner.submitRole(id, REQ, ROLE_ARN));
    assert.equal(await phase(w, id), 'awaiting_arn_approval');
    assert.equal(
      w.notifier.sent.at(-1)!.text,
      `${text.arnReady(id, ROLE_ARN, false)} ${text.roleUnchecked('the bot may not call iam:GetRole in this account')}`,
    );
    w.store.close();
  });
});

describe('the runner: refusals', () => {
  it('self-approval, a non-approver and an expired request are refused with their sentences, and audited', async () => {
    const w = world();
    const id = await requestBot(w);
    assert.deepEqual(await w.runner.approvePlan(id, REQ), {
      ok: false,
      kind: 'denied',
      refusal: text.notApprover('prod-sec'),
      onboarding: await w.store.get(id),
    });
    // An approver who requested it themselves.
    const own = ok(await w.runner.request({ actor: ALICE, accountId: '999999999999', workspace: 'prod-sec', mode: 'bot_provisioned' })).id;
    const self = await w.runner.approvePlan(own, ALICE);
    assert.equal(self.ok, false);
    assert.equal(!self.ok && self.refusal, text.selfApproval());
    const outsider = await w.runner.approvePlan(id, MALLORY);
    assert.equal(!outsider.ok && outsider.refusal, text.notApprover('prod-sec'));

    w.clock.advance(24 * H);
    const late = await w.runner.approvePlan(id, BOB);
    assert.equal(!late.ok && late.refusal, text.approvalExpired(T0 + 24 * H));
    assert.equal(await phase(w, id), 'expired', 'an expired request is closed when someone tries it');

    assert.deepEqual(refusals(w), [
      { actor: 'U-req', requirement: 'may_approve', refusal: text.notApprover('prod-sec') },
      { actor: 'U-alice', requirement: 'distinct_approver', refusal: text.selfApproval() },
      { actor: 'U-mallory', requirement: 'may_approve', refusal: text.notApprover('prod-sec') },
      { actor: 'U-bob', requirement: 'not_expired', refusal: text.approvalExpired(T0 + 24 * H) },
    ]);
    assert.ok(auditActions(w).includes('expire'));
    assert.deepEqual(w.iam.calls, []);
    w.store.close();
  });

  it('bad input is refused at once and nothing is stored', async () => {
    const w = world();
    const bad = await w.runner.request({
      actor: REQ,
      accountId: '12345678901',
      workspace: 'prod-sec',
      mode: 'bot_provisioned',
      roleName: 'x'.repeat(65),
    });
    assert.deepEqual(bad, {
      ok: false,
      kind: 'bad_input',
      refusal: [text.invalidPlan(2), text.accountIdInvalid('12345678901'), text.roleNameTooLong('x'.repeat(65), 65)].join('\n'),
    });
    const unknown = await w.runner.request({ actor: REQ, accountId: ACCOUNT, workspace: 'dev', mode: 'bot_provisioned' });
    assert.deepEqual(unknown, { ok: false, kind: 'bad_input', refusal: text.workspaceNotConfigured('dev', ['prod-sec']) });
    assert.deepEqual(await w.store.list(), []);
    assert.equal(w.store.verifyAudit().rows, 0);
    w.store.close();
  });

  it('a second open onboarding of the same account and workspace is refused', async () => {
    const w = world();
    const id = await requestBot(w);
    const second = await w.runner.request({ actor: BOB, accountId: ACCOUNT, workspace: WORKSPACE_ID, mode: 'self_service' });
    assert.deepEqual(second, { ok: false, kind: 'conflict', refusal: text.alreadyOpen(ACCOUNT, 'prod-sec', id, 'awaiting_plan_approval') });
    w.store.close();
  });

  it('a rejection needs a reason, and then ends the onboarding', async () => {
    const w = world();
    const id = await requestBot(w);
    const noReason = await w.runner.rejectPlan(id, ALICE, '');
    assert.equal(!noReason.ok && noReason.refusal, text.reasonRequired());
    ok(await w.runner.rejectPlan(id, ALICE, 'wrong account'));
    assert.equal(await phase(w, id), 'rejected');
    const again = await w.runner.approvePlan(id, BOB);
    assert.equal(!again.ok && again.refusal, text.alreadyDecided('rejected', 'U-alice', T0));
    w.store.close();
  });
});

describe('the runner: concurrency', () => {
  it('20 concurrent approvals: one execution, 19 told who approved and when', async () => {
    const w = world();
    const id = await requestBot(w);
    await w.runner.idle();
    const outcomes = await Promise.all(APPROVERS.map((userId) => w.runner.approvePlan(id, { userId })));
    const winners = outcomes.filter((o) => o.ok);
    assert.equal(winners.length, 1);
    const decision = w.store.decisions(id);
    assert.equal(decision.length, 1);
    const expected = text.alreadyDecided('approved', decision[0].by, decision[0].at);
    const losers = outcomes.filter((o) => !o.ok);
    assert.equal(losers.length, 19);
    for (const o of losers) assert.equal(!o.ok && o.refusal, expected);
    await w.runner.idle();
    assert.deepEqual(w.iam.calls, [`ensureRole ${id}:role`]);
    assert.equal(w.cloud.rolesCreated, 1);
    assert.equal(auditActions(w).filter((a) => a === 'plan.approved').length, 1);
    assert.equal(refusals(w).length, 19);
    w.store.close();
  });
});

describe('the runner: retries, failures and rollback', () => {
  it("retries a connector that Sentinel cannot use yet (IAM's eventual consistency) with back-off, without sleeping", async () => {
    const w = world();
    const notYet = () => Object.assign(new ChatopsError('bad_input', 'Sentinel cannot assume the role yet'), { retryable: true });
    w.sentinel.failures.push(notYet(), new ChatopsError('throttled', 'slow down'), notYet());
    const id = await connectBot(w);
    assert.deepEqual(w.sleeps, [1000, 2000, 4000]);
    assert.equal(w.sentinel.calls.length, 4);
    assert.ok(
      w.sentinel.calls.every((c) => c === `ensureConnector ${id}:connector`),
      'one op id for every attempt',
    );
    assert.equal(w.cloud.connectorsCreated, 1);
    w.store.close();
  });

  it('a step that fails for good stops in failed with its message; retry runs it again', async () => {
    const w = world();
    const id = await requestBot(w);
    ok(await w.runner.approvePlan(id, ALICE));
    await w.runner.idle();
    w.sentinel.failures.push(new ChatopsError('forbidden', 'the bot lacks Microsoft Sentinel Contributor on prod-sec'));
    ok(await w.runner.approveArn(id, BOB));
    assert.equal(await phase(w, id), 'failed');
    const s = (await w.store.get(id))!;
    assert.equal(s.failure?.step, 'connecting');
    assert.equal(s.failure?.message, 'the bot lacks Microsoft Sentinel Contributor on prod-sec');
    assert.deepEqual(w.sleeps, [], 'not retried: not retryable');
    const denied = await w.runner.retry(id, MALLORY);
    assert.equal(!denied.ok && denied.refusal, text.notParticipant('prod-sec'));
    ok(await w.runner.retry(id, REQ));
    assert.equal(await phase(w, id), 'connected');
    assert.deepEqual(w.sentinel.calls, [`ensureConnector ${id}:connector`, `ensureConnector ${id}:connector`]);
    assert.equal(w.cloud.connectorsCreated, 1);
    w.store.close();
  });

  it('cancelling after a failure rolls back: the connector and the role the bot created are deleted', async () => {
    const w = world();
    const id = await requestBot(w);
    ok(await w.runner.approvePlan(id, ALICE));
    await w.runner.idle();
    w.sentinel.failures.push(new ChatopsError('conflict', 'ARM keeps answering 409'));
    ok(await w.runner.approveArn(id, BOB));
    assert.equal(await phase(w, id), 'failed');
    ok(await w.runner.cancel(id, REQ, 'giving up'));
    assert.equal(await phase(w, id), 'cancelled');
    assert.deepEqual(w.sentinel.calls.at(-1), `deleteConnector conn-${id}:connector ${id}:rollback-connector`);
    assert.deepEqual(w.iam.calls.at(-1), `deleteRole ${id}:rollback-role`);
    assert.equal(w.cloud.roles.size, 0);
    assert.equal(w.cloud.connectors.size, 0);
    // The slot is free again.
    ok(await w.runner.request({ actor: REQ, accountId: ACCOUNT, workspace: 'prod-sec', mode: 'bot_provisioned' }));
    w.store.close();
  });

  it('a role someone else made, identical to the plan, is used but never deleted', async () => {
    const w = world();
    w.cloud.addRole(ROLE_ARN, trustPolicyJson(WORKSPACE_ID));
    const id = await requestBot(w);
    ok(await w.runner.approvePlan(id, ALICE));
    assert.equal(await phase(w, id), 'awaiting_arn_approval');
    assert.equal((await w.store.get(id))!.roleCreatedByBot, false);
    ok(await w.runner.cancel(id, REQ));
    assert.equal(await phase(w, id), 'cancelled');
    assert.equal(w.cloud.roles.size, 1);
    w.store.close();
  });

  it('disconnect needs a second person; then the connector and the bot-made role go', async () => {
    const w = world();
    const id = await connectBot(w);
    ok(await w.runner.requestDisconnect(id, ALICE));
    assert.equal(await phase(w, id), 'awaiting_disconnect_approval');
    const self = await w.runner.approveDisconnect(id, ALICE);
    assert.equal(!self.ok && self.refusal, text.selfApproval());
    ok(await w.runner.approveDisconnect(id, BOB));
    assert.equal(await phase(w, id), 'disconnected');
    assert.equal(w.cloud.connectors.size, 0);
    assert.equal(w.cloud.roles.size, 0);
    assert.deepEqual(
      w.store.decisions(id).map((d) => `${d.step} ${d.by}`),
      ['plan U-alice', 'arn U-bob', 'disconnect:1 U-bob'],
    );
    w.store.close();
  });

  it('cancelling during a long verification stops the wait and rolls back', async () => {
    const w = world();
    w.probe.waitForAbort = true;
    const id = await requestBot(w);
    ok(await w.runner.approvePlan(id, ALICE));
    await w.runner.idle();
    ok(await w.runner.approveArn(id, BOB));
    while ((await w.store.get(id))!.phase !== 'verifying') await new Promise((r) => setImmediate(r));
    ok(await w.runner.cancel(id, REQ));
    assert.equal(await phase(w, id), 'cancelled');
    assert.deepEqual(await w.store.pendingEffects(), []);
    const verify = w.store.journal(id).find((j) => j.effect.kind === 'logs.awaitFirstEvents')!;
    assert.equal(verify.status, 'failed');
    assert.equal(w.cloud.connectors.size, 0);
    assert.equal(w.cloud.roles.size, 0);
    w.store.close();
  });

  it('expires what waited too long', async () => {
    const w = world();
    const id = await requestBot(w);
    w.clock.advance(24 * H - 1);
    assert.equal(await w.runner.expireDue(), 0);
    w.clock.advance(1);
    assert.equal(await w.runner.expireDue(), 1);
    assert.equal(await phase(w, id), 'expired');
    assert.equal(w.notifier.sent.at(-1)!.text, text.expired(id));
    w.store.close();
  });
});

describe('the runner: restarts', () => {
  for (const hang of ['before', 'after'] as const)
    it(`resumes an effect interrupted ${hang} its side effect, and makes exactly one role`, async () => {
      const cloud = new Cloud();
      const clock = manualClock(T0);
      const first = world({ cloud, clock });
      first.iam.hang = hang;
      const id = await requestBot(first);
      ok(await first.runner.approvePlan(id, ALICE));
      // The process "dies" here: ensureRole never answers, the effect stays intended.
      assert.deepEqual(
        (await first.store.pendingEffects()).map((p) => p.effect.id),
        [`${id}:role`],
      );
      assert.equal(cloud.rolesCreated, hang === 'after' ? 1 : 0);

      const second = world({ dataDir: first.dataDir, cloud, clock });
      assert.equal(await second.runner.resume(), 1);
      assert.equal(await phase(second, id), 'awaiting_arn_approval');
      assert.deepEqual(second.iam.calls, [`ensureRole ${id}:role`], 'the same op id again');
      assert.equal(cloud.rolesCreated, 1);
      assert.equal((await second.store.get(id))!.roleCreatedByBot, true, 'the owner tag shows the earlier attempt made it');
      ok(await second.runner.approveArn(id, BOB));
      assert.equal(await phase(second, id), 'connected');
      assert.equal(cloud.connectorsCreated, 1);
      assert.equal(second.store.verifyAudit().ok, true);
      first.store.close();
      second.store.close();
    });

  it('stopping leaves a long verification in the journal; the next start finishes it', async () => {
    const cloud = new Cloud();
    const clock = manualClock(T0);
    const first = world({ cloud, clock });
    first.probe.waitForAbort = true;
    const id = await requestBot(first);
    ok(await first.runner.approvePlan(id, ALICE));
    await first.runner.idle();
    ok(await first.runner.approveArn(id, BOB));
    while ((await first.store.get(id))!.phase !== 'verifying') await new Promise((r) => setImmediate(r));
    await first.runner.stop();
    const refused = await first.runner.approvePlan(id, BOB);
    assert.equal(!refused.ok && refused.refusal, text.shuttingDown());
    assert.deepEqual(
      (await first.store.pendingEffects()).map((p) => p.effect.kind),
      ['logs.awaitFirstEvents'],
    );
    first.store.close();

    const second = world({ dataDir: first.dataDir, cloud, clock });
    assert.equal(await second.runner.resume(), 1);
    assert.equal(await phase(second, id), 'connected');
    assert.equal(second.probe.calls[0], `awaitFirstEvents ${ACCOUNT} ${new Date(T0 + 2 * H).toISOString()}`, 'the original deadline');
    assert.equal(cloud.connectorsCreated, 1);
    second.store.close();
  });

  it('the audit log of a whole flow verifies, and an edited row is detected', async () => {
    const w = world();
    await connectBot(w);
    assert.equal(w.store.verifyAudit().ok, true);
    w.store.database.exec('DROP TRIGGER audit_log_no_update');
    w.store.database.exec(`UPDATE audit_log SET actor = 'U-mallory' WHERE action = 'plan.approved'`);
    const v = w.store.verifyAudit();
    assert.equal(v.ok, false);
    assert.deepEqual(v.problems, ['audit row 2 was changed: its content does not match its hash.']);
    w.store.close();
  });
});
