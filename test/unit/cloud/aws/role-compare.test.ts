import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allDifferences, canonicalPolicy, compareRole, trustPolicyDifferences } from '../../../../src/cloud/aws/role-compare.ts';
import type { ObservedRole } from '../../../../src/core/onboarding/gateways.ts';

const WS = '8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e';
const POLICY = 'arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess';
const planned = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::197857026523:root' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': WS } },
    },
  ],
};
const withStatement = (patch: Record<string, unknown>) =>
  JSON.stringify({ ...planned, Statement: [{ ...planned.Statement[0], ...patch }] });

describe('canonicalPolicy', () => {
  test('reads policies by meaning: key order, single values vs lists, account-ID principals, Sid, action case', () => {
    const a = canonicalPolicy(planned);
    const b = canonicalPolicy({
      Statement: {
        Sid: 'x',
        Condition: { StringEquals: { 'STS:EXTERNALID': [WS] } },
        Action: ['STS:AssumeRole'],
        Principal: { AWS: ['197857026523'] },
        Effect: 'Allow',
      },
      Version: '2012-10-17',
    });
    assert.equal(a.text, b.text);
  });

  test('a missing Version is 2008-10-17, as IAM reads it', () => {
    assert.equal(canonicalPolicy({ Statement: [] }).version, '2008-10-17');
  });

  test('text that is not a policy throws', () => {
    assert.throws(() => canonicalPolicy('[1]'), TypeError);
    assert.throws(() => canonicalPolicy('{'), SyntaxError);
  });
});

describe('trustPolicyDifferences', () => {
  test('none for the same policy', () => {
    assert.deepEqual(trustPolicyDifferences(JSON.stringify(planned), JSON.stringify(planned)), []);
  });

  test('names the principal, the action, and an extra condition', () => {
    assert.deepEqual(
      trustPolicyDifferences(
        JSON.stringify(planned),
        withStatement({
          Principal: { AWS: '*' },
          Action: 'sts:*',
          Condition: { StringEquals: { 'sts:ExternalId': WS }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        }),
      ),
      [
        `the trust policy's Principal is {"AWS":["*"]}; the plan has {"AWS":["arn:aws:iam::197857026523:root"]}`,
        `the trust policy's Action is "sts:*"; the plan has "sts:assumerole"`,
        'the trust policy has an extra condition Bool aws:multifactorauthpresent = "true" that the plan does not have',
      ],
    );
  });

  test('a weaker operator on the external ID is named', () => {
    assert.deepEqual(
      trustPolicyDifferences(JSON.stringify(planned), withStatement({ Condition: { StringLike: { 'sts:ExternalId': '*' } } })),
      [
        `the trust policy does not require sts:ExternalId = "${WS}" (the workspace ID)`,
        'the trust policy has an extra condition StringLike sts:ExternalId = "*" that the plan does not have',
      ],
    );
  });

  test('several statements: one sentence with both policies', () => {
    const two = JSON.stringify({
      ...planned,
      Statement: [planned.Statement[0], { ...planned.Statement[0], Principal: { AWS: '111122223333' } }],
    });
    const [only, ...rest] = trustPolicyDifferences(JSON.stringify(planned), two);
    assert.deepEqual(rest, []);
    assert.match(only, /^the trust policy differs from the plan: it is .*111122223333.*; the plan has /);
  });

  test('unreadable text is named as such', () => {
    assert.deepEqual(trustPolicyDifferences(JSON.stringify(planned), 'not json'), [
      'the trust policy is not valid JSON policy text: not json',
    ]);
  });
});

describe('compareRole', () => {
  const role = (patch: Partial<ObservedRole> = {}): ObservedRole => ({
    arn: 'arn:aws:iam::012345678901:role/R',
    accountId: '012345678901',
    roleName: 'R',
    path: '/',
    trustPolicyJson: JSON.stringify(planned),
    managedPolicyArns: [POLICY],
    tags: [{ key: 'a', value: '1' }],
    ...patch,
  });
  const plan = {
    roleName: 'R',
    path: '/',
    trustPolicy: JSON.stringify(planned),
    managedPolicyArns: [POLICY],
    tags: [{ key: 'a', value: '1' }],
  };

  test('the same role: no differences; extra tags are not differences', () => {
    assert.deepEqual(
      compareRole(
        plan,
        role({
          tags: [
            { key: 'a', value: '1' },
            { key: 'owner', value: 'x' },
          ],
        }),
      ),
      {
        mismatches: [],
        missingPolicies: [],
        missingTags: [],
      },
    );
  });

  test('missing policies and tags converge; extra policies, other tag values and paths do not', () => {
    const c = compareRole(
      { ...plan, tags: [...plan.tags, { key: 'b', value: '2' }] },
      role({ path: '/x/', managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], tags: [{ key: 'a', value: '9' }] }),
    );
    assert.deepEqual(c.missingPolicies, [POLICY]);
    assert.deepEqual(c.missingTags, [{ key: 'b', value: '2' }]);
    assert.deepEqual(c.mismatches, [
      "the role's path is /x/; the plan has /",
      'the role has the policy arn:aws:iam::aws:policy/ReadOnlyAccess attached, which the plan does not have',
      `the role's tag a is "9"; the plan has "1"`,
    ]);
    assert.deepEqual(allDifferences(c).slice(3), [`the role lacks the planned policy ${POLICY}`, 'the role lacks the planned tag b="2"']);
  });
});
