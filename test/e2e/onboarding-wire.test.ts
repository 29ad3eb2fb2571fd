/**
 * The whole onboarding flow on the wire (issue 5, "Done when"): the OnboardingRunner with a real
 * SQLite store, driving the REAL gateways pointed at loopback stubs:
 * - RealIamGateway (`@aws-sdk/client-iam` + `client-sts`, assuming a provisioning role) against the
 *   IAM/STS Query API stub (XML), test/helpers/iam-stub.ts;
 * - RealSentinelGateway (`@azure/arm-securityinsight`) against the HTTPS ARM stub, test/helpers/arm-stub.ts;
 * - first events: the Log Analytics probe (LogAnalyticsFirstEventsProbe over the real
 *   LogAnalyticsGateway / `@azure/monitor-query-logs`) against the HTTPS Log Analytics stub,
 *   test/helpers/log-analytics-stub.ts, which answers an empty table first and then an
 *   AWSCloudTrail row for the account (so verification polls twice).
 *
 * Waits: the runner's retries, the probe's polling, IAM's consistency back-off and ARM's 409
 * back-off go through injected sleeps that move a manual clock. What is not injectable is real:
 * the AWS SDK's own back-off after Throttling (< 1 s) and the Azure pipeline's Retry-After: 1 (1 s).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { RealIamGateway } from '../../src/cloud/aws/iam-real.ts';
import { LogAnalyticsFirstEventsProbe } from '../../src/cloud/logs/azure/first-events-probe.ts';
import { LogAnalyticsGateway } from '../../src/cloud/logs/azure/log-analytics-gateway.ts';
import { connectorIdFor } from '../../src/cloud/sentinel/connector-id.ts';
import { RealSentinelGateway } from '../../src/cloud/sentinel/connector-real.ts';
import { type ManualClock, manualClock } from '../../src/core/clock.ts';
import type { Actor, ApprovalPolicies } from '../../src/core/onboarding/approval-policy.ts';
import type { Notification, Notifier, WorkspaceRef } from '../../src/core/onboarding/gateways.ts';
import type { Onboarding } from '../../src/core/onboarding/machine.ts';
import { OnboardingRunner, type Outcome } from '../../src/core/onboarding/runner.ts';
import { text } from '../../src/core/onboarding/text.ts';
import { CLOUDTRAIL_READONLY_POLICY_ARN, trustPolicyJson } from '../../src/core/onboarding/trust-policy.ts';
import type { LogsGateway } from '../../src/core/questions/logs-gateway.ts';
import { SqliteOnboardingStore } from '../../src/store/onboarding-store.ts';
import { type ArmStub, startArmStub, staticTokenCredential, TEST_CA_FILE } from '../helpers/arm-stub.ts';
import { type IamStub, startIamStub } from '../helpers/iam-stub.ts';
import { type LogAnalyticsStub, reply, type StubTable, startLogAnalyticsStub } from '../helpers/log-analytics-stub.ts';

const T0 = Date.parse('2026-01-05T09:00:00Z');
const KEY = 'onboarding-wire-audit-key-0123456789';
const ACCOUNT = '012345678901';
const BASE_ACCOUNT = '999999999999';
const WORKSPACE_ID = '8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e';
const SUB = '0f0e0d0c-0b0a-0908-0706-050403020100';
const WORKSPACE: WorkspaceRef = {
  name: 'prod-sec',
  workspaceId: WORKSPACE_ID,
  subscriptionId: SUB,
  resourceGroup: 'sec-rg',
  workspaceName: 'sec-ws',
};
const RESOURCE_ID = `/subscriptions/${SUB}/resourceGroups/sec-rg/providers/Microsoft.OperationalInsights/workspaces/sec-ws`;
const ROLE_NAME = 'MicrosoftSentinelCloudTrail-prod-sec';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
const CA = readFileSync(TEST_CA_FILE, 'utf8');

const ALICE: Actor = { userId: 'U-alice' };
const BOB: Actor = { userId: 'U-bob' };
const REQ: Actor = { userId: 'U-req' };
const POLICIES: ApprovalPolicies = { 'prod-sec': { approvers: { users: ['U-alice', 'U-bob'], groups: [] } } };

/** The trust policy the plan must produce, spelled out (not computed by the code under test). */
const EXPECTED_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::197857026523:root' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': WORKSPACE_ID } },
    },
  ],
};

