import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AwsCloudTrailRow } from '../../../../../src/cloud/logs/local/awscloudtrail-columns.ts';
import { mapCloudTrailRecord } from '../../../../../src/cloud/logs/local/cloudtrail-record.ts';
import { sampleRecords, TENANT } from './fixtures.ts';

function row(i: number, receivedAt?: number): AwsCloudTrailRow {
  const m = mapCloudTrailRecord(sampleRecords()[i], { tenantId: TENANT, receivedAt });
  assert.ok(m.ok, 'record maps');
  return m.row;
}

describe('mapCloudTrailRecord', () => {
  it('maps a console login without MFA', () => {
    const r = row(0);
    assert.equal(r.TimeGenerated, Date.parse('2024-03-06T21:01:59Z'));
    assert.equal(r.AwsEventId, '3fcfb182-98f8-4744-bd45-10a395ab61cb');
    assert.equal(r.EventSource, 'signin.amazonaws.com');
    assert.equal(r.EventName, 'ConsoleLogin');
    assert.equal(r.EventTypeName, 'AwsConsoleSignIn');
    assert.equal(r.UserIdentityType, 'IAMUser');
    assert.equal(r.UserIdentityUserName, 'Alice');
    assert.equal(r.UserIdentityAccountId, '012345678901', 'leading zero kept');
    assert.equal(r.RecipientAccountId, '012345678901');
    assert.equal(r.UserIdentityAccessKeyId, '');
    assert.equal(r.ResponseElements, '{"ConsoleLogin":"Success"}');
    assert.equal(
      r.AdditionalEventData,
      '{"LoginTo":"https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_examplestate","MobileVersion":"No","MFAUsed":"No"}',
    );
    assert.equal(r.RequestParameters, '', 'null requestParameters → ""');
    assert.equal(r.AwsRequestId, '', 'sign-in events have no requestID');
    assert.equal(r.SessionMfaAuthenticated, null, 'no session context → null');
    assert.equal(r.SessionCreationDate, null);
    assert.equal(r.ReadOnly, false);
    assert.equal(r.ManagementEvent, true);
    assert.equal(r.Category, 'Management');
    assert.equal(r.TlsVersion, 'TLSv1.3');
    assert.equal(r.CipherSuite, 'TLS_AES_128_GCM_SHA256');
    assert.equal(r.ClientProvidedHostHeader, 'signin.aws.amazon.com');
    assert.equal(r.ErrorCode, '');
    assert.equal(r.Type, 'AWSCloudTrail');
    assert.equal(r.TenantId, TENANT);
    assert.equal(r.SourceSystem, '');
    assert.equal(r.OperationName, '');
    assert.equal(r._ItemId, r.AwsEventId);
    assert.equal(r._TimeReceived, Date.parse('2024-03-06T21:06:59Z'), 'eventTime + 5 min by default');
    assert.equal(r._IsBillable, 'true');
    assert.ok(typeof r._BilledSize === 'number' && r._BilledSize > 300);
  });

  it('maps an assumed-role session with its issuer', () => {
    const r = row(1, Date.parse('2024-03-06T21:09:00Z'));
    assert.equal(r.UserIdentityType, 'AssumedRole');
    assert.equal(r.UserIdentityPrincipalid, 'AROAIN5ATK5U7KEXAMPLE:JohnRole1');
    assert.equal(r.UserIdentityArn, 'arn:aws:sts::012345678901:assumed-role/JohnDoe/JohnRole1');
    assert.equal(r.UserIdentityAccessKeyId, 'ASIAIOSFODNN7EXAMPLE');
    assert.equal(r.UserIdentityUserName, '');
    assert.equal(r.SessionMfaAuthenticated, true, '"true" → true');
    assert.equal(r.SessionCreationDate, Date.parse('2024-03-06T20:45:34Z'));
    assert.equal(r.SessionIssuerType, 'Role');
    assert.equal(r.SessionIssuerPrincipalId, 'AROAIN5ATK5U7KEXAMPLE');
    assert.equal(r.SessionIssuerArn, 'arn:aws:iam::012345678901:role/JohnDoe');
    assert.equal(r.SessionIssuerAccountId, '012345678901');
    assert.equal(r.SessionIssuerUserName, 'JohnDoe');
    assert.equal(r.EC2RoleDelivery, '2.0');
    assert.equal(
      r.RequestParameters,
      '{"roleArn":"arn:aws:iam::012345678901:role/Admin","roleSessionName":"admin-session","durationSeconds":3600}',
    );
    assert.match(r.ResponseElements, /^\{"credentials":\{"accessKeyId":"ASIAI44QH8DHBEXAMPLE",/);
    assert.equal(r.Resources, '[{"accountId":"012345678901","type":"AWS::IAM::Role","ARN":"arn:aws:iam::012345678901:role/Admin"}]');
    assert.equal(r.AwsRequestId, 'b96b0e4e-EXAMPLE');
    assert.equal(r.AwsRequestId_, 'b96b0e4e-EXAMPLE');
    assert.equal(r.SharedEventId, '8b3e9d7c-5a6f-4c1e-9b2d-0f1e2d3c4b5a');
    assert.equal(r.ReadOnly, true);
    assert.equal(r.EventVersion, '1.08');
    assert.equal(r._TimeReceived, Date.parse('2024-03-06T21:09:00Z'));
  });

  it('maps a CreateUser by the root user', () => {
    const r = row(2);
    assert.equal(r.UserIdentityType, 'Root');
    assert.equal(r.UserIdentityArn, 'arn:aws:iam::012345678901:root');
    assert.equal(r.UserIdentityPrincipalid, '012345678901');
    assert.equal(r.SessionMfaAuthenticated, false, '"false" → false');
    assert.equal(r.SessionIssuerType, '', 'empty sessionIssuer → ""');
    assert.equal(r.RequestParameters, '{"userName":"Bob"}');
    assert.equal(
      r.ResponseElements,
      '{"user":{"path":"/","userName":"Bob","userId":"AIDAJBOBEXAMPLE000001","arn":"arn:aws:iam::012345678901:user/Bob","createDate":"Mar 6, 2024, 9:12:45 PM"}}',
    );
    assert.equal(r.UserAgent, 'AWS Internal');
  });

  it('maps an AccessDenied error', () => {
    const r = row(3);
    assert.equal(r.ErrorCode, 'AccessDenied');
    assert.match(r.ErrorMessage, /^User: arn:aws:iam::012345678901:user\/Mary_Major is not authorized to perform: iam:AttachUserPolicy/);
    assert.equal(r.RequestParameters, '{"userName":"Bob","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}');
    assert.equal(r.ResponseElements, '');
  });

  it('maps onBehalfOf, VPC endpoints and service events', () => {
    const m = mapCloudTrailRecord(
      {
        eventID: 'e1',
        eventTime: '2024-01-01T00:00:00.123Z',
        userIdentity: {
          type: 'IdentityCenterUser',
          onBehalfOf: { userId: 'u-1', identityStoreArn: 'arn:aws:identitystore::1:identitystore/d-1' },
        },
        vpcEndpointId: 'vpce-1',
        serviceEventDetails: { keyId: 'k' },
        readOnly: 'true',
      },
      { tenantId: TENANT },
    );
    assert.ok(m.ok);
    assert.equal(m.row.TimeGenerated, Date.parse('2024-01-01T00:00:00.123Z'));
    assert.equal(m.row.UserIdentityUserId, 'u-1');
    assert.equal(m.row.UserIdentityStoreArn, 'arn:aws:identitystore::1:identitystore/d-1');
    assert.equal(m.row.VpcEndpointId, 'vpce-1');
    assert.equal(m.row.ServiceEventDetails, '{"keyId":"k"}');
    assert.equal(m.row.ReadOnly, true);
    assert.equal(m.row.ManagementEvent, null, 'absent bool → null');
    assert.equal(m.row.EventName, '');
  });

  it('reports malformed records instead of throwing', () => {
    const cases: [unknown, RegExp][] = [
      [null, /not a JSON object/],
      [[1, 2], /not a JSON object/],
      ['text', /not a JSON object/],
      [{ eventTime: '2024-01-01T00:00:00Z' }, /eventID/],
      [{ eventID: '', eventTime: '2024-01-01T00:00:00Z' }, /eventID/],
      [{ eventID: 'x' }, /eventTime/],
      [{ eventID: 'x', eventTime: 'yesterday' }, /eventTime/],
      [{ eventID: 'x', eventTime: '2024-13-45T99:00:00Z' }, /eventTime/],
      [{ eventID: 'x', eventTime: 1709758919000 }, /eventTime/],
    ];
    for (const [rec, reason] of cases) {
      const m = mapCloudTrailRecord(rec, { tenantId: TENANT });
      assert.equal(m.ok, false, JSON.stringify(rec));
      if (!m.ok) assert.match(m.reason, reason);
    }
  });
});
