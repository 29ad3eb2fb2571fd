import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ANYONE,
  type ApprovalPolicy,
  attemptOn,
  type DecisionAttempt,
  failedRequirement,
  policyFor,
  refuseDecision,
  refuseParticipant,
  refuseRequest,
} from '../../../../src/core/onboarding/approval-policy.ts';
import { start } from '../../../../src/core/onboarding/machine.ts';
import { buildPlan } from '../../../../src/core/onboarding/plan.ts';
import { text } from '../../../../src/core/onboarding/text.ts';
import { ACCOUNT, WORKSPACE } from './fixtures.ts';

const T0 = Date.parse('2026-01-05T09:00:00Z');
const POLICY: ApprovalPolicy = { approvers: { users: ['U-alice', 'U-bob'], groups: ['G-secops'] } };

const base: DecisionAttempt = {
  workspace: 'prod-sec',
  actor: { userId: 'U-alice' },
  outcome: 'approved',
  at: T0,
  initiators: ['U-req'],
  expiresAt: T0 + 1000,
};

describe('approval requirements', () => {
  const table: { name: string; policy?: ApprovalPolicy; attempt: Partial<DecisionAttempt>; want: string | undefined }[] = [
    { name: 'an approver who did not request it may approve', attempt: {}, want: undefined },
    { name: 'an approver through a group may approve', attempt: { actor: { userId: 'U-carol', groups: ['G-secops'] } }, want: undefined },
    {
      name: 'self-approval is refused (two-person rule)',
      attempt: { actor: { userId: 'U-alice' }, initiators: ['U-alice'] },
      want: text.selfApproval(),
    },
    {
      name: 'approving a role ARN one submitted oneself is refused',
      attempt: { actor: { userId: 'U-bob' }, initiators: ['U-req', 'U-bob'] },
      want: text.selfApproval(),
    },
    {
      name: 'with the two-person rule off, the requester may approve',
      policy: { ...POLICY, twoPersonRule: false },
      attempt: { initiators: ['U-alice'] },
      want: undefined,
    },
    {
      name: 'the requester may reject their own request',
      attempt: { outcome: 'rejected', initiators: ['U-alice'], reason: 'typo' },
      want: undefined,
    },
    {
      name: 'a non-approver is refused',
      attempt: { actor: { userId: 'U-mallory', groups: ['G-dev'] } },
      want: text.notApprover('prod-sec'),
    },
    {
      name: 'a workspace without approvers approves nothing',
      policy: { approvers: { users: [], groups: [] } },
      attempt: {},
      want: text.noApprovers('prod-sec'),
    },
    { name: 'a workspace without a policy approves nothing', policy: undefined, attempt: {}, want: text.noApprovers('prod-sec') },
    { name: 'an expired request is refused', attempt: { at: T0 + 1000 }, want: text.approvalExpired(T0 + 1000) },
    {
      name: 'an already decided step is refused, saying by whom and when',
      attempt: { decided: { outcome: 'approved', by: 'U-bob', at: T0 - 5000 } },
      want: text.alreadyDecided('approved', 'U-bob', T0 - 5000),
    },
    {
      name: 'already decided comes first, even for a non-approver',
      attempt: { actor: { userId: 'U-mallory' }, decided: { outcome: 'rejected', by: 'U-bob', at: T0 - 5000 } },
      want: text.alreadyDecided('rejected', 'U-bob', T0 - 5000),
    },
    { name: 'a rejection needs a reason', attempt: { outcome: 'rejected', reason: ' ' }, want: text.reasonRequired() },
  ];
  for (const row of table)
    it(row.name, () => {
      const policy = 'policy' in row ? row.policy : POLICY;
      assert.equal(refuseDecision(policy, { ...base, ...row.attempt }), row.want);
    });

  it('the sentences read as they should', () => {
    assert.equal(text.selfApproval(), 'You cannot approve your own request: the two-person rule needs another approver to decide.');
    assert.equal(text.notApprover('prod-sec'), 'You are not an approver for workspace prod-sec; ask one of its approvers.');
    assert.equal(
      text.approvalExpired(Date.parse('2026-01-06T09:00:00Z')),
      'This request expired at 2026-01-06 09:00:00 UTC; request it again.',
    );
    assert.equal(
      text.alreadyDecided('approved', 'U-bob', Date.parse('2026-01-05T09:15:30Z')),
      'Already approved by U-bob at 2026-01-05 09:15:30 UTC.',
    );
  });

  it('names the requirement that failed', () => {
    assert.deepEqual(failedRequirement(POLICY, { ...base, initiators: ['U-alice'] }), {
      requirement: 'distinct_approver',
      refusal: text.selfApproval(),
    });
  });
});