const EVENTS_TABLE: StubTable = {
  name: 'PrimaryResult',
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'EventName', type: 'string' },
    { name: 'EventSource', type: 'string' },
    { name: 'AwsEventId', type: 'string' },
  ],
  rows: [['2026-01-05T09:05:00Z', 'ConsoleLogin', 'signin.amazonaws.com', 'evt-1']],
};
const EMPTY_TABLE: StubTable = { ...EVENTS_TABLE, rows: [] };

const root = mkdtempSync(join(tmpdir(), 'onboarding-wire-'));
let dirs = 0;

let iam: IamStub;
let arm: ArmStub;
let la: LogAnalyticsStub;

before(async () => {
  [iam, arm, la] = await Promise.all([
    startIamStub({ baseAccount: BASE_ACCOUNT }),
    startArmStub([{ subscriptionId: SUB, resourceGroup: 'sec-rg', name: 'sec-ws', customerId: WORKSPACE_ID }]),
    startLogAnalyticsStub({ fallback: reply.ok([EVENTS_TABLE]) }),
  ]);
});
after(async () => {
  await Promise.all([iam.close(), arm.close(), la.close()]);
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  iam.calls.length = 0;
  iam.roles.clear();
  for (const k of Object.keys(iam.faults)) delete (iam.faults as Record<string, unknown>)[k];
  arm.requests.length = 0;
  arm.badApiVersions.length = 0;
  arm.connectors.clear();
  for (const k of Object.keys(arm.faults)) delete (arm.faults as Record<string, unknown>)[k];
  la.reset();
  // Verification looks twice: nothing yet, then the account's first CloudTrail event.
  la.enqueue(reply.ok([EMPTY_TABLE]));
});

// --- a world: store + runner + real gateways on the stubs ----------------------------------------

class Inbox implements Notifier {
  readonly sent: Notification[] = [];
  async notify(n: Notification): Promise<void> {
    this.sent.push(n);
  }
  topics(): string[] {
    return this.sent.map((n) => n.topic);
  }
}

interface World {
  store: SqliteOnboardingStore;
  runner: OnboardingRunner;
  clock: ManualClock;
  inbox: Inbox;
  /** Waits asked for by the runner (its retries of retryable errors). */
  runnerSleeps: number[];
  /** Waits asked for by the ARM gateway (409 back-off). */
  armSleeps: number[];
  /** Called at each ARM 409 back-off (to change the stub's faults between attempts). */
  onArmSleep?: () => void;
  errors: string[];
  close(): Promise<void>;
}

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

