/**
 * The real detection and hunting queries of the Azure-Sentinel content repo
 * (test/fixtures/peer-queries). The 46 analytic-rule and hunting queries that
 * read only AWSCloudTrail must parse, and each must run on generated-like data
 * or fail with the clear "not supported" error; eleven of them are also checked
 * row by row on small fixtures built to trigger them, with near misses that
 * must not. Queries outside the subset fail with the same clear error.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ChatopsError } from '../../../src/core/errors.ts';
import type { ResultTable, WireValue } from '../../../src/core/result-table.ts';
import { analyze } from '../../../src/kql/kusto.ts';
import { ACCOUNT, assumedRole, ev, generatedTrail, OTHER_ACCOUNT, UA } from './cloudtrail-fixture.ts';
import {
  assertUnsupported,
  CLOUDTRAIL_COLUMNS,
  cloudTrail,
  DAY,
  MINUTE,
  NOW,
  primary,
  records,
  run,
  schemaOf,
  type TrailRow,
} from './helpers.ts';

const DIR = new URL('../../fixtures/peer-queries/', import.meta.url);
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.kql'))
  .map((f) => f.slice(0, -4))
  .sort();

/** Hunting queries take their window as '{{StartTimeISO}}' / '{{EndTimeISO}}' inside strings: the last day here. */
const START_ISO = new Date(NOW - DAY).toISOString();
const END_ISO = new Date(NOW).toISOString();

function query(name: string): string {
  return readFileSync(new URL(`${name}.kql`, DIR), 'utf8')
    .replaceAll('{{StartTimeISO}}', START_ISO)
    .replaceAll('{{EndTimeISO}}', END_ISO);
}

const raw = (name: string) => readFileSync(new URL(`${name}.kql`, DIR), 'utf8');
const needsOtherSources = (name: string) => /\bAWSGuardDuty\b|\bexternaldata\b/i.test(raw(name));
const SUBSET = FILES.filter((f) => !f.startsWith('workbook-') && !needsOtherSources(f));

/** All 46 run today: keep it that way. */
const RUNS = [
  'hunting-AWS_AssumeRoleBruteForce',
  'hunting-AWS_CreateAccessKey',
  'hunting-AWS_EC2_WithoutKeyPair',
  'hunting-AWS_ECRContainerMedium',
  'hunting-AWS_FailedBruteForceS3Bucket',
  'hunting-AWS_IAMUserGroupChanges',
  'hunting-AWS_IAM_PrivilegeEscalationbyAttachment',
  'hunting-AWS_LambdaLayerImportedExternalAccount',
  'hunting-AWS_LoginProfileUpdated',
  'hunting-AWS_ModificationofSubnetAttributes',
  'hunting-AWS_NetworkACLDeleted',
  'hunting-AWS_PolicywithExcessivePermissions',
  'hunting-AWS_RDSMasterPasswordChanged',
  'hunting-AWS_S3BucketDeleted',
  'hunting-AWS_Unused_UnsupportedCloudRegions',
  'rule-AWS_ChangeToRDSDatabase',
  'rule-AWS_ClearStopChangeTrailLogs',
  'rule-AWS_ConsoleLogonWithoutMFA',
  'rule-AWS_CreatedCRUDIAMtoPrivilegeEscalation',
  'rule-AWS_CreatedCRUDLambdaPolicytoPrivilegEscalation',
  'rule-AWS_CreatedCloudFormationPolicytoPrivilegeEscalation',
  'rule-AWS_CreatedEC2PolicytoPrivilegeEscalation',
  'rule-AWS_CreatedLambdaPolicytoPrivilegeEscalation',
  'rule-AWS_CreationofEncryptKeysWithoutMFA',
  'rule-AWS_EC2StartupShellScriptChanged',
  'rule-AWS_ECRImageScanningDisabled',
  'rule-AWS_GuardDutyDisabled',
  'rule-AWS_IngressEgressSecurityGroupChange',
  'rule-AWS_LogTampering',
  'rule-AWS_OverlyPermessiveKMS',
  'rule-AWS_PrivilegeEscalationAdministratorAccessManagedPolicy',
  'rule-AWS_PrivilegeEscalationViaCRUDIAMPolicy',
  'rule-AWS_PrivilegeEscalationViaCRUDLambdaPolicy',
  'rule-AWS_PrivilegeEscalationViaCloudFormationPolicy',
  'rule-AWS_PrivilegeEscalationViaEC2Policy',
  'rule-AWS_PrivilegeEscalationViaLambdaPolicy',
  'rule-AWS_PrivilegeEscalationviaCRUDDynamoDB',
  'rule-AWS_S3BruteForce',
  'rule-AWS_S3BucketExposedviaACL',
  'rule-AWS_S3ObjectExfiltrationByAnonymousUser',
  'rule-AWS_S3Ransomware',
  'rule-AWS_SSMPubliclyExposed',
  'rule-AWS_SuspiciousCommandEC2',
  'rule-AWS_UserAccessKeyCreated',
  'rule-NRT_AWS_ConsoleLogonWithoutMFA',
  'rule-SuspiciousAWSEC2ComputeResourceDeployments',
];

