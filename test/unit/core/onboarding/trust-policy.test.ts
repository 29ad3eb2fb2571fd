import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObservedRole } from '../../../../src/core/onboarding/gateways.ts';
import { text } from '../../../../src/core/onboarding/text.ts';
import {
  CLOUDTRAIL_READONLY_POLICY_ARN,
  CLOUDTRAIL_READONLY_POLICY_OLD_ARN,
  compareRole,
  type ExpectedRole,
  trustPolicyJson,
} from '../../../../src/core/onboarding/trust-policy.ts';

const WS = '8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e';
const RESOURCE_ID =
  '/subscriptions/0f0e0d0c-0b0a-0908-0706-050403020100/resourceGroups/sec-rg/providers/Microsoft.OperationalInsights/workspaces/sec-ws';
const EXPECTED: ExpectedRole = {
  accountId: '012345678901',
  workspaceId: WS,
  workspaceName: 'prod-sec',
  managedPolicyArns: [CLOUDTRAIL_READONLY_POLICY_ARN],
};

function role(trust: unknown, policies: string[] = [CLOUDTRAIL_READONLY_POLICY_ARN], accountId = '012345678901'): ObservedRole {
  return {
    arn: `arn:aws:iam::${accountId}:role/R`,
    accountId,
    roleName: 'R',
    path: '/',
    trustPolicyJson: typeof trust === 'string' ? trust : JSON.stringify(trust),
    managedPolicyArns: policies,
    tags: [],
  };
}

function statement(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::197857026523:root' },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'sts:ExternalId': WS } },
    ...over,
  };
}

const doc = (...statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });
const texts = (r: ObservedRole) => compareRole(EXPECTED, r).map((m) => m.text);

describe('comparing a submitted role with the plan', () => {
  it('finds nothing wrong with the planned role, however IAM writes it', () => {
    assert.deepEqual(compareRole(EXPECTED, role(trustPolicyJson(WS))), []);
    // The account as 12 digits, lists of one, another key order, a Sid, an extra Deny.
    const written = doc(
      {
        Sid: 'Sentinel',
        Condition: { StringEquals: { 'sts:externalid': [WS] } },
        Action: ['sts:AssumeRole'],
        Principal: { AWS: ['197857026523'] },
        Effect: 'Allow',
      },
      { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    );
    assert.deepEqual(compareRole(EXPECTED, role(written)), []);
  });

  it('names a wrong external ID, the resource ID, a case difference, a missing one and a weaker operator', () => {
    assert.deepEqual(
      texts(role(doc(statement({ Condition: { StringEquals: { 'sts:ExternalId': '00000000-0000-0000-0000-000000000000' } } })))),
      [text.externalIdWrong('00000000-0000-0000-0000-000000000000', WS, 'prod-sec')],
    );
    assert.deepEqual(texts(role(doc(statement({ Condition: { StringEquals: { 'sts:ExternalId': RESOURCE_ID } } })))), [
      text.externalIdIsResourceId(RESOURCE_ID, WS, 'prod-sec'),
    ]);
    assert.deepEqual(texts(role(doc(statement({ Condition: { StringEquals: { 'sts:ExternalId': WS.toUpperCase() } } })))), [
      text.externalIdCase(WS.toUpperCase(), WS),
    ]);
    assert.deepEqual(texts(role(doc(statement({ Condition: undefined })))), [text.externalIdMissing(WS, 'prod-sec')]);
    assert.deepEqual(texts(role(doc(statement({ Condition: { StringLike: { 'sts:ExternalId': '*' } } })))), [
      text.externalIdOperator('StringLike'),
      text.externalIdWrong('*', WS, 'prod-sec'),
    ]);
  });

  it('names other principals, and a policy that does not trust Microsoft', () => {
    assert.deepEqual(
      texts(role(doc(statement({ Principal: { AWS: ['arn:aws:iam::197857026523:root', 'arn:aws:iam::111122223333:root'] } })))),
      [text.trustsOtherPrincipal('arn:aws:iam::111122223333:root')],
    );
    assert.deepEqual(texts(role(doc(statement({ Principal: '*' })))), [text.trustsOtherPrincipal('*'), text.doesNotTrustMicrosoft()]);
    assert.deepEqual(texts(role(doc(statement({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } })))), [
      text.trustsOtherPrincipal('arn:aws:iam::111122223333:root'),
      text.doesNotTrustMicrosoft(),
    ]);
    assert.deepEqual(texts(role(doc(statement({ Principal: { Service: 'ec2.amazonaws.com' } })))), [
      text.trustsOtherPrincipal('Service:ec2.amazonaws.com'),
      text.doesNotTrustMicrosoft(),
    ]);
  });

  it('names a wrong or broader action', () => {
    assert.deepEqual(texts(role(doc(statement({ Action: 'sts:AssumeRoleWithSAML' })))), [text.actionMissing(['sts:AssumeRoleWithSAML'])]);
    assert.deepEqual(texts(role(doc(statement({ Action: ['sts:AssumeRole', 'sts:TagSession'] })))), [text.actionExtra(['sts:TagSession'])]);
    assert.deepEqual(texts(role(doc(statement({ Action: 'sts:*' })))), [text.actionExtra(['sts:*'])]);
  });

  it('names missing, old-named and extra managed policies, and another account', () => {
    assert.deepEqual(texts(role(trustPolicyJson(WS), [])), [text.policyMissing(CLOUDTRAIL_READONLY_POLICY_ARN)]);
    assert.deepEqual(texts(role(trustPolicyJson(WS), [CLOUDTRAIL_READONLY_POLICY_OLD_ARN])), [
      text.policyOldName(CLOUDTRAIL_READONLY_POLICY_OLD_ARN, CLOUDTRAIL_READONLY_POLICY_ARN),
    ]);
    assert.deepEqual(texts(role(trustPolicyJson(WS), [CLOUDTRAIL_READONLY_POLICY_ARN, 'arn:aws:iam::aws:policy/AdministratorAccess'])), [
      text.policyExtra('arn:aws:iam::aws:policy/AdministratorAccess'),
    ]);
    assert.deepEqual(texts(role(trustPolicyJson(WS), undefined, '111122223333')), [
      text.roleInOtherAccount('111122223333', '012345678901'),
    ]);
  });

  it('says when the trust policy cannot be read', () => {
    assert.deepEqual(texts(role('{not json')), [text.trustPolicyUnreadable()]);
    assert.deepEqual(texts(role({ Version: '2012-10-17' })), [text.trustPolicyUnreadable()]);
  });

  it('tags each mismatch with its kind', () => {
    const kinds = compareRole(
      EXPECTED,
      role(doc(statement({ Principal: { AWS: ['197857026523', '111122223333'] }, Action: 'sts:*', Condition: undefined })), []),
    ).map((m) => m.kind);
    assert.deepEqual(kinds, ['trust_principal', 'action', 'external_id', 'managed_policy']);
  });
});
