import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChatopsError } from '../../../../src/core/errors.ts';
import { buildPlan, defaultRoleName, planProblems, roleSpecOf } from '../../../../src/core/onboarding/plan.ts';
import { text } from '../../../../src/core/onboarding/text.ts';
import { WORKSPACE } from './fixtures.ts';

describe('the onboarding plan', () => {
  it('has the facts: trust policy, managed policy, default name and tags, role ARN', () => {
    const plan = buildPlan({ accountId: '012345678901', workspace: WORKSPACE });
    assert.equal(plan.roleName, 'MicrosoftSentinelCloudTrail-prod-sec');
    assert.equal(plan.path, '/');
    assert.equal(plan.roleArn, 'arn:aws:iam::012345678901:role/MicrosoftSentinelCloudTrail-prod-sec');
    assert.deepEqual(plan.trustPolicy, {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::197857026523:root' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': '8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e' } },
        },
      ],
    });
    assert.deepEqual(plan.managedPolicyArns, ['arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess']);
    assert.deepEqual(plan.tags, [
      { key: 'purpose', value: 'microsoft-sentinel-cloudtrail' },
      { key: 'sentinel-workspace', value: 'prod-sec' },
    ]);
    assert.equal(plan.workspace.workspaceId, '8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e');
  });

  it('takes a role name, a path and tags; a requested tag replaces a default one with the same key', () => {
    const plan = buildPlan({
      accountId: '012345678901',
      workspace: WORKSPACE,
      roleName: 'SentinelReader',
      path: '/security/',
      tags: [
        { key: 'Purpose', value: 'soc' },
        { key: 'team', value: 'blue' },
      ],
    });
    assert.equal(plan.roleArn, 'arn:aws:iam::012345678901:role/security/SentinelReader');
    assert.deepEqual(plan.tags, [
      { key: 'sentinel-workspace', value: 'prod-sec' },
      { key: 'Purpose', value: 'soc' },
      { key: 'team', value: 'blue' },
    ]);
  });

  it('cuts the default name to 64 characters', () => {
    assert.equal(defaultRoleName('w'.repeat(63)).length, 64);
  });

  it('refuses bad input with every problem at once', () => {
    const input = {
      accountId: '12345',
      workspace: { ...WORKSPACE, workspaceId: 'not-a-guid' },
      roleName: 'bad name',
      tags: [{ key: 'aws:x', value: 'v' }],
    };
    const problems = [
      text.accountIdInvalid('12345'),
      text.workspaceIdInvalid('not-a-guid'),
      text.roleNameChars('bad name', [' ']),
      text.tagKeyAwsPrefix('aws:x'),
    ];
    assert.deepEqual(planProblems(input), problems);
    assert.throws(
      () => buildPlan(input),
      (err: unknown) =>
        err instanceof ChatopsError && err.code === 'bad_input' && err.userText === [text.invalidPlan(4), ...problems].join('\n'),
    );
  });

  it('gives ensureRole the role with the owner tag apart from the planned tags', () => {
    const plan = buildPlan({ accountId: '012345678901', workspace: WORKSPACE });
    const spec = roleSpecOf(plan, 'ob-1');
    assert.equal(spec.roleName, plan.roleName);
    assert.deepEqual(JSON.parse(spec.trustPolicy), plan.trustPolicy);
    assert.deepEqual(spec.ownerTag, { key: 'sentinel-chatops:onboarding', value: 'ob-1' });
    assert.ok(!spec.tags.some((t) => t.key === spec.ownerTag.key));
  });

  it('is plain JSON', () => {
    const plan = buildPlan({ accountId: '012345678901', workspace: WORKSPACE });
    assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
  });
});