function world(): World {
  const clock = manualClock(T0);
  const store = new SqliteOnboardingStore({ dataDir: join(root, `w${dirs++}`), auditKey: KEY });
  const inbox = new Inbox();
  const move = async (ms: number) => {
    clock.advance(ms);
  };
  const iamGateway = new RealIamGateway({
    provisioningRoleName: 'ChatopsProvisioner',
    credentials: { accessKeyId: 'AKIDBASEEXAMPLE', secretAccessKey: 'base-secret' },
    endpoint: iam.url,
    stsEndpoint: iam.url,
    sleep: move,
  });
  const w: World = {
    store,
    runner: undefined as unknown as OnboardingRunner,
    clock,
    inbox,
    runnerSleeps: [],
    armSleeps: [],
    errors: [],
    close: async () => {
      await w.runner.stop(1000);
      iamGateway.close();
      await logs.close();
      store.close();
    },
  };
  const sentinel = new RealSentinelGateway({
    credential: staticTokenCredential,
    resourceManagerEndpoint: arm.url,
    ca: CA,
    sleep: async (ms) => {
      w.armSleeps.push(ms);
      w.onArmSleep?.();
      await move(ms);
    },
  });
  const logs: LogsGateway = new LogAnalyticsGateway({
    credential: staticTokenCredential,
    workspaceId: WORKSPACE_ID,
    workspaceName: WORKSPACE.name,
    endpoint: la.url,
    serverTimeoutSeconds: 30,
    clientOptions: { tlsOptions: { ca: la.ca } },
    retry: { baseDelayMs: 10, maxDelayMs: 20 },
  });
  const firstEvents = new LogAnalyticsFirstEventsProbe({ logsFor: () => logs, clock, delaysMs: [60_000], sleep: move });
  let ids = 0;
  w.runner = new OnboardingRunner({
    repository: store,
    gateways: { iam: iamGateway, sentinel, firstEvents, notifier: inbox },
    workspaces: [WORKSPACE],
    policies: POLICIES,
    clock,
    sleep: async (ms) => {
      w.runnerSleeps.push(ms);
      clock.advance(ms);
    },
    newId: () => `onb-${dirs}-${++ids}`,
    retryDelaysMs: [10, 20, 40],
    onEffectError: (fx, err) => w.errors.push(`${fx.kind}: ${(err as Error).message}`),
  });
  worlds.push(w);
  return w;
}

function ok(o: Outcome): Onboarding {
  if (!o.ok) assert.fail(`refused: ${o.refusal}`);
  return o.onboarding;
}

async function settled(w: World, id: string): Promise<Onboarding> {
  await w.runner.idle();
  const s = await w.store.get(id);
  assert.ok(s, `onboarding ${id} exists`);
  return s;
}

const puts = () => arm.requests.filter((r) => r.method === 'PUT');
const writes = () => iam.calls.filter((c) => !['GetRole', 'ListAttachedRolePolicies', 'ListRoleTags', 'AssumeRole'].includes(c.action));

/** The stub's role, checked against the plan: exact trust policy, only AWSCloudTrail_ReadOnlyAccess. */
function assertPlannedRole(tagged = true): void {
  assert.equal(iam.roles.size, 1, 'exactly one role');
  const role = iam.getRole(ACCOUNT, ROLE_NAME);
  assert.ok(role, `role ${ROLE_NAME} exists in account ${ACCOUNT}`);
  assert.equal(role.path, '/');
  assert.deepEqual(JSON.parse(role.trustPolicy), EXPECTED_TRUST);
  assert.deepEqual(role.attached, [CLOUDTRAIL_READONLY_POLICY_ARN]);
  if (!tagged) return;
  assert.equal(role.tags.get('purpose'), 'microsoft-sentinel-cloudtrail');
  assert.equal(role.tags.get('sentinel-workspace'), 'prod-sec');
}

/** The stub's connectors: exactly one, CloudTrail, for the role, logs enabled, always at api-version 2024-09-01. */
function assertOneConnector(opId: string): void {
  assert.equal(arm.connectors.size, 1, 'exactly one connector');
  const [c] = [...arm.connectors.values()] as { name: string; kind: string; properties: Record<string, unknown> }[];
  assert.equal(c.name, connectorIdFor(opId));
  assert.equal(c.kind, 'AmazonWebServicesCloudTrail');
  assert.deepEqual(c.properties, { awsRoleArn: ROLE_ARN, dataTypes: { logs: { state: 'Enabled' } } });
  assert.ok(arm.requests.length > 0);
  for (const r of arm.requests) {
    assert.equal(r.apiVersion, '2024-09-01');
    assert.equal(r.authorization, 'Bearer test-token');
  }
  assert.deepEqual(arm.badApiVersions, []);
}