/** Sorts records by the given columns (wire values compared as text). */
function sortedRecords(t: ResultTable, keep: readonly string[], by: readonly string[] = keep): Record<string, WireValue>[] {
  return records(t, keep).sort((a, b) => {
    for (const k of by) {
      const c = String(a[k]).localeCompare(String(b[k]));
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** A JSON array in a dynamic column, sorted (make_set's order is unspecified). */
const sortedSet = (v: WireValue) => (JSON.parse(String(v)) as string[]).sort();

const at = (iso: string) => `2025-03-${iso}:00Z`; // at('10T08:00') → 2025-03-10T08:00:00Z

describe('peer queries: which ones are in the subset', () => {
  test('60 queries: 46 analytic-rule and hunting queries on AWSCloudTrail only', () => {
    assert.equal(FILES.length, 60);
    assert.equal(FILES.filter((f) => f.startsWith('workbook-')).length, 9);
    assert.deepEqual(FILES.filter((f) => !f.startsWith('workbook-') && needsOtherSources(f)).length, 5);
    assert.deepEqual(SUBSET, RUNS.slice().sort());
  });

  test('every one parses and analyses without errors against the workspace schema', () => {
    for (const name of SUBSET) {
      const errors = analyze(query(name)).diagnostics.filter((d) => /error/i.test(d.severity) || d.severity === '0');
      assert.deepEqual(errors, [], name);
    }
  });
});

describe('peer queries: each runs on generated-like data or fails clearly', () => {
  const trail = cloudTrail(generatedTrail());

  test('counts: ran / unsupported, at least 70% ran, and exactly the expected list', (t) => {
    const ran: string[] = [];
    const unsupported: string[] = [];
    const rowCounts: Record<string, number> = {};
    const started = performance.now();
    for (const name of SUBSET) {
      try {
        const r = run(query(name), { trail });
        rowCounts[name] = r.tables[0].rows.length;
        ran.push(name);
      } catch (e) {
        assert.ok(e instanceof ChatopsError && e.code === 'unsupported_query', `${name}: ${String(e)}`);
        assert.match(e.message, /^not supported by the local workspace: \S/, name);
        unsupported.push(`${name}: ${e.message}`);
      }
    }
    const ms = performance.now() - started;
    t.diagnostic(
      `peer queries: ${ran.length} ran, ${unsupported.length} unsupported, of ${SUBSET.length} (${Math.round(ms)} ms on ${trail.length} rows)`,
    );
    for (const u of unsupported) t.diagnostic(`unsupported: ${u}`);
    assert.equal(ran.length + unsupported.length, 46);
    assert.ok(ran.length / SUBSET.length >= 0.7, `only ${ran.length} of ${SUBSET.length} ran`);
    assert.deepEqual(ran, RUNS);
    assert.deepEqual(unsupported, []);
    // The background is rich enough that most detections find something in it.
    assert.ok(Object.values(rowCounts).filter((n) => n > 0).length >= 20, JSON.stringify(rowCounts));
  });
});

describe('peer queries: results worked out by hand', () => {
  test('rule-AWS_ConsoleLogonWithoutMFA: successful console logins without MFA, SSO sessions excluded', () => {
    const login = (time: string, mfa: 'Yes' | 'No', result: 'Success' | 'Failure', who: Record<string, unknown> = {}) =>
      ev({
        TimeGenerated: at(time),
        EventName: 'ConsoleLogin',
        UserAgent: UA.console,
        UserIdentityAccessKeyId: '',
        AdditionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: mfa },
        ResponseElements: { ConsoleLogin: result },
        ...(result === 'Failure' ? { ErrorMessage: 'Failed authentication' } : {}),
        ...who,
      });
    const root = {
      UserIdentityType: 'Root',
      UserIdentityPrincipalid: ACCOUNT,
      UserIdentityArn: `arn:aws:iam::${ACCOUNT}:root`,
      UserIdentityUserName: '',
    };
    const bob = {
      UserIdentityUserName: 'bob',
      UserIdentityPrincipalid: 'AIDAEXAMPLEBOB',
      UserIdentityArn: `arn:aws:iam::${ACCOUNT}:user/bob`,
    };
    const trail: TrailRow[] = [
      login('10T08:00', 'No', 'Success'), // alice without MFA …
      login('10T09:00', 'No', 'Success'), // … twice: one group, 08:00 → 09:00
      login('10T08:30', 'Yes', 'Success', bob), // near miss: MFA used
      login('10T08:40', 'No', 'Failure', { ...bob, UserIdentityUserName: 'carol' }), // near miss: failed login
      login('10T07:00', 'No', 'Success', assumedRole('AWSReservedSSO_AdministratorAccess_0123456789abcdef', 'dave@example.com')), // near miss: SSO
      login('10T06:00', 'No', 'Success', assumedRole('OktaAdmin', 'erin@example.com')), // federated, no user name: taken from the principal
      login('10T05:00', 'No', 'Success', root), // root: no ':' in the principal id
      ev({ TimeGenerated: at('10T05:30'), EventName: 'GetObject', AdditionalEventData: { MFAUsed: 'No' } }), // near miss: not a login
    ];
    const t = primary(query('rule-AWS_ConsoleLogonWithoutMFA'), { trail });
    assert.deepEqual(t.columns.map((c) => c.name).slice(-5), [
      'StartTimeUtc',
      'EndTimeUtc',
      'timestamp',
      'AccountCustomEntity',
      'IPCustomEntity',
    ]);
    // indexId = indexof(principal, ":"): -1 for root and alice; "AROAEXAMPLEOKTAADMIN" is 20 characters → 20, and the
    // entity is substring(principal, 20 + 1) = "erin@example.com".
    assert.deepEqual(
      sortedRecords(t, [
        'AccountCustomEntity',
        'UserIdentityPrincipalid',
        'indexId',
        'MFAUsed',
        'LoginResult',
        'StartTimeUtc',
        'EndTimeUtc',
        'IPCustomEntity',
      ]),
      [
        {
          AccountCustomEntity: ACCOUNT,
          UserIdentityPrincipalid: ACCOUNT,
          indexId: -1,
          MFAUsed: 'No',
          LoginResult: 'Success',
          StartTimeUtc: at('10T05:00'),
          EndTimeUtc: at('10T05:00'),
          IPCustomEntity: '198.51.100.7',
        },
        {
          AccountCustomEntity: 'alice',
          UserIdentityPrincipalid: 'AIDAEXAMPLEALICE',
          indexId: -1,
          MFAUsed: 'No',
          LoginResult: 'Success',
          StartTimeUtc: at('10T08:00'),
          EndTimeUtc: at('10T09:00'),
          IPCustomEntity: '198.51.100.7',
        },
        {
          AccountCustomEntity: 'erin@example.com',
          UserIdentityPrincipalid: 'AROAEXAMPLEOKTAADMIN:erin@example.com',
          indexId: 20,
          MFAUsed: 'No',
          LoginResult: 'Success',
          StartTimeUtc: at('10T06:00'),
          EndTimeUtc: at('10T06:00'),
          IPCustomEntity: '198.51.100.7',
        },
      ],
    );
  });

  test('rule-AWS_ClearStopChangeTrailLogs: trail and flow-log tampering, grouped per caller', () => {
    const bob = {
      UserIdentityUserName: 'bob',
      UserIdentityPrincipalid: 'AIDAEXAMPLEBOB',
      UserIdentityArn: `arn:aws:iam::${ACCOUNT}:user/bob`,
      SourceIpAddress: '203.0.113.9',
    };
    const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-trail`;
    const trail: TrailRow[] = [
      ev({ TimeGenerated: at('10T07:00'), EventName: 'StopLogging', RequestParameters: { name: trailArn } }),
      ev({ TimeGenerated: at('10T07:05'), EventName: 'StopLogging', RequestParameters: { name: trailArn } }), // same group as 07:00
      ev({ TimeGenerated: at('09T22:00'), EventName: 'DeleteTrail', RequestParameters: { name: trailArn }, ...bob }),
      ev({
        TimeGenerated: at('10T03:00'),
        EventName: 'DeleteFlowLogs',
        AWSRegion: 'eu-west-1',
        RequestParameters: { DeleteFlowLogsRequest: { FlowLogId: { content: 'fl-0123456789abcdef0', tag: 1 } } },
        ...assumedRole('Cleanup', 'lambda-cleanup'),
      }),
      ev({ TimeGenerated: at('10T07:10'), EventName: 'StartLogging', RequestParameters: { name: trailArn } }), // near miss
      ev({ TimeGenerated: at('10T07:20'), EventName: 'PutEventSelectors', RequestParameters: { trailName: trailArn } }), // near miss
      ev({ TimeGenerated: at('10T07:30'), EventName: 'CreateTrail', RequestParameters: { name: 'second' } }), // near miss
    ];
    const t = primary(query('rule-AWS_ClearStopChangeTrailLogs'), { trail });
    assert.deepEqual(sortedRecords(t, ['StartTimeUtc', 'EventName', 'AccountCustomEntity', 'EndTimeUtc', 'EventSource', 'AWSRegion']), [
      {
        EventName: 'DeleteTrail',
        AccountCustomEntity: 'bob',
        StartTimeUtc: at('09T22:00'),
        EndTimeUtc: at('09T22:00'),
        EventSource: 'cloudtrail.amazonaws.com',
        AWSRegion: 'us-east-1',
      },
      // An assumed role has no user name: the rule's entity is then empty.
      {
        EventName: 'DeleteFlowLogs',
        AccountCustomEntity: '',
        StartTimeUtc: at('10T03:00'),
        EndTimeUtc: at('10T03:00'),
        EventSource: 'ec2.amazonaws.com',
        AWSRegion: 'eu-west-1',
      },
      {
        EventName: 'StopLogging',
        AccountCustomEntity: 'alice',
        StartTimeUtc: at('10T07:00'),
        EndTimeUtc: at('10T07:05'),
        EventSource: 'cloudtrail.amazonaws.com',
        AWSRegion: 'us-east-1',
      },
    ]);
  });

  test('rule-AWS_LogTampering: successful changes only; account names from the ARN, the UPN split at @', () => {
    const trail: TrailRow[] = [
      ev({
        TimeGenerated: at('10T05:00'),
        EventName: 'DeleteLogGroup',
        RequestParameters: { logGroupName: '/aws/cloudtrail/org' },
        ...assumedRole('Admin', 'frank@example.com'),
      }),
      ev({
        TimeGenerated: at('10T05:30'),
        EventName: 'StopLogging',
        ErrorCode: 'AccessDenied',
        ErrorMessage: `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: cloudtrail:StopLogging`,
      }), // near miss: it failed
      ev({
        TimeGenerated: at('10T06:00'),
        EventName: 'UpdateTrail',
        RequestParameters: { name: 'org-trail', isMultiRegionTrail: false, enableLogFileValidation: true },
      }),
      ev({
        TimeGenerated: at('10T04:00'),
        EventName: 'DeleteFlowLogs',
        UserIdentityArn: '',
        UserIdentityUserName: '',
        UserIdentityPrincipalid: 'AIDAEXAMPLESVC',
        Resources: [{ ARN: `arn:aws:iam::${ACCOUNT}:user/svc-cleanup`, accountId: ACCOUNT }],
      }), // no ARN: the name comes from Resources[0].ARN
      ev({ TimeGenerated: at('10T06:30'), EventName: 'CreateLogGroup', RequestParameters: { logGroupName: '/x' } }), // near miss
    ];
    const t = primary(query('rule-AWS_LogTampering'), { trail });
    // frank@example.com (last segment of the assumed-role ARN) → AccountName "frank", AccountUPNSuffix "example.com".
    assert.deepEqual(sortedRecords(t, ['StartTimeUtc', 'EventName', 'AccountName', 'AccountUPNSuffix', 'UserIdentityUserName']), [
      {
        EventName: 'DeleteFlowLogs',
        AccountName: 'svc-cleanup',
        AccountUPNSuffix: '',
        UserIdentityUserName: '',
        StartTimeUtc: at('10T04:00'),
      },
      {
        EventName: 'DeleteLogGroup',
        AccountName: 'frank',
        AccountUPNSuffix: 'example.com',
        UserIdentityUserName: '',
        StartTimeUtc: at('10T05:00'),
      },
      { EventName: 'UpdateTrail', AccountName: 'alice', AccountUPNSuffix: '', UserIdentityUserName: 'alice', StartTimeUtc: at('10T06:00') },
    ]);
  });

  test('rule-AWS_IngressEgressSecurityGroupChange: counts per caller and context; roles named by their issuer', () => {
    const ingress = (time: string, region = 'us-east-1') =>
      ev({
        TimeGenerated: at(time),
        EventName: 'AuthorizeSecurityGroupIngress',
        AWSRegion: region,
        RequestParameters: {
          groupId: 'sg-0123456789abcdef0',
          ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] },
        },
        ResponseElements: { _return: true },
      });
    const trail: TrailRow[] = [
      ingress('10T02:00'),
      ingress('10T02:30'), // same group as 02:00 → EventCount 2
      ingress('10T04:00', 'eu-west-1'), // another region: its own group
      ev({
        TimeGenerated: at('10T03:00'),
        EventName: 'RevokeSecurityGroupEgress',
        RequestParameters: { groupId: 'sg-0fedcba9876543210' },
        ResponseElements: { _return: true },
        ...assumedRole('DeployRole', 'gh-actions-77'),
      }),
      ev({ TimeGenerated: at('10T03:30'), EventName: 'DescribeSecurityGroups', ReadOnly: true }), // near miss
      ev({ TimeGenerated: at('10T03:40'), EventName: 'CreateSecurityGroup', RequestParameters: { groupName: 'web' } }), // near miss
    ];
    const t = primary(query('rule-AWS_IngressEgressSecurityGroupChange'), { trail });
    assert.deepEqual(
      sortedRecords(t, ['StartTimeUtc', 'EventName', 'User', 'AWSRegion', 'EventCount', 'EndTimeUtc', 'AccountCustomEntity']),
      [
        {
          EventName: 'AuthorizeSecurityGroupIngress',
          User: 'alice',
          AWSRegion: 'us-east-1',
          EventCount: 2,
          StartTimeUtc: at('10T02:00'),
          EndTimeUtc: at('10T02:30'),
          AccountCustomEntity: 'alice',
        },
        {
          EventName: 'RevokeSecurityGroupEgress',
          User: 'DeployRole',
          AWSRegion: 'us-east-1',
          EventCount: 1,
          StartTimeUtc: at('10T03:00'),
          EndTimeUtc: at('10T03:00'),
          AccountCustomEntity: 'DeployRole',
        },
        {
          EventName: 'AuthorizeSecurityGroupIngress',
          User: 'alice',
          AWSRegion: 'eu-west-1',
          EventCount: 1,
          StartTimeUtc: at('10T04:00'),
          EndTimeUtc: at('10T04:00'),
          AccountCustomEntity: 'alice',
        },
      ],
    );
  });

  test('rule-AWS_UserAccessKeyCreated: the caller name after the ":" of the principal id, split at @', () => {
    const created = (time: string, who: Record<string, unknown> = {}, name = 'CreateAccessKey') =>
      ev({
        TimeGenerated: at(time),
        EventName: name,
        EventSource: 'iam.amazonaws.com',
        RequestParameters: { userName: 'bob' },
        ResponseElements: {
          accessKey: { accessKeyId: 'AKIAEXAMPLENEWKEY001', status: 'Active', userName: 'bob', createDate: 'Mar 10, 2025, 10:00:00 AM' },
        },
        ...who,
      });
    const trail: TrailRow[] = [
      created('10T10:00', assumedRole('Admin', 'grace@example.com')),
      created('10T10:30'),
      created('10T10:40', {}, 'ListAccessKeys'), // near miss
      created('10T10:50', {}, 'createaccesskey'), // near miss: == is case-sensitive
    ];
    const t = primary(query('rule-AWS_UserAccessKeyCreated'), { trail });
    const away = ['SourceSystem', 'Category', 'Type', 'TenantId', 'EventVersion', 'SessionIssuerAccountId'];
    assert.deepEqual(schemaOf(t), [
      ...CLOUDTRAIL_COLUMNS.filter((c) => !away.includes(c.name)).map((c) => `${c.name}:${c.type}`),
      'UserName:string',
      'Name:dynamic',
      'UpnSuffix:dynamic',
    ]);
    // indexof_regex("AROAEXAMPLEADMIN:grace@example.com", ":") = 16 → substring from 17; alice's principal has no ":" → -1 → from 0.
    assert.deepEqual(sortedRecords(t, ['TimeGenerated', 'UserIdentityPrincipalid', 'UserName', 'Name', 'UpnSuffix']), [
      {
        TimeGenerated: at('10T10:00'),
        UserIdentityPrincipalid: 'AROAEXAMPLEADMIN:grace@example.com',
        UserName: 'grace@example.com',
        Name: 'grace',
        UpnSuffix: 'example.com',
      },
      {
        TimeGenerated: at('10T10:30'),
        UserIdentityPrincipalid: 'AIDAEXAMPLEALICE',
        UserName: 'AIDAEXAMPLEALICE',
        Name: 'AIDAEXAMPLEALICE',
        UpnSuffix: null,
      },
    ]);
  });

  test('rule-AWS_PrivilegeEscalationAdministratorAccessManagedPolicy: the AWS-managed AdministratorAccess* policies, successful only', () => {
    const attach = (time: string, name: string, policyArn: string, extra: Record<string, unknown> = {}) =>
      ev({
        TimeGenerated: at(time),
        EventName: name,
        EventSource: 'iam.amazonaws.com',
        RequestParameters: { userName: 'mallory', policyArn },
        ...extra,
      });
    const trail: TrailRow[] = [
      attach('10T01:00', 'AttachUserPolicy', 'arn:aws:iam::aws:policy/AdministratorAccess'),
      attach('10T02:00', 'AttachRolePolicy', 'arn:aws:iam::aws:policy/AdministratorAccess-Amplify', assumedRole('DeployRole', 'session-1')),
      attach('10T03:00', 'AttachGroupPolicy', 'arn:aws:iam::aws:policy/ReadOnlyAccess'), // near miss: another policy
      attach('10T04:00', 'AttachUserPolicy', 'arn:aws:iam::aws:policy/AdministratorAccess', {
        ErrorCode: 'AccessDenied',
        ErrorMessage: 'denied',
      }), // near miss: failed
      attach('10T05:00', 'AttachUserPolicy', `arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess`), // near miss: a customer policy of that name
      attach('10T06:00', 'PutUserPolicy', 'arn:aws:iam::aws:policy/AdministratorAccess'), // near miss: not an attach
    ];
    const t = primary(query('rule-AWS_PrivilegeEscalationAdministratorAccessManagedPolicy'), { trail });
    assert.deepEqual(
      t.columns.map((c) => c.name),
      [
        'TimeGenerated',
        'EventName',
        'EventTypeName',
        'UserIdentityAccountId',
        'UserIdentityPrincipalid',
        'UserAgent',
        'UserIdentityUserName',
        'SessionMfaAuthenticated',
        'SourceIpAddress',
        'AWSRegion',
        'EventSource',
        'AdditionalEventData',
        'RequestParameters',
        'UserIdentityArn',
        'ResponseElements',
        'timestamp',
        'IPCustomEntity',
        'AccountCustomEntity',
      ],
    );
    // The assumed role has no user name: the last segment of its ARN (the session) stands in.
    assert.deepEqual(sortedRecords(t, ['TimeGenerated', 'EventName', 'UserIdentityUserName', 'AccountCustomEntity']), [
      { TimeGenerated: at('10T01:00'), EventName: 'AttachUserPolicy', UserIdentityUserName: 'alice', AccountCustomEntity: ACCOUNT },
      { TimeGenerated: at('10T02:00'), EventName: 'AttachRolePolicy', UserIdentityUserName: 'session-1', AccountCustomEntity: ACCOUNT },
    ]);
  });

  test('hunting-AWS_Unused_UnsupportedCloudRegions: regions an account used today but not in the 14 days before', () => {
    // Today = [now − 1d, now] = [03-09 12:00, 03-10 12:00]; history = [02-23 12:00, 03-09 12:00].
    const ops = assumedRole('Ops', 'bob-session', OTHER_ACCOUNT);
    const trail: TrailRow[] = [
      ev({ TimeGenerated: '2025-03-01T10:00:00Z', AWSRegion: 'us-east-1' }), // history: A in us-east-1
      ev({ TimeGenerated: '2025-02-26T10:00:00Z', AWSRegion: 'eu-west-1' }), // history: A in eu-west-1
      ev({ TimeGenerated: '2025-03-05T10:00:00Z', AWSRegion: 'us-east-1', ...ops }), // history: B in us-east-1
      ev({ TimeGenerated: '2025-02-20T10:00:00Z', AWSRegion: 'me-south-1' }), // older than the lookback: not history
      ev({ TimeGenerated: at('10T02:00'), AWSRegion: 'us-east-1' }), // today, seen before: not reported
      ev({ TimeGenerated: at('10T01:00'), AWSRegion: 'ap-southeast-3', EventName: 'RunInstances', SourceIpAddress: '203.0.113.50' }),
      ev({ TimeGenerated: at('10T01:05'), AWSRegion: 'ap-southeast-3', EventName: 'DescribeInstances', SourceIpAddress: '203.0.113.50' }),
      ev({ TimeGenerated: at('09T20:00'), AWSRegion: 'eu-west-1', EventName: 'ListBuckets', SourceIpAddress: '192.0.2.44', ...ops }), // A used eu-west-1, B did not
      ev({ TimeGenerated: at('10T03:00'), AWSRegion: 'me-south-1', EventName: 'GetCallerIdentity' }),
    ];
    const t = primary(query('hunting-AWS_Unused_UnsupportedCloudRegions'), { trail });
    assert.deepEqual(schemaOf(t), [
      'UserIdentityAccountId:string',
      'UnusedRegion:string',
      'UserIdentityUserName:string',
      'EventCount:long',
      'StartTime:datetime',
      'EndTime:datetime',
      'EventNameList:dynamic',
      'IPList:dynamic',
      'timestamp:datetime',
      'AccountCustomEntity:string',
    ]);
    const got = sortedRecords(
      t,
      t.columns.map((c) => c.name),
      ['UnusedRegion'],
    ).map((r) => ({
      ...r,
      EventNameList: sortedSet(r.EventNameList),
      IPList: sortedSet(r.IPList),
    }));
    assert.deepEqual(got, [
      {
        UserIdentityAccountId: ACCOUNT,
        UnusedRegion: 'ap-southeast-3',
        UserIdentityUserName: 'alice',
        EventCount: 2,
        StartTime: at('10T01:00'),
        EndTime: at('10T01:05'),
        EventNameList: ['DescribeInstances', 'RunInstances'],
        IPList: ['203.0.113.50'],
        timestamp: at('10T01:00'),
        AccountCustomEntity: 'alice',
      },
      {
        UserIdentityAccountId: OTHER_ACCOUNT,
        UnusedRegion: 'eu-west-1',
        UserIdentityUserName: 'bob-session', // from the assumed-role ARN
        EventCount: 1,
        StartTime: at('09T20:00'),
        EndTime: at('09T20:00'),
        EventNameList: ['ListBuckets'],
        IPList: ['192.0.2.44'],
        timestamp: at('09T20:00'),
        AccountCustomEntity: 'bob-session',
      },
      {
        UserIdentityAccountId: ACCOUNT,
        UnusedRegion: 'me-south-1',
        UserIdentityUserName: 'alice',
        EventCount: 1,
        StartTime: at('10T03:00'),
        EndTime: at('10T03:00'),
        EventNameList: ['GetCallerIdentity'],
        IPList: ['198.51.100.7'],
        timestamp: at('10T03:00'),
        AccountCustomEntity: 'alice',
      },
    ]);
  });

  test('rule-AWS_S3BruteForce: more than 20 failed keys, then a success, in the last hour', () => {
    const scanner = {
      UserIdentityPrincipalid: 'AIDAEXAMPLESCANNER',
      UserIdentityArn: 'arn:aws:iam::999988887777:user/scanner',
      UserIdentityAccountId: '999988887777',
      UserIdentityAccessKeyId: 'AKIAEXAMPLESCANNER01',
      UserIdentityUserName: 'scanner',
      SourceIpAddress: '203.0.113.66',
      UserAgent: UA.boto,
    };
    const get = (bucket: string, key: string, minutesBeforeNow: number, failed: boolean, who: Record<string, unknown> = scanner) =>
      ev({
        TimeGenerated: new Date(NOW - minutesBeforeNow * MINUTE).toISOString(),
        EventName: 'GetObject',
        ManagementEvent: false,
        ReadOnly: true,
        RequestParameters: { bucketName: bucket, key, Host: `${bucket}.s3.us-east-1.amazonaws.com` },
        Resources: [
          { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
          { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
        ],
        AdditionalEventData: { SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': 'abc' },
        ...(failed ? { ErrorCode: 'AccessDenied', ErrorMessage: 'Access Denied' } : {}),
        ...who,
      });
    const failures = (bucket: string, n: number, firstMinutesBeforeNow: number, who?: Record<string, unknown>) =>
      Array.from({ length: n }, (_, i) =>
        get(bucket, `exports/k${String(i + 1).padStart(2, '0')}.csv`, firstMinutesBeforeNow - i, true, who),
      );
    const trail: TrailRow[] = [
      // Detected: 22 distinct keys denied from 11:05 to 11:26, then a read that works at 11:30.
      ...failures('payroll-exports', 22, 55),
      get('payroll-exports', 'payroll/2025-03.csv', 30, false),
      // Near miss: exactly 20 distinct denied keys (the rule wants more than 20).
      ...failures('logs-archive', 20, 55),
      get('logs-archive', 'app.log', 25, false),
      // Near miss: 21 denied keys from another address, never a success.
      ...failures('backups', 21, 50, { ...scanner, SourceIpAddress: '192.0.2.99' }),
      // Near miss: the success came first (11:01), the 21 denials after it.
      get('media', 'logo.png', 59, false),
      ...failures('media', 21, 58),
      // Near miss: 21 denials before the one-hour window (10:00-10:20), success inside it.
      ...failures('hr-data', 21, 120),
      get('hr-data', 'staff.csv', 15, false),
    ];
    const t = primary(query('rule-AWS_S3BruteForce'), { trail });
    assert.equal(t.rows.length, 1);
    const names = t.columns.map((c) => c.name);
    assert.ok(!names.includes('keyName'), 'project-away keyName');
    assert.deepEqual(
      records(t, [
        'bucketName',
        'AccountName',
        'AccountUPNSuffix',
        'SourceIpAddress',
        'RecipientAccountId',
        'failed_keys',
        'success_keys',
        'time_min_failed',
        'time_min_success',
        'timestamp',
        'keyName1',
      ]),
      [
        {
          RecipientAccountId: ACCOUNT,
          AccountName: 'scanner',
          AccountUPNSuffix: '',
          SourceIpAddress: '203.0.113.66',
          bucketName: 'payroll-exports',
          time_min_failed: at('10T11:05'),
          failed_keys: 22,
          time_min_success: at('10T11:30'),
          success_keys: 1,
          keyName1: 'payroll/2025-03.csv', // the success side's key, read at its earliest row
          timestamp: at('10T11:30'),
        },
      ],
    );
  });

  test('rule-AWS_SSMPubliclyExposed: an SSM document shared with "all"', () => {
    const share = (time: string, params: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      ev({
        TimeGenerated: at(time),
        EventName: 'ModifyDocumentPermission',
        RequestParameters: { name: 'RunPatchBaseline-Custom', permissionType: 'Share', ...params },
        ...extra,
      });
    const trail: TrailRow[] = [
      share('10T09:00', { accountIdsToAdd: ['all'] }),
      share('10T09:10', { accountIdsToAdd: [OTHER_ACCOUNT] }), // near miss: one account
      share('10T09:20', { accountIdsToRemove: ['all'] }), // near miss: made private again
      share('10T09:30', { accountIdsToAdd: ['all'] }, { ErrorCode: 'InvalidPermissionType', ErrorMessage: 'denied' }), // near miss: failed
    ];
    const t = primary(query('rule-AWS_SSMPubliclyExposed'), { trail });
    assert.deepEqual(records(t, ['TimeGenerated', 'RequestParameters', 'AccountCustomEntity', 'IPCustomEntity']), [
      {
        TimeGenerated: at('10T09:00'),
        RequestParameters: '{"name":"RunPatchBaseline-Custom","permissionType":"Share","accountIdsToAdd":["all"]}',
        AccountCustomEntity: 'alice',
        IPCustomEntity: '198.51.100.7',
      },
    ]);
  });

  test('hunting-AWS_EC2_WithoutKeyPair: each launched instance item without a key pair, with user data, from outside AWS', () => {
    const launch = (time: string, items: Record<string, unknown>[], userData: boolean, extra: Record<string, unknown> = {}) =>
      ev({
        TimeGenerated: at(time),
        EventName: 'RunInstances',
        RequestParameters: {
          instancesSet: { items },
          instanceType: 't3.micro',
          ...(userData ? { userData: '<sensitiveDataRemoved>' } : {}),
        },
        ...extra,
      });
    const image = { imageId: 'ami-0abcdef1234567890', minCount: 1, maxCount: 1 };
    const trail: TrailRow[] = [
      launch('10T01:00', [image], true, { SourceIpAddress: '198.51.100.23' }),
      launch('10T02:00', [{ ...image, keyName: 'ops-key' }], true), // near miss: has a key pair
      launch('10T03:00', [image], false), // near miss: no user data
      launch('10T04:00', [image], true, { SourceIpAddress: 'autoscaling.amazonaws.com' }), // near miss: launched by AWS
      launch(
        '10T05:00',
        [
          { ...image, keyName: 'ops-key' },
          { imageId: 'ami-2', minCount: 1, maxCount: 1 },
        ],
        true,
        { SourceIpAddress: '203.0.113.9' },
      ), // one of two items
      launch('10T06:00', [image], true, { ErrorCode: 'Client.UnauthorizedOperation', ErrorMessage: 'You are not authorized' }), // near miss: failed
    ];
    const t = primary(query('hunting-AWS_EC2_WithoutKeyPair'), { trail });
    assert.deepEqual(sortedRecords(t, ['TimeGenerated', 'items', 'keyName', 'IPCustomEntity', 'AccountCustomEntity']), [
      {
        TimeGenerated: at('10T01:00'),
        items: JSON.stringify(image),
        keyName: '',
        IPCustomEntity: '198.51.100.23',
        AccountCustomEntity: 'alice',
      },
      {
        TimeGenerated: at('10T05:00'),
        items: '{"imageId":"ami-2","minCount":1,"maxCount":1}',
        keyName: '',
        IPCustomEntity: '203.0.113.9',
        AccountCustomEntity: 'alice',
      },
    ]);
  });

  test('rule-AWS_CreatedCRUDIAMtoPrivilegeEscalation: full-CRUD IAM policies created, with their attachment (leftouter join, pack)', () => {
    const crud = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:CreateUser', 'iam:GetUser', 'iam:UpdateUser', 'iam:DeleteUser'], Resource: '*' }],
    });
    const readOnly = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers'], Resource: '*' }],
    });
    const trail: TrailRow[] = [
      ev({
        TimeGenerated: '2025-03-05T10:00:00Z',
        EventName: 'CreatePolicy',
        RequestParameters: { policyName: 'iam-crud', policyDocument: crud },
      }),
      ev({
        TimeGenerated: at('10T10:00'),
        EventName: 'AttachRolePolicy',
        RequestParameters: { roleName: 'ci', policyArn: `arn:aws:iam::${ACCOUNT}:policy/iam-crud` },
        ...assumedRole('Admin', 'frank@example.com'),
      }),
      ev({
        TimeGenerated: '2025-03-06T10:00:00Z',
        EventName: 'CreatePolicy',
        RequestParameters: { policyName: 'never-attached', policyDocument: crud },
      }),
      ev({
        TimeGenerated: '2025-03-07T10:00:00Z',
        EventName: 'CreatePolicy',
        RequestParameters: { policyName: 'read-only', policyDocument: readOnly },
      }), // near miss
      ev({
        TimeGenerated: '2025-02-20T10:00:00Z',
        EventName: 'CreatePolicy',
        RequestParameters: { policyName: 'too-old', policyDocument: crud },
      }), // near miss: > 14 days
    ];
    const t = primary(query('rule-AWS_CreatedCRUDIAMtoPrivilegeEscalation'), { trail });
    assert.deepEqual(
      t.columns.map((c) => c.name),
      [
        'StartTime',
        'EventName',
        'PolicyName',
        'SourceIpAddress',
        'RecipientAccountId',
        'AccountName',
        'AccountUPNSuffix',
        'UserIdentityArn',
        'EventSource',
        'AttachEvent',
        'AttachEventCount',
        'RecipientAccountId1',
        'AccountName1',
        'AccountUPNSuffix1',
        'timestamp',
      ],
    );
    // PolicyName of the attachment = split(policyArn, "/")[1] = "iam-crud"; "never-attached" keeps its row with empty right side.
    assert.deepEqual(
      sortedRecords(t, [
        'StartTime',
        'PolicyName',
        'AccountName',
        'EventSource',
        'AttachEvent',
        'AttachEventCount',
        'AccountName1',
        'AccountUPNSuffix1',
      ]),
      [
        {
          StartTime: '2025-03-05T10:00:00Z',
          PolicyName: 'iam-crud',
          AccountName: 'alice',
          EventSource: 'iam.amazonaws.com',
          AttachEvent: JSON.stringify({
            StartTime: at('10T10:00'),
            EndTime: at('10T10:00'),
            EventName: 'AttachRolePolicy',
            UserIdentityType: 'AssumedRole',
            SourceIpAddress: '198.51.100.7',
            AccountName: 'frank',
            AccountUPNSuffix: 'example.com',
            RecipientAccountId: ACCOUNT,
            UserIdentityArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/frank@example.com`,
          }),
          AttachEventCount: 1,
          AccountName1: 'frank',
          AccountUPNSuffix1: 'example.com',
        },
        {
          StartTime: '2025-03-06T10:00:00Z',
          PolicyName: 'never-attached',
          AccountName: 'alice',
          EventSource: '',
          AttachEvent: null,
          AttachEventCount: null,
          AccountName1: '',
          AccountUPNSuffix1: '',
        },
      ],
    );
  });

  test('rule-AWS_OverlyPermessiveKMS: key policies that let any principal encrypt', () => {
    const key = (time: string, statements: Record<string, unknown>[], name = 'CreateKey') =>
      ev({
        TimeGenerated: at(time),
        EventName: name,
        RequestParameters: { policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }), keyUsage: 'ENCRYPT_DECRYPT' },
      });
    const admin = {
      Sid: 'Enable IAM policies',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'kms:*',
      Resource: '*',
    };
    const trail: TrailRow[] = [
      key('10T01:00', [admin, { Sid: 'Anyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Encrypt', Resource: '*' }]), // one bad statement of two
      key('10T02:00', [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }], 'PutKeyPolicy'), // Principal "*" without AWS
      key('10T03:00', [admin]), // near miss: only the account root
      key('10T04:00', [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }]), // near miss: Deny
      key('10T05:00', [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }]), // near miss: decrypt only
    ];
    const t = primary(query('rule-AWS_OverlyPermessiveKMS'), { trail });
    assert.deepEqual(sortedRecords(t, ['TimeGenerated', 'EventName', 'Action', 'Effect', 'Principal', 'AccountName']), [
      {
        TimeGenerated: at('10T01:00'),
        EventName: 'CreateKey',
        Action: 'kms:Encrypt',
        Effect: 'Allow',
        Principal: '*',
        AccountName: 'alice',
      },
      { TimeGenerated: at('10T02:00'), EventName: 'PutKeyPolicy', Action: 'kms:*', Effect: 'Allow', Principal: '*', AccountName: 'alice' },
    ]);
  });
});

