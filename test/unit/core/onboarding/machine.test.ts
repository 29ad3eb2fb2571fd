import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObservedRole } from '../../../../src/core/onboarding/gateways.ts';
import {
  CLOSED_PHASES,
  type Effect,
  isOpen,
  type Mode,
  type Onboarding,
  type OnboardingEvent,
  PHASES,
  type Step,
  start,
  transition,
} from '../../../../src/core/onboarding/machine.ts';
import { buildPlan } from '../../../../src/core/onboarding/plan.ts';
import { text } from '../../../../src/core/onboarding/text.ts';
import { CLOUDTRAIL_READONLY_POLICY_ARN, trustPolicyJson } from '../../../../src/core/onboarding/trust-policy.ts';
import { ACCOUNT, WORKSPACE, WORKSPACE_ID } from './fixtures.ts';

const T0 = Date.parse('2026-01-05T09:00:00Z');
const H = 3600_000;
const ID = 'ob-1';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/MicrosoftSentinelCloudTrail-prod-sec`;

function begin(mode: Mode = 'bot_provisioned'): Step {
  const plan = buildPlan({ accountId: ACCOUNT, workspace: WORKSPACE });
  return start({ id: ID, mode, plan, requestedBy: 'U-req', at: T0, origin: { channel: 'C1' } });
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Applies an event, insisting that it is accepted and that the input is not mutated. */
function apply(s: Onboarding, e: OnboardingEvent): Step {
  const step = transition(deepFreeze(s), e);
  assert.equal(step.refusal, undefined, `refused ${e.type}: ${step.refusal}`);
  assert.equal(step.state.version, s.version + 1);
  return step;
}

function refusedWith(s: Onboarding, e: OnboardingEvent, sentence: string): void {
  const step = transition(s, e);
  assert.equal(step.refusal, sentence);
  assert.equal(step.state, s);
  assert.deepEqual(step.effects, []);
}

const kinds = (fx: readonly Effect[]) => fx.map((f) => `${f.kind} ${f.id}`);
const only = <K extends Effect['kind']>(step: Step, kind: K) => {
  const fx = step.effects.filter((f) => f.kind === kind);
  assert.equal(fx.length, 1, `one ${kind} in ${kinds(step.effects)}`);
  return fx[0] as Extract<Effect, { kind: K }>;
};
const done = (s: Onboarding, outcome: Extract<OnboardingEvent, { type: 'effect.done' }>['outcome'], at = T0 + 2 * H): OnboardingEvent => ({
  type: 'effect.done',
  effectId: s.pendingEffect!,
  at,
  outcome,
});
const failed = (s: Onboarding, code: string, message: string, at = T0 + 2 * H): OnboardingEvent => ({
  type: 'effect.failed',
  effectId: s.pendingEffect!,
  at,
  error: { code, message },
});

const observed = (over: Partial<ObservedRole> = {}): ObservedRole => ({
  arn: ROLE_ARN,
  accountId: ACCOUNT,
  roleName: 'MicrosoftSentinelCloudTrail-prod-sec',
  path: '/',
  trustPolicyJson: trustPolicyJson(WORKSPACE_ID),
  managedPolicyArns: [CLOUDTRAIL_READONLY_POLICY_ARN],
  tags: [],
  ...over,
});

/** A bot-provisioned onboarding driven to `connected`. */
function connectedBot(): Onboarding {
  let s = begin().state;
  s = apply(s, { type: 'plan.approved', by: 'U-ok', at: T0 + H }).state;
  s = apply(s, done(s, { kind: 'iam.ensureRole', value: { arn: ROLE_ARN, created: true } })).state;
  s = apply(s, { type: 'arn.approved', by: 'U-ok', at: T0 + 3 * H }).state;
  s = apply(s, done(s, { kind: 'sentinel.ensureConnector', value: connector() })).state;
  s = apply(s, done(s, { kind: 'logs.awaitFirstEvents', value: { timedOut: false, events: [firstEvent()] } })).state;
  assert.equal(s.phase, 'connected');
  return s;
}

const connector = () => ({ connectorId: 'c-1', resourceId: '/x/c-1', roleArn: ROLE_ARN, logsState: 'Enabled' as const, created: true });
const firstEvent = () => ({
  time: '2026-01-05T12:00:00Z',
  eventName: 'ConsoleLogin',
  eventSource: 'signin.amazonaws.com',
  awsEventId: 'e1',
});

describe('the onboarding machine: bot-provisioned', () => {
  it('proposes the plan to the approvers, with a deadline', () => {
    const { state, effects } = begin();
    assert.equal(state.phase, 'awaiting_plan_approval');
    assert.equal(state.version, 1);
    assert.equal(state.expiresAt, T0 + 24 * H);
    assert.deepEqual(kinds(effects), [`notify ${ID}:notify:plan_ready:1`]);
    const n = only({ state, effects }, 'notify').notification;
    assert.equal(n.audience, 'approvers');
    assert.deepEqual(n.origin, { channel: 'C1' });
    assert.equal(n.text, text.planReady(ID, ACCOUNT, 'prod-sec', 'U-req'));
  });

  it('goes through every phase to connected, each step asking for one effect with a deterministic id', () => {
    let s = begin().state;
    let step = apply(s, { type: 'plan.approved', by: 'U-ok', at: T0 + H });
    s = step.state;
    assert.equal(s.phase, 'creating_role');
    assert.deepEqual(s.decisions.plan, { outcome: 'approved', by: 'U-ok', at: T0 + H });
    const role = only(step, 'iam.ensureRole');
    assert.equal(role.id, `${ID}:role`);
    assert.equal(role.opId, `${ID}:role`);
    assert.equal(s.pendingEffect, role.id);
    assert.equal(role.role.roleName, 'MicrosoftSentinelCloudTrail-prod-sec');
    assert.deepEqual(role.role.ownerTag, { key: 'sentinel-chatops:onboarding', value: ID });

    step = apply(s, done(s, { kind: 'iam.ensureRole', value: { arn: ROLE_ARN, created: true } }));
    s = step.state;
    assert.equal(s.phase, 'awaiting_arn_approval');
    assert.equal(s.roleArn, ROLE_ARN);
    assert.equal(s.roleCreatedByBot, true);
    assert.equal(s.pendingEffect, undefined);
    assert.equal(s.expiresAt, T0 + 2 * H + 24 * H);
    assert.equal(only(step, 'notify').notification.topic, 'arn_ready');

    step = apply(s, { type: 'arn.approved', by: 'U-ok2', at: T0 + 3 * H });
    s = step.state;
    assert.equal(s.phase, 'connecting');
    const conn = only(step, 'sentinel.ensureConnector');
    assert.equal(conn.id, `${ID}:connector`);
    assert.deepEqual(conn.connector, { workspace: s.plan.workspace, roleArn: ROLE_ARN });

    step = apply(s, done(s, { kind: 'sentinel.ensureConnector', value: connector() }, T0 + 4 * H));
    s = step.state;
    assert.equal(s.phase, 'verifying');
    const verify = only(step, 'logs.awaitFirstEvents');
    assert.equal(verify.id, `${ID}:verify`);
    assert.equal(verify.deadline, T0 + 4 * H + 2 * H);
    assert.equal(verify.accountId, ACCOUNT);

    step = apply(s, done(s, { kind: 'logs.awaitFirstEvents', value: { timedOut: false, events: [firstEvent()] } }));
    s = step.state;
    assert.equal(s.phase, 'connected');
    assert.deepEqual(s.firstEvents, [firstEvent()]);
    assert.equal(only(step, 'notify').notification.text, text.connected(ID, ACCOUNT, 'prod-sec', 1));
  });

  it('refuses events that do not fit the phase, a late approval, a rejection without reason, and stray results', () => {
    const s = begin().state;
    refusedWith(s, { type: 'arn.approved', by: 'U-ok', at: T0 }, text.notNow('awaiting_plan_approval', 'arn.approved', 'bot_provisioned'));
    refusedWith(s, { type: 'plan.approved', by: 'U-ok', at: T0 + 24 * H }, text.approvalExpired(T0 + 24 * H));
    refusedWith(s, { type: 'plan.rejected', by: 'U-ok', at: T0, reason: '  ' }, text.reasonRequired());
    refusedWith(
      s,
      { type: 'effect.done', effectId: 'x', at: T0, outcome: { kind: 'iam.deleteRole', value: { deleted: true } } },
      text.unexpectedEffect('x'),
    );
    const creating = apply(s, { type: 'plan.approved', by: 'U-ok', at: T0 + H }).state;
    refusedWith(creating, { type: 'role.submitted', by: 'U-req', at: T0 + H, roleArn: ROLE_ARN }, text.botCreatesRole());
    refusedWith(creating, { type: 'cancel', by: 'U-req', at: T0 + H }, text.cancelWhileRunning('creating_role'));
  });

  it('rejecting the plan ends it with the reason', () => {
    const step = apply(begin().state, { type: 'plan.rejected', by: 'U-ok', at: T0 + H, reason: ' wrong account ' });
    assert.equal(step.state.phase, 'rejected');
    assert.deepEqual(step.state.decisions.plan, { outcome: 'rejected', by: 'U-ok', at: T0 + H, reason: 'wrong account' });
    assert.equal(only(step, 'notify').notification.text, text.rejected(ID, 'U-ok', 'wrong account'));
    assert.equal(isOpen(step.state.phase), false);
  });

  it('rejecting the role ARN deletes the role the bot created, then ends rejected', () => {
    let s = apply(begin().state, { type: 'plan.approved', by: 'U-ok', at: T0 + H }).state;
    s = apply(s, done(s, { kind: 'iam.ensureRole', value: { arn: ROLE_ARN, created: true } })).state;
    let step = apply(s, { type: 'arn.rejected', by: 'U-ok', at: T0 + 3 * H, reason: 'not now' });
    s = step.state;
    assert.equal(s.phase, 'rolling_back');
    const del = only(step, 'iam.deleteRole');
    assert.equal(del.id, `${ID}:rollback-role`);
    assert.equal(del.roleArn, ROLE_ARN);
    step = apply(s, done(s, { kind: 'iam.deleteRole', value: { deleted: true } }));
    assert.equal(step.state.phase, 'rejected');
    assert.equal(only(step, 'notify').notification.text, text.rejected(ID, 'U-ok', 'not now'));
  });

  it('never deletes a role the bot did not create', () => {
    let s = apply(begin().state, { type: 'plan.approved', by: 'U-ok', at: T0 + H }).state;
    s = apply(s, done(s, { kind: 'iam.ensureRole', value: { arn: ROLE_ARN, created: false } })).state;
    const step = apply(s, { type: 'cancel', by: 'U-req', at: T0 + 3 * H });
    assert.equal(step.state.phase, 'cancelled');
    assert.deepEqual(kinds(step.effects), [`notify ${ID}:notify:cancelled:${step.state.version}`]);
  });

  it('fails with the step, retries it with a new journal id and the same op id, and rolls back on cancel', () => {
    let s = apply(begin().state, { type: 'plan.approved', by: 'U-ok', at: T0 + H }).state;
    s = apply(s, done(s, { kind: 'iam.ensureRole', value: { arn: ROLE_ARN, created: true } })).state;
    s = apply(s, { type: 'arn.approved', by: 'U-ok', at: T0 + 3 * H }).state;
    let step = apply(s, failed(s, 'forbidden', 'Sentinel may not write data connectors.'));
    s = step.state;
    assert.equal(s.phase, 'failed');
    assert.deepEqual(s.failure, {
      step: 'connecting',
      effectId: `${ID}:connector`,
      code: 'forbidden',
      message: 'Sentinel may not write data connectors.',
      at: T0 + 2 * H,
    });
    assert.equal(only(step, 'notify').notification.text, text.failed(ID, 'connecting', 'Sentinel may not write data connectors.'));

    step = apply(s, { type: 'retry', by: 'U-req', at: T0 + 5 * H });
    s = step.state;
    assert.equal(s.phase, 'connecting');
    const conn = only(step, 'sentinel.ensureConnector');
    assert.equal(conn.id, `${ID}:connector#1`);
    assert.equal(conn.opId, `${ID}:connector`);

    s = apply(s, failed(s, 'unavailable', 'ARM timed out.')).state;
    step = apply(s, { type: 'cancel', by: 'U-req', at: T0 + 6 * H });
    s = step.state;
    assert.equal(s.phase, 'rolling_back');
    const delConn = only(step, 'sentinel.deleteConnector');
    assert.equal(delConn.connectorOpId, `${ID}:connector`);
    assert.equal(delConn.connectorId, undefined, 'the connector ID is derived from the op id when creation never answered');
    assert.equal(delConn.id, `${ID}:rollback-connector#1`);
    step = apply(s, done(s, { kind: 'sentinel.deleteConnector', value: { deleted: false } }));
    s = step.state;
    assert.equal(s.phase, 'rolling_back');
    only(step, 'iam.deleteRole');
    step = apply(s, done(s, { kind: 'iam.deleteRole', value: { deleted: true } }));
    assert.equal(step.state.phase, 'cancelled');
    assert.equal(step.state.cancelledBy, 'U-req');
  });

  it('no first events by the deadline is a failure with the likely causes; retry waits again', () => {
    let s = apply(begin().state, { type: 'plan.approved', by: 'U-ok', at: T0 + H }).state;
    s = apply(s, done(s, { kind: 'iam.ensureRole', value: { arn: ROLE_ARN, created: true } })).state;
    s = apply(s, { type: 'arn.approved', by: 'U-ok', at: T0 + 3 * H }).state;
    s = apply(s, done(s, { kind: 'sentinel.ensureConnector', value: connector() })).state;
    const causes = ['No trail logs management events in this account.'];
    s = apply(
      s,
      done(s, { kind: 'logs.awaitFirstEvents', value: { timedOut: true, likelyCauses: causes, healthErrors: ['AccessDenied'] } }),
    ).state;
    assert.equal(s.phase, 'failed');
    assert.equal(s.failure?.step, 'verifying');
    assert.equal(s.failure?.code, 'timed_out');
    assert.deepEqual(s.failure?.likelyCauses, causes);
    assert.equal(s.failure?.message, text.noEventsYet(causes, ['AccessDenied']));
    const step = apply(s, { type: 'retry', by: 'U-ok', at: T0 + 10 * H });
    assert.equal(only(step, 'logs.awaitFirstEvents').deadline, T0 + 12 * H);
  });

  it('a role with another ARN than planned fails the step', () => {
    let s = apply(begin().state, { type: 'plan.approved', by: 'U-ok', at: T0 + H }).state;
    s = apply(s, done(s, { kind: 'iam.ensureRole', value: { arn: `${ROLE_ARN}X`, created: true } })).state;
    assert.equal(s.phase, 'failed');
    assert.equal(s.failure?.message, text.roleArnDiffers(`${ROLE_ARN}X`, ROLE_ARN));
    assert.equal(s.roleCreatedByBot, true, 'so that cancelling still deletes it');
  });
});

