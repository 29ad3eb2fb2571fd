import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { buildPlan } from '../../../../src/core/onboarding/plan.ts';
import {
  cloudFormationTemplate,
  ROLE_LOGICAL_ID,
  renderAwsCli,
  renderCloudFormation,
  renderPlanText,
  shellQuote,
} from '../../../../src/core/onboarding/plan-render.ts';
import { WORKSPACE } from './fixtures.ts';

const plan = buildPlan({
  accountId: '012345678901',
  workspace: WORKSPACE,
  tags: [
    { key: 'team', value: 'SOC blue' },
    { key: 'on', value: '0123' },
  ],
});

describe('rendering the plan', () => {
  it('shows role name, ARN, trust policy JSON, managed policy and tags', () => {
    const t = renderPlanText(plan);
    assert.match(t, /^Role name: MicrosoftSentinelCloudTrail-prod-sec$/m);
    assert.match(t, /^Role ARN: arn:aws:iam::012345678901:role\/MicrosoftSentinelCloudTrail-prod-sec$/m);
    assert.ok(t.includes(JSON.stringify(plan.trustPolicy, null, 2)));
    assert.match(t, /^Managed policy: arn:aws:iam::aws:policy\/AWSCloudTrail_ReadOnlyAccess$/m);
    assert.match(t, /^Tags: purpose=microsoft-sentinel-cloudtrail, sentinel-workspace=prod-sec, team=SOC blue, on=0123$/m);
  });

  it('writes a CloudFormation template whose YAML and JSON forms are the same template', () => {
    const template = cloudFormationTemplate(plan);
    assert.deepEqual(JSON.parse(renderCloudFormation(plan, 'json')), template);
    const yaml = renderCloudFormation(plan, 'yaml');
    assert.deepEqual(parseYaml(yaml), template);
    assert.match(yaml, /CAPABILITY_NAMED_IAM/);
    const role = (template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>)[ROLE_LOGICAL_ID];
    assert.equal(role.Type, 'AWS::IAM::Role');
    assert.deepEqual(role.Properties.AssumeRolePolicyDocument, plan.trustPolicy);
    assert.deepEqual(role.Properties.ManagedPolicyArns, plan.managedPolicyArns);
    assert.equal(role.Properties.RoleName, plan.roleName);
    // Values YAML 1.1 would misread stay strings.
    assert.deepEqual(
      role.Properties.Tags,
      plan.tags.map((t) => ({ Key: t.key, Value: t.value })),
    );
  });

  it('writes the AWS CLI commands for exactly the planned role', () => {
    const cli = renderAwsCli(plan);
    const policy = JSON.stringify(plan.trustPolicy);
    assert.ok(cli.includes(`aws iam create-role \\\n  --role-name MicrosoftSentinelCloudTrail-prod-sec`));
    assert.ok(cli.includes(`--assume-role-policy-document '${policy}'`));
    assert.ok(
      cli.includes(
        'aws iam attach-role-policy --role-name MicrosoftSentinelCloudTrail-prod-sec --policy-arn arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess',
      ),
    );
    const tags = JSON.stringify(plan.tags.map((t) => ({ Key: t.key, Value: t.value })));
    assert.ok(cli.includes(`aws iam tag-role --role-name MicrosoftSentinelCloudTrail-prod-sec --tags '${tags}'`));
  });

  it('quotes shell words safely', () => {
    assert.equal(shellQuote('abc/def'), 'abc/def');
    assert.equal(shellQuote('a b'), "'a b'");
    assert.equal(shellQuote("it's"), "'it'\\''s'");
  });
});