describe('queries outside the subset', () => {
  test('the hunting queries that download AWS IP ranges (externaldata) fail clearly', () => {
    const external = FILES.filter((f) => !f.startsWith('workbook-') && /\bexternaldata\b/i.test(raw(f)));
    assert.deepEqual(external, ['hunting-AWS_STStoEC2', 'hunting-AWS_STStoGlue', 'hunting-AWS_STStoLambda']);
    for (const name of external) assertUnsupported(query(name), 'externaldata');
  });

  test('the AWSGuardDuty hunting queries run: the table is known by schema and empty here', () => {
    for (const name of ['hunting-AWS_GuardDuty_EKSPrivilegeEscalationCredentialAccess', 'hunting-AWS_GuardDuty_S3PublicExposure']) {
      assert.deepEqual(run(query(name)).tables[0].rows, [], name);
    }
  });

  test('peer queries rewritten with operators outside the subset fail with the same clear error', () => {
    const base = query('rule-AWS_IngressEgressSecurityGroupChange');
    assertUnsupported(
      `${base}\n| extend Extra = todynamic(AdditionalEventData)\n| evaluate bag_unpack(Extra)`,
      'operator evaluate bag_unpack',
    );
    assertUnsupported(`${base}\n| parse-where UserAgent with Tool "/" Version " " *`, 'operator parse-where');
    assertUnsupported(
      query('rule-AWS_S3BruteForce').replace('dcount(keyName)', 'percentiles(strlen(keyName), 50, 90)'),
      'function percentiles()',
    );
    assertUnsupported(
      query('rule-AWS_ConsoleLogonWithoutMFA').replace('| where EventName =~ "ConsoleLogin"', '| search "ConsoleLogin"'),
      'operator search',
    );
    assertUnsupported(
      query('hunting-AWS_EC2_WithoutKeyPair').replace('| mv-expand todynamic(items)', '| mv-apply items = todynamic(items) on (take 1)'),
      'operator mv-apply',
    );
  });
});