describe('the anyone wildcard', () => {
  it('"*" among approvers admits anyone, and the two-person rule still refuses the requester', () => {
    const anyone: ApprovalPolicy = { approvers: { users: [ANYONE], groups: [] } };
    assert.equal(refuseDecision(anyone, { ...base, actor: { userId: 'U-stranger' } }), undefined);
    assert.equal(refuseDecision(anyone, { ...base, actor: { userId: 'U-req' } }), text.selfApproval());
    assert.equal(refuseRequest({ ...POLICY, requesters: { users: [ANYONE], groups: [] } }, { userId: 'U-x' }, 'prod-sec'), undefined);
  });
});

describe('who may request and act', () => {
  it('anyone may request unless requesters are listed', () => {
    assert.equal(refuseRequest(POLICY, { userId: 'U-x' }, 'prod-sec'), undefined);
    const listed: ApprovalPolicy = { ...POLICY, requesters: { users: ['U-req'], groups: ['G-cloud'] } };
    assert.equal(refuseRequest(listed, { userId: 'U-req' }, 'prod-sec'), undefined);
    assert.equal(refuseRequest(listed, { userId: 'U-y', groups: ['G-cloud'] }, 'prod-sec'), undefined);
    assert.equal(refuseRequest(listed, { userId: 'U-x' }, 'prod-sec'), text.notRequester('prod-sec'));
  });

  it('the requester or an approver may cancel, retry, submit or ask to disconnect', () => {
    const s = start({
      id: 'ob',
      mode: 'self_service',
      plan: buildPlan({ accountId: ACCOUNT, workspace: WORKSPACE }),
      requestedBy: 'U-req',
      at: T0,
    }).state;
    assert.equal(refuseParticipant(POLICY, { userId: 'U-req' }, s), undefined);
    assert.equal(refuseParticipant(POLICY, { userId: 'U-bob' }, s), undefined);
    assert.equal(refuseParticipant(POLICY, { userId: 'U-x' }, s), text.notParticipant('prod-sec'));
  });

  it('finds the workspace policy, or the * one', () => {
    const policies = { 'prod-sec': POLICY, '*': { approvers: { users: ['U-root'], groups: [] } } };
    assert.equal(policyFor(policies, 'prod-sec'), POLICY);
    assert.equal(policyFor(policies, 'other'), policies['*']);
    assert.equal(policyFor({}, 'other'), undefined);
  });

  it('builds the attempt from the onboarding: initiators, deadline, decision taken', () => {
    const s = start({
      id: 'ob',
      mode: 'bot_provisioned',
      plan: buildPlan({ accountId: ACCOUNT, workspace: WORKSPACE }),
      requestedBy: 'U-req',
      at: T0,
    }).state;
    const a = attemptOn(s, 'plan.approved', { userId: 'U-req' }, T0 + 1);
    assert.deepEqual(a?.initiators, ['U-req']);
    assert.equal(a?.expiresAt, s.expiresAt);
    assert.equal(refuseDecision(POLICY, a!), text.notApprover('prod-sec'));
    assert.equal(attemptOn(s, 'cancel', { userId: 'U-req' }, T0), undefined);
  });
});