/** Verification queried the workspace for the account (twice: empty, then the first event) and kept the event. */
function assertVerified(s: Onboarding): void {
  assert.equal(s.phase, 'connected');
  assert.deepEqual(s.firstEvents, [
    { time: '2026-01-05T09:05:00Z', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', awsEventId: 'evt-1' },
  ]);
  const queries = la.requests.filter((r) => r.body?.query?.startsWith('AWSCloudTrail'));
  assert.equal(queries.length, 2, 'the probe looked twice');
  for (const q of queries) {
    assert.equal(q.workspaceId, WORKSPACE_ID);
    assert.match(q.body?.query ?? '', new RegExp(`RecipientAccountId == "${ACCOUNT}"`));
  }
}

async function requestBot(w: World, actor: Actor = ALICE): Promise<string> {
  return ok(await w.runner.request({ actor, accountId: ACCOUNT, workspace: 'prod-sec', mode: 'bot_provisioned' })).id;
}

// --- bot-provisioned ------------------------------------------------------------------------------

describe('bot-provisioned onboarding on the wire', () => {
  it('request → second-person plan approval → CreateRole (throttled once) → ARN approval → PUT (409, then 429) → connected', async () => {
    const w = world();
    iam.faults.throttle = { count: 1, action: 'CreateRole' };
    arm.faults.conflict = { count: 1 };
    // After the 409 the gateway backs off and PUTs again: that PUT is throttled with Retry-After: 1.
    w.onArmSleep = () => {
      arm.faults.throttle = { count: 1, retryAfter: '1' };
    };

    const id = await requestBot(w);
    assert.equal((await settled(w, id)).phase, 'awaiting_plan_approval');
    // Two-person rule: the requester (an approver herself) cannot approve her own plan.
    const self = await w.runner.approvePlan(id, ALICE);
    assert.equal(self.ok, false);
    assert.equal(!self.ok && self.refusal, text.selfApproval());
    assert.equal(iam.calls.length, 0, 'nothing is created before approval');

    ok(await w.runner.approvePlan(id, BOB));
    const ready = await settled(w, id);
    assert.equal(ready.phase, 'awaiting_arn_approval', w.errors.join('\n'));
    assert.equal(ready.roleArn, ROLE_ARN);
    assert.equal(ready.roleCreatedByBot, true);

    // Throttling was handled by the AWS SDK's retry strategy: two CreateRole attempts on the wire, no runner retry.
    assert.deepEqual(
      iam.callsOf('CreateRole').map((c) => c.errorCode ?? 'ok'),
      ['Throttling', 'ok'],
    );
    assert.deepEqual(w.runnerSleeps, []);
    // IAM calls act in the target account with the assumed provisioning role.
    const [assume] = iam.callsOf('AssumeRole');
    assert.equal(assume.params.RoleArn, `arn:aws:iam::${ACCOUNT}:role/ChatopsProvisioner`);
    for (const c of iam.calls.filter((c) => c.service === 'iam')) assert.equal(c.account, ACCOUNT);
    const create = iam.callsOf('CreateRole')[1];
    assert.deepEqual(JSON.parse(create.params.AssumeRolePolicyDocument), EXPECTED_TRUST);
    assert.deepEqual(
      iam.callsOf('AttachRolePolicy').map((c) => c.params.PolicyArn),
      [CLOUDTRAIL_READONLY_POLICY_ARN],
    );
    assertPlannedRole();
    assert.equal(iam.getRole(ACCOUNT, ROLE_NAME)?.tags.get('sentinel-chatops:onboarding'), id, 'the owner tag marks the bot’s role');
    assert.equal(arm.requests.length, 0, 'no connector before the ARN is approved');

    ok(await w.runner.approveArn(id, BOB));
    const started = Date.now();
    const done = await settled(w, id);
    const elapsed = Date.now() - started;
    assert.equal(done.phase, 'connected', w.errors.join('\n'));

    assert.deepEqual(
      puts().map((r) => r.status),
      [409, 429, 201],
    );
    assert.deepEqual(w.armSleeps, [2000], 'the 409 was backed off by the gateway');
    assert.ok(elapsed >= 950, `the Azure pipeline waited out Retry-After: 1 (${elapsed} ms)`);
    assert.deepEqual(puts()[2].body, {
      kind: 'AmazonWebServicesCloudTrail',
      properties: { awsRoleArn: ROLE_ARN, dataTypes: { logs: { state: 'Enabled' } } },
    });
    assertOneConnector(`${id}:connector`);
    assert.equal(done.connector?.connectorId, connectorIdFor(`${id}:connector`));
    assertVerified(done);
    assertPlannedRole();
    assert.equal(iam.callsOf('CreateRole').length, 2, 'no CreateRole after the first success');

    assert.deepEqual(w.inbox.topics(), ['plan_ready', 'arn_ready', 'connected']);
    assert.deepEqual(
      w.store.decisions(id).map((d) => `${d.step} ${d.by}`),
      ['plan U-bob', 'arn U-bob'],
    );
    assert.deepEqual(await w.store.pendingEffects(), []);
    assert.equal(w.store.verifyAudit().ok, true, 'the audit chain verifies');
  });

  it('EntityAlreadyExists with an identical role: no duplicate, missing policy and tags added, the flow goes on', async () => {
    const w = world();
    // Someone made the planned role by hand, without policy or tags.
    iam.putRole({ account: ACCOUNT, name: ROLE_NAME, trustPolicy: trustPolicyJson(WORKSPACE_ID) });
    const id = await requestBot(w);
    ok(await w.runner.approvePlan(id, BOB));
    const ready = await settled(w, id);
    assert.equal(ready.phase, 'awaiting_arn_approval', w.errors.join('\n'));
    assert.equal(ready.roleArn, ROLE_ARN);
    assert.equal(ready.roleCreatedByBot, false, 'someone else’s identical role is not the bot’s (rollback leaves it alone)');
    assert.deepEqual(
      iam.callsOf('CreateRole').map((c) => c.errorCode ?? 'ok'),
      ['EntityAlreadyExists'],
    );
    assertPlannedRole();
    assert.equal(iam.getRole(ACCOUNT, ROLE_NAME)?.tags.has('sentinel-chatops:onboarding'), false);

    ok(await w.runner.approveArn(id, BOB));
    const done = await settled(w, id);
    assert.equal(done.phase, 'connected', w.errors.join('\n'));
    assertPlannedRole();
    assertOneConnector(`${id}:connector`);
    assertVerified(done);
    assert.equal(w.store.verifyAudit().ok, true);
  });

  it('EntityAlreadyExists of the bot’s own half-done role (a retried step): finished, not duplicated, still the bot’s', async () => {
    const w = world();
    // CreateRole succeeds, then AttachRolePolicy stays throttled beyond the SDK's 3 attempts: the step
    // fails as throttled, the runner retries it, and CreateRole then meets the role it made itself.
    iam.faults.throttle = { count: 3, action: 'AttachRolePolicy' };
    const id = await requestBot(w);
    ok(await w.runner.approvePlan(id, BOB));
    const ready = await settled(w, id);
    assert.equal(ready.phase, 'awaiting_arn_approval', w.errors.join('\n'));
    assert.equal(ready.roleArn, ROLE_ARN);
    assert.equal(ready.roleCreatedByBot, true, 'the owner tag says the bot made it: rollback may delete it');
    assert.deepEqual(w.runnerSleeps, [10], 'the runner retried the throttled step once');
    assert.deepEqual(
      iam.callsOf('CreateRole').map((c) => c.errorCode ?? 'ok'),
      ['ok', 'EntityAlreadyExists'],
    );
    assert.deepEqual(
      iam.callsOf('AttachRolePolicy').map((c) => c.errorCode ?? 'ok'),
      ['Throttling', 'Throttling', 'Throttling', 'ok'],
    );
    assertPlannedRole();
    assert.equal(iam.getRole(ACCOUNT, ROLE_NAME)?.tags.get('sentinel-chatops:onboarding'), id);

    ok(await w.runner.approveArn(id, BOB));
    const done = await settled(w, id);
    assert.equal(done.phase, 'connected', w.errors.join('\n'));
    assert.equal(iam.roles.size, 1, 'no duplicate role');
    assertOneConnector(`${id}:connector`);
    assertVerified(done);
    assert.equal(w.store.verifyAudit().ok, true);
  });

  it('EntityAlreadyExists with a different trust policy: failed at the role step with a conflict naming the mismatch; nothing else created', async () => {
    const w = world();
    const foreignTrust = trustPolicyJson(RESOURCE_ID).replace(RESOURCE_ID.toLowerCase(), RESOURCE_ID);
    iam.putRole({ account: ACCOUNT, name: ROLE_NAME, trustPolicy: foreignTrust });
    const id = await requestBot(w);
    ok(await w.runner.approvePlan(id, BOB));
    const s = await settled(w, id);
    assert.equal(s.phase, 'failed');
    assert.equal(s.failure?.step, 'creating_role');
    assert.equal(s.failure?.code, 'conflict');
    assert.match(s.failure?.message ?? '', /already exists in account 012345678901 .* and is not the planned role; nothing was changed/);
    assert.ok(
      s.failure?.message.includes(
        `- the trust policy's sts:ExternalId is "${RESOURCE_ID}"; the plan has "${WORKSPACE_ID}" (the workspace ID)`,
      ),
      `the mismatch is named: ${s.failure?.message}`,
    );
    assert.equal(w.inbox.sent.at(-1)?.topic, 'failed');

    // Nothing else: the existing role is unchanged, no policy attached, no tag added, no connector.
    assert.deepEqual(
      writes().map((c) => `${c.action} ${c.errorCode ?? 'ok'}`),
      ['CreateRole EntityAlreadyExists'],
    );
    const role = iam.getRole(ACCOUNT, ROLE_NAME);
    assert.equal(role?.trustPolicy, foreignTrust);
    assert.deepEqual(role?.attached, []);
    assert.equal(role?.tags.size, 0);
    assert.equal(iam.roles.size, 1);
    assert.deepEqual(arm.requests, []);
    assert.equal(arm.connectors.size, 0);
    assert.equal(w.store.verifyAudit().ok, true);
  });

  it('AccessDenied on CreateRole: failed at the role step naming iam:CreateRole; retry after the grant → connected', async () => {
    const w = world();
    iam.faults.deny = new Set(['iam:CreateRole']);
    const id = await requestBot(w);
    ok(await w.runner.approvePlan(id, BOB));
    const s = await settled(w, id);
    assert.equal(s.phase, 'failed');
    assert.equal(s.failure?.step, 'creating_role');
    assert.equal(s.failure?.code, 'forbidden');
    assert.match(
      s.failure?.message ?? '',
      /assumed-role\/ChatopsProvisioner\/sentinel-chatops is not allowed to call iam:CreateRole on arn:aws:iam::012345678901:role\/MicrosoftSentinelCloudTrail-prod-sec; grant it iam:CreateRole/,
    );
    assert.equal(iam.callsOf('CreateRole').length, 1, 'AccessDenied is not retried');
    assert.deepEqual(w.runnerSleeps, []);
    assert.equal(iam.roles.size, 0);
    assert.equal(w.inbox.sent.at(-1)?.topic, 'failed');
    assert.match(w.inbox.sent.at(-1)?.text ?? '', /iam:CreateRole/);

    iam.faults.deny = undefined;
    ok(await w.runner.retry(id, ALICE));
    const ready = await settled(w, id);
    assert.equal(ready.phase, 'awaiting_arn_approval', w.errors.join('\n'));
    assert.equal(ready.roleCreatedByBot, true);
    assertPlannedRole();
    ok(await w.runner.approveArn(id, BOB));
    const done = await settled(w, id);
    assert.equal(done.phase, 'connected', w.errors.join('\n'));
    assert.deepEqual(
      iam.callsOf('CreateRole').map((c) => c.errorCode ?? 'ok'),
      ['AccessDenied', 'ok'],
    );
    assertOneConnector(`${id}:connector`);
    assertVerified(done);
    assert.equal(w.store.verifyAudit().ok, true);
  });
});

// --- self-service ---------------------------------------------------------------------------------

describe('self-service onboarding on the wire', () => {
  it('the requester’s role is read from IAM (GetRole, ListAttachedRolePolicies), approved and connected', async () => {
    const w = world();
    const id = ok(await w.runner.request({ actor: REQ, accountId: ACCOUNT, workspace: 'prod-sec', mode: 'self_service' })).id;
    ok(await w.runner.approvePlan(id, ALICE));
    assert.equal((await settled(w, id)).phase, 'creating_role');
    assert.deepEqual(w.inbox.topics(), ['plan_ready', 'role_needed']);
    assert.equal(iam.calls.length, 0, 'the bot creates nothing in self-service');

    // The requester creates the planned role (as the CloudFormation template would).
    iam.putRole({
      account: ACCOUNT,
      name: ROLE_NAME,
      trustPolicy: trustPolicyJson(WORKSPACE_ID),
      attached: [CLOUDTRAIL_READONLY_POLICY_ARN],
    });
    ok(await w.runner.submitRole(id, REQ, ROLE_ARN));
    const ready = await settled(w, id);
    assert.equal(ready.phase, 'awaiting_arn_approval', w.errors.join('\n'));
    assert.equal(w.inbox.sent.at(-1)?.text, text.arnReady(id, ROLE_ARN, true));
    assert.equal(iam.callsOf('GetRole').length, 1);
    assert.equal(iam.callsOf('ListAttachedRolePolicies').length, 1);
    for (const c of iam.calls.filter((c) => c.service === 'iam')) assert.equal(c.account, ACCOUNT);
    assert.deepEqual(writes(), [], 'validation only reads');

    ok(await w.runner.approveArn(id, BOB));
    const done = await settled(w, id);
    assert.equal(done.phase, 'connected', w.errors.join('\n'));
    assert.equal(done.roleCreatedByBot, false);
    assert.equal(iam.callsOf('CreateRole').length, 0);
    assertPlannedRole(false);
    assertOneConnector(`${id}:connector`);
    assertVerified(done);
    assert.equal(w.store.verifyAudit().ok, true);
  });

  it('a role with the resource ID as external ID is refused, naming it; an ARN for another account is refused at input', async () => {
    const w = world();
    const id = ok(await w.runner.request({ actor: REQ, accountId: ACCOUNT, workspace: 'prod-sec', mode: 'self_service' })).id;
    ok(await w.runner.approvePlan(id, ALICE));
    assert.equal((await settled(w, id)).phase, 'creating_role');

    const otherArn = 'arn:aws:iam::111122223333:role/MicrosoftSentinelCloudTrail-prod-sec';
    const other = await w.runner.submitRole(id, REQ, otherArn);
    assert.equal(other.ok, false);
    assert.equal(!other.ok && other.refusal, text.arnAccountMismatch(otherArn, '111122223333', ACCOUNT));
    assert.equal(iam.calls.length, 0, 'refused at input: IAM is not asked');

    // The common mistake: the workspace's resource ID as external ID.
    iam.putRole({
      account: ACCOUNT,
      name: ROLE_NAME,
      trustPolicy: trustPolicyJson(RESOURCE_ID).replace(RESOURCE_ID.toLowerCase(), RESOURCE_ID),
      attached: [CLOUDTRAIL_READONLY_POLICY_ARN],
    });
    ok(await w.runner.submitRole(id, REQ, ROLE_ARN));
    const s = await settled(w, id);
    assert.equal(s.phase, 'creating_role', 'still waiting for a right role');
    assert.equal(s.roleArn, undefined);
    const rejected = w.inbox.sent.at(-1);
    assert.equal(rejected?.topic, 'role_rejected');
    assert.equal(rejected?.text, text.roleMismatch(ROLE_ARN, [text.externalIdIsResourceId(RESOURCE_ID, WORKSPACE_ID, 'prod-sec')]));
    assert.ok(iam.callsOf('GetRole').length >= 1, 'the role was read from IAM');
    assert.deepEqual(writes(), []);
    assert.equal(arm.requests.length, 0);
    assert.equal(w.store.verifyAudit().ok, true);
  });
});