describe('the onboarding machine: self-service', () => {
  function awaitingRole(): Onboarding {
    const step = apply(begin('self_service').state, { type: 'plan.approved', by: 'U-ok', at: T0 + H });
    assert.equal(step.state.phase, 'creating_role');
    assert.equal(step.state.expiresAt, T0 + 25 * H);
    assert.equal(only(step, 'notify').notification.text, text.roleNeeded(ID, 'MicrosoftSentinelCloudTrail-prod-sec'));
    return step.state;
  }

  it('refuses a malformed ARN, another partition or another account at once', () => {
    const s = awaitingRole();
    const submit = (roleArn: string): OnboardingEvent => ({ type: 'role.submitted', by: 'U-req', at: T0 + 2 * H, roleArn });
    refusedWith(s, submit('arn:aws:iam::012345678901:user/x'), text.arnNotIamRole('arn:aws:iam::012345678901:user/x'));
    refusedWith(s, submit('arn:aws-us-gov:iam::012345678901:role/R'), text.arnGovCloud('arn:aws-us-gov:iam::012345678901:role/R'));
    refusedWith(
      s,
      submit('arn:aws:iam::111122223333:role/R'),
      text.arnAccountMismatch('arn:aws:iam::111122223333:role/R', '111122223333', ACCOUNT),
    );
  });

  it('inspects the submitted role; a mismatch is named and the requester may submit again; a match goes to the approvers', () => {
    let s = awaitingRole();
    let step = apply(s, { type: 'role.submitted', by: 'U-req', at: T0 + 2 * H, roleArn: ROLE_ARN });
    s = step.state;
    const inspect = only(step, 'iam.inspectRole');
    assert.equal(inspect.id, `${ID}:inspect-1`);
    assert.equal(inspect.roleArn, ROLE_ARN);
    refusedWith(s, { type: 'role.submitted', by: 'U-req', at: T0 + 2 * H, roleArn: ROLE_ARN }, text.roleBeingChecked());

    const bad = observed({ trustPolicyJson: trustPolicyJson('00000000-0000-0000-0000-000000000000') });
    step = apply(s, done(s, { kind: 'iam.inspectRole', value: bad }));
    s = step.state;
    assert.equal(s.phase, 'creating_role');
    assert.equal(s.submission, undefined);
    assert.equal(s.roleCheck?.mismatches.length, 1);
    assert.equal(
      only(step, 'notify').notification.text,
      text.roleMismatch(ROLE_ARN, [text.externalIdWrong('00000000-0000-0000-0000-000000000000', WORKSPACE_ID, 'prod-sec')]),
    );

    step = apply(s, { type: 'role.submitted', by: 'U-req', at: T0 + 3 * H, roleArn: ROLE_ARN });
    s = step.state;
    assert.equal(only(step, 'iam.inspectRole').id, `${ID}:inspect-2`);
    step = apply(s, done(s, { kind: 'iam.inspectRole', value: null }));
    s = step.state;
    assert.equal(only(step, 'notify').notification.text, text.roleNotFound(ROLE_ARN));

    s = apply(s, { type: 'role.submitted', by: 'U-req', at: T0 + 4 * H, roleArn: ROLE_ARN }).state;
    step = apply(s, done(s, { kind: 'iam.inspectRole', value: observed() }));
    s = step.state;
    assert.equal(s.phase, 'awaiting_arn_approval');
    assert.equal(s.roleArn, ROLE_ARN);
    assert.equal(s.roleCreatedByBot, false);
    assert.equal(s.roleSubmittedBy, 'U-req');
    assert.deepEqual(s.roleCheck, { arn: ROLE_ARN, checked: true, found: true, mismatches: [] });
    assert.equal(only(step, 'notify').notification.text, text.arnReady(ID, ROLE_ARN, true));

    s = apply(s, { type: 'arn.approved', by: 'U-ok', at: T0 + 5 * H }).state;
    assert.equal(s.phase, 'connecting');
  });

  it('a role the bot may not read goes to the approvers marked unchecked', () => {
    let s = awaitingRole();
    s = apply(s, { type: 'role.submitted', by: 'U-req', at: T0 + 2 * H, roleArn: ROLE_ARN }).state;
    const step = apply(s, failed(s, 'forbidden', 'iam:GetRole is not allowed'));
    assert.equal(step.state.phase, 'awaiting_arn_approval');
    assert.deepEqual(step.state.roleCheck, {
      arn: ROLE_ARN,
      checked: false,
      found: false,
      mismatches: [],
      note: 'iam:GetRole is not allowed',
    });
    assert.equal(
      only(step, 'notify').notification.text,
      `${text.arnReady(ID, ROLE_ARN, false)} ${text.roleUnchecked('iam:GetRole is not allowed')}`,
    );
  });

  it('expires when no role is submitted in time, and nothing is deleted', () => {
    const s = awaitingRole();
    refusedWith(s, { type: 'expire', at: T0 + 24 * H }, text.notNow('creating_role', 'expire', 'self_service'));
    const step = apply(s, { type: 'expire', at: T0 + 25 * H });
    assert.equal(step.state.phase, 'expired');
    assert.deepEqual(kinds(step.effects), [`notify ${ID}:notify:expired:${step.state.version}`]);
  });

  it('after disconnect keeps the requester role (only the connector goes)', () => {
    let s = awaitingRole();
    s = apply(s, { type: 'role.submitted', by: 'U-req', at: T0 + 2 * H, roleArn: ROLE_ARN }).state;
    s = apply(s, done(s, { kind: 'iam.inspectRole', value: observed() })).state;
    s = apply(s, { type: 'arn.approved', by: 'U-ok', at: T0 + 3 * H }).state;
    s = apply(s, done(s, { kind: 'sentinel.ensureConnector', value: connector() })).state;
    s = apply(s, done(s, { kind: 'logs.awaitFirstEvents', value: { timedOut: false, events: [] } })).state;
    s = apply(s, { type: 'disconnect.requested', by: 'U-req', at: T0 + 5 * H }).state;
    let step = apply(s, { type: 'disconnect.approved', by: 'U-ok', at: T0 + 6 * H });
    s = step.state;
    only(step, 'sentinel.deleteConnector');
    step = apply(s, done(s, { kind: 'sentinel.deleteConnector', value: { deleted: true } }));
    assert.equal(step.state.phase, 'disconnected');
  });
});

