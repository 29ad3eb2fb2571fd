/**
 * The trust policy the plan puts on the role, evaluated by an IAM policy simulator
 * (@cloud-copilot/iam-simulate): Microsoft's account 197857026523 presenting the Log Analytics
 * workspace ID as sts:ExternalId may assume the role; a wrong or missing external ID, the
 * workspace's resource ID in its place, or any other principal may not. The policy is the one
 * trust-policy.ts builds, exactly as CreateRole receives it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { trustPolicyJson } from '../../../../src/core/onboarding/trust-policy.ts';

const MICROSOFT_ACCOUNT = '197857026523';
const TARGET_ACCOUNT = '012345678901';
const WORKSPACE_ID = '8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e';
const RESOURCE_ID =
  '/subscriptions/0f0e0d0c-0b0a-0908-0706-050403020100/resourceGroups/sec-rg/providers/Microsoft.OperationalInsights/workspaces/sec-ws';
const ROLE_ARN = `arn:aws:iam::${TARGET_ACCOUNT}:role/MicrosoftSentinelRole`;

/** The trust policy the plan builder puts on the role: the JSON text CreateRole gets. */
function plannedTrustPolicy(workspaceId: string): object {
  return JSON.parse(trustPolicyJson(workspaceId)) as object;
}

type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/**
 * Simulates sts:AssumeRole on the role by `principal`. The caller's own account lets it call
 * sts:AssumeRole on anything, so the trust policy alone decides.
 */
async function assumeRole(trustPolicy: object, principal: string, externalId: string | undefined): Promise<Decision> {
  const simulation: Simulation = {
    identityPolicies: [
      {
        name: 'caller-may-assume-roles',
        policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] },
      },
    ],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: trustPolicy,
    request: {
      action: 'sts:AssumeRole',
      principal,
      resource: { accountId: TARGET_ACCOUNT, resource: ROLE_ARN },
      contextVariables: externalId === undefined ? {} : { 'sts:ExternalId': externalId },
    },
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') assert.fail(`the simulator refused the request: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}

describe('the planned trust policy under an IAM policy simulator', () => {
  const policy = plannedTrustPolicy(WORKSPACE_ID);

  test("Microsoft's account with the workspace ID as external ID may assume the role", async () => {
    assert.equal(await assumeRole(policy, `arn:aws:iam::${MICROSOFT_ACCOUNT}:root`, WORKSPACE_ID), 'Allowed');
  });

  test("a role in Microsoft's account (the principal is the account) with the workspace ID may assume it", async () => {
    assert.equal(await assumeRole(policy, `arn:aws:iam::${MICROSOFT_ACCOUNT}:role/SentinelConnector`, WORKSPACE_ID), 'Allowed');
  });

  test('a wrong external ID may not', async () => {
    assert.equal(
      await assumeRole(policy, `arn:aws:iam::${MICROSOFT_ACCOUNT}:root`, '00000000-0000-0000-0000-000000000000'),
      'ImplicitlyDenied',
    );
  });

  test('the external ID in another case may not (StringEquals is case-sensitive)', async () => {
    assert.equal(await assumeRole(policy, `arn:aws:iam::${MICROSOFT_ACCOUNT}:root`, WORKSPACE_ID.toUpperCase()), 'ImplicitlyDenied');
  });

  test('a missing external ID may not', async () => {
    assert.equal(await assumeRole(policy, `arn:aws:iam::${MICROSOFT_ACCOUNT}:root`, undefined), 'ImplicitlyDenied');
  });

  test("the workspace's resource ID in place of the workspace ID may not", async () => {
    assert.equal(await assumeRole(policy, `arn:aws:iam::${MICROSOFT_ACCOUNT}:root`, RESOURCE_ID), 'ImplicitlyDenied');
  });

  test('a role built with the resource ID as external ID (the common mistake) refuses Microsoft presenting the workspace ID', async () => {
    const mistaken = plannedTrustPolicy(RESOURCE_ID);
    assert.equal(await assumeRole(mistaken, `arn:aws:iam::${MICROSOFT_ACCOUNT}:root`, WORKSPACE_ID), 'ImplicitlyDenied');
  });

  test('any other principal may not, even with the right external ID', async () => {
    for (const principal of [
      'arn:aws:iam::111122223333:root',
      'arn:aws:iam::111122223333:user/attacker',
      `arn:aws:iam::${TARGET_ACCOUNT}:user/admin`,
      `arn:aws:iam::${TARGET_ACCOUNT}:root`,
    ])
      assert.equal(await assumeRole(policy, principal, WORKSPACE_ID), 'ImplicitlyDenied', principal);
  });

  test('the policy allows sts:AssumeRole only', async () => {
    const simulation: Simulation = {
      identityPolicies: [
        { name: 'all', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:*', Resource: '*' }] } },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
      request: {
        action: 'sts:TagSession',
        principal: `arn:aws:iam::${MICROSOFT_ACCOUNT}:root`,
        resource: { accountId: TARGET_ACCOUNT, resource: ROLE_ARN },
        contextVariables: { 'sts:ExternalId': WORKSPACE_ID },
      },
    };
    const response = await runSimulation(simulation, {});
    assert.notEqual(response.resultType, 'error');
    if (response.resultType !== 'error') assert.equal(response.overallResult, 'ImplicitlyDenied');
  });
});