describe('the onboarding machine: expiry and disconnect', () => {
  it('expires a plan nobody decided, and an ARN approval (rolling back the role)', () => {
    const s = begin().state;
    refusedWith(s, { type: 'expire', at: T0 + 24 * H - 1 }, text.notNow('awaiting_plan_approval', 'expire', 'bot_provisioned'));
    assert.equal(apply(s, { type: 'expire', at: T0 + 24 * H }).state.phase, 'expired');

    let b = apply(s, { type: 'plan.approved', by: 'U-ok', at: T0 + H }).state;
    b = apply(b, done(b, { kind: 'iam.ensureRole', value: { arn: ROLE_ARN, created: true } })).state;
    const step = apply(b, { type: 'expire', at: b.expiresAt! });
    assert.equal(step.state.phase, 'rolling_back');
    only(step, 'iam.deleteRole');
  });

  it('disconnect is approval-gated: deletes the connector, then the role the bot created', () => {
    let s = connectedBot();
    refusedWith(s, { type: 'cancel', by: 'U-req', at: T0 + 9 * H }, text.cancelConnected());
    let step = apply(s, { type: 'disconnect.requested', by: 'U-req', at: T0 + 9 * H });
    s = step.state;
    assert.equal(s.phase, 'awaiting_disconnect_approval');
    assert.deepEqual(s.disconnect, { requestedBy: 'U-req', requestedAt: T0 + 9 * H, round: 1 });
    assert.equal(only(step, 'notify').notification.audience, 'approvers');

    step = apply(s, { type: 'disconnect.approved', by: 'U-ok', at: T0 + 10 * H });
    s = step.state;
    assert.equal(s.phase, 'disconnecting');
    const delConn = only(step, 'sentinel.deleteConnector');
    assert.equal(delConn.id, `${ID}:disconnect-connector`);
    assert.equal(delConn.connectorId, 'c-1');
    step = apply(s, done(s, { kind: 'sentinel.deleteConnector', value: { deleted: true } }));
    s = step.state;
    assert.equal(only(step, 'iam.deleteRole').id, `${ID}:disconnect-role`);
    step = apply(s, done(s, { kind: 'iam.deleteRole', value: { deleted: true } }));
    assert.equal(step.state.phase, 'disconnected');
    assert.equal(only(step, 'notify').notification.text, text.disconnected(ID));
  });

  it('a rejected or expired disconnect leaves it connected', () => {
    let s = connectedBot();
    s = apply(s, { type: 'disconnect.requested', by: 'U-req', at: T0 + 9 * H }).state;
    const rejected = apply(s, { type: 'disconnect.rejected', by: 'U-ok', at: T0 + 10 * H, reason: 'still needed' });
    assert.equal(rejected.state.phase, 'connected');
    assert.equal(rejected.state.disconnect, undefined);
    assert.equal(only(rejected, 'notify').notification.text, text.disconnectRejected(ID, 'U-ok', 'still needed'));
    const expired = apply(s, { type: 'expire', at: T0 + 33 * H });
    assert.equal(expired.state.phase, 'connected');
    assert.equal(only(expired, 'notify').notification.text, text.disconnectExpired(ID));
    // A second request is a new round: a new decision step.
    const again = apply(rejected.state, { type: 'disconnect.requested', by: 'U-req', at: T0 + 11 * H }).state;
    assert.equal(again.disconnect?.round, 2);
    assert.equal(again.decisions.disconnect, undefined);
  });
});

describe('the onboarding machine: as data', () => {
  it('is pure: the same state and event give the same step', () => {
    const s = begin().state;
    const e: OnboardingEvent = { type: 'plan.approved', by: 'U-ok', at: T0 + H };
    assert.deepEqual(transition(s, e), transition(s, e));
  });

  it('round-trips its state through JSON and carries on identically (rehydration)', () => {
    let s = apply(begin().state, { type: 'plan.approved', by: 'U-ok', at: T0 + H }).state;
    const restored = JSON.parse(JSON.stringify(s)) as Onboarding;
    assert.deepEqual(restored, s);
    const e = done(s, { kind: 'iam.ensureRole', value: { arn: ROLE_ARN, created: true } });
    assert.deepEqual(transition(restored, e), transition(s, e));
    s = connectedBot();
    assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  });

  it('knows which phases hold the (account, workspace) slot', () => {
    for (const p of PHASES) assert.equal(isOpen(p), !(CLOSED_PHASES as readonly string[]).includes(p), p);
  });
});
