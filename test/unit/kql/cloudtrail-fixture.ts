/**
 * CloudTrail-like rows for the peer-query tests: an event builder with
 * realistic defaults (IAM user alice in account 111122223333, us-east-1) and a
 * deterministic "generated-like" background of two weeks of activity across
 * accounts, regions, users and roles, shaped like what the detections read.
 */
import { DAY, MINUTE, NOW, type TrailRow } from './helpers.ts';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';

export const UA = {
  console: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  cli: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off',
  boto: 'Boto3/1.34.60 md/Botocore#1.34.60 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8 Botocore/1.34.60',
};

const SOURCES: Record<string, string> = {
  ConsoleLogin: 'signin.amazonaws.com',
  CreatePolicy: 'iam.amazonaws.com',
  CreatePolicyVersion: 'iam.amazonaws.com',
  AttachUserPolicy: 'iam.amazonaws.com',
  AttachRolePolicy: 'iam.amazonaws.com',
  AttachGroupPolicy: 'iam.amazonaws.com',
  PutUserPolicy: 'iam.amazonaws.com',
  PutRolePolicy: 'iam.amazonaws.com',
  PutGroupPolicy: 'iam.amazonaws.com',
  CreateAccessKey: 'iam.amazonaws.com',
  ListAccessKeys: 'iam.amazonaws.com',
  UpdateLoginProfile: 'iam.amazonaws.com',
  CreateUser: 'iam.amazonaws.com',
  DeleteUser: 'iam.amazonaws.com',
  AssumeRole: 'sts.amazonaws.com',
  GetCallerIdentity: 'sts.amazonaws.com',
  GetObject: 's3.amazonaws.com',
  PutObject: 's3.amazonaws.com',
  DeleteBucket: 's3.amazonaws.com',
  PutBucketAcl: 's3.amazonaws.com',
  ListBuckets: 's3.amazonaws.com',
  StopLogging: 'cloudtrail.amazonaws.com',
  StartLogging: 'cloudtrail.amazonaws.com',
  UpdateTrail: 'cloudtrail.amazonaws.com',
  DeleteTrail: 'cloudtrail.amazonaws.com',
  CreateTrail: 'cloudtrail.amazonaws.com',
  PutEventSelectors: 'cloudtrail.amazonaws.com',
  DeleteFlowLogs: 'ec2.amazonaws.com',
  RunInstances: 'ec2.amazonaws.com',
  DescribeInstances: 'ec2.amazonaws.com',
  AuthorizeSecurityGroupIngress: 'ec2.amazonaws.com',
  AuthorizeSecurityGroupEgress: 'ec2.amazonaws.com',
  RevokeSecurityGroupIngress: 'ec2.amazonaws.com',
  RevokeSecurityGroupEgress: 'ec2.amazonaws.com',
  DescribeSecurityGroups: 'ec2.amazonaws.com',
  CreateSecurityGroup: 'ec2.amazonaws.com',
  ModifyInstanceAttribute: 'ec2.amazonaws.com',
  DeleteNetworkAclEntry: 'ec2.amazonaws.com',
  ModifySubnetAttribute: 'ec2.amazonaws.com',
  DeleteLogGroup: 'logs.amazonaws.com',
  CreateLogGroup: 'logs.amazonaws.com',
  DeleteEventBus: 'events.amazonaws.com',
  ModifyDocumentPermission: 'ssm.amazonaws.com',
  SendCommand: 'ssm.amazonaws.com',
  CreateKey: 'kms.amazonaws.com',
  PutKeyPolicy: 'kms.amazonaws.com',
  UpdateDetector: 'guardduty.amazonaws.com',
  DeleteDetector: 'guardduty.amazonaws.com',
  PutImageScanningConfiguration: 'ecr.amazonaws.com',
  DescribeImageScanFindings: 'ecr.amazonaws.com',
  ModifyDBCluster: 'rds.amazonaws.com',
  AuthorizeDBSecurityGroupIngress: 'rds.amazonaws.com',
  UpdateFunctionConfiguration20150331v2: 'lambda.amazonaws.com',
  CreateFunction20150331: 'lambda.amazonaws.com',
};

let sequence = 0;

/** One CloudTrail event: IAM user alice calling from the CLI unless `fields` say otherwise. Objects become JSON text. */
export function ev(fields: Record<string, unknown>): TrailRow {
  sequence++;
  const id = sequence.toString(16).padStart(12, '0');
  const name = String(fields.EventName ?? 'DescribeInstances');
  const row: TrailRow = {
    TimeGenerated: ago(60),
    AwsEventId: `0c5b7a9e-1d2f-4e3a-9b8c-${id}`,
    AwsRequestId: `REQ${id.toUpperCase()}`,
    EventVersion: '1.08',
    EventSource: SOURCES[name] ?? 'ec2.amazonaws.com',
    EventTypeName: name === 'ConsoleLogin' ? 'AwsConsoleSignIn' : 'AwsApiCall',
    EventName: name,
    UserIdentityType: 'IAMUser',
    UserIdentityPrincipalid: 'AIDAEXAMPLEALICE',
    UserIdentityArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
    UserIdentityAccountId: ACCOUNT,
    UserIdentityAccessKeyId: 'AKIAEXAMPLEALICE0001',
    UserIdentityUserName: 'alice',
    SessionMfaAuthenticated: false,
    AWSRegion: 'us-east-1',
    SourceIpAddress: '198.51.100.7',
    UserAgent: UA.cli,
    RecipientAccountId: ACCOUNT,
    ManagementEvent: true,
    ReadOnly: false,
    Type: 'AWSCloudTrail',
    SourceSystem: 'Azure',
    TenantId: '6f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b',
  };
  for (const [k, v] of Object.entries(fields)) {
    row[k] = v !== null && typeof v === 'object' ? JSON.stringify(v) : (v as TrailRow[string]);
  }
  return row;
}

/** An assumed-role caller (role `role`, session `session`), as CloudTrail records it. */
export function assumedRole(role: string, session: string, account = ACCOUNT): Record<string, unknown> {
  return {
    UserIdentityType: 'AssumedRole',
    UserIdentityPrincipalid: `AROAEXAMPLE${role.toUpperCase().replace(/[^A-Z]/g, '')}:${session}`,
    UserIdentityArn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    UserIdentityAccountId: account,
    UserIdentityAccessKeyId: 'ASIAEXAMPLETEMP00001',
    UserIdentityUserName: '',
    SessionIssuerType: 'Role',
    SessionIssuerArn: `arn:aws:iam::${account}:role/${role}`,
    SessionIssuerAccountId: account,
    SessionIssuerUserName: role,
  };
}

/** ISO time `minutes` before now. */
export function ago(minutes: number): string {
  return new Date(NOW - minutes * MINUTE).toISOString();
}

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Two weeks of background activity before now: reads and writes by users and
 * roles in two accounts and four regions, console logins with and without MFA,
 * AccessDenied errors, policy documents, S3 data events. Deterministic.
 */
export function generatedTrail(count = 600, seed = 7): TrailRow[] {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const regions = ['us-east-1', 'us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
  const callers = [
    {},
    { UserIdentityUserName: 'bob', UserIdentityPrincipalid: 'AIDAEXAMPLEBOB', UserIdentityArn: `arn:aws:iam::${ACCOUNT}:user/bob` },
    assumedRole('Deploy', 'gh-actions-1234'),
    assumedRole('AWSReservedSSO_Admin_0123456789abcdef', 'carol@example.com'),
    assumedRole('Ops', 'dave@example.com', OTHER_ACCOUNT),
  ];
  const policy = (action: string | string[], resource = '*') =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });
  const kinds: (() => Record<string, unknown>)[] = [
    () => ({ EventName: 'DescribeInstances', ReadOnly: true, RequestParameters: { instancesSet: {}, filterSet: {} } }),
    () => ({ EventName: 'ListBuckets', ReadOnly: true }),
    () => ({ EventName: 'GetCallerIdentity', ReadOnly: true }),
    () => ({
      EventName: 'ConsoleLogin',
      UserAgent: UA.console,
      AdditionalEventData: {
        LoginTo: 'https://console.aws.amazon.com/console/home',
        MobileVersion: 'No',
        MFAUsed: random() < 0.7 ? 'Yes' : 'No',
      },
      ResponseElements: { ConsoleLogin: random() < 0.9 ? 'Success' : 'Failure' },
    }),
    () => ({
      EventName: 'AssumeRole',
      RequestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Deploy`, roleSessionName: 'gh-actions-1234' },
      ...(random() < 0.2 ? { ErrorCode: 'AccessDenied', ErrorMessage: 'AccessDenied' } : {}),
    }),
    () => {
      const key = `reports/2025/${Math.floor(random() * 50)}.csv`;
      return {
        EventName: pick(['GetObject', 'PutObject']),
        ManagementEvent: false,
        RequestParameters: { bucketName: 'analytics-reports', key, Host: 'analytics-reports.s3.amazonaws.com' },
        Resources: [
          { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::analytics-reports/${key}` },
          { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::analytics-reports' },
        ],
        ...(random() < 0.1 ? { ErrorCode: 'AccessDenied', ErrorMessage: 'Access Denied' } : {}),
      };
    },
    () => ({
      EventName: pick(['AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupIngress', 'DescribeSecurityGroups']),
      RequestParameters: {
        groupId: 'sg-0123456789abcdef0',
        ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] },
      },
      ResponseElements: { _return: true },
    }),
    () => ({
      EventName: 'RunInstances',
      RequestParameters: {
        instancesSet: {
          items: [{ imageId: 'ami-0abcdef1234567890', minCount: 1, maxCount: 1, ...(random() < 0.5 ? { keyName: 'ops-key' } : {}) }],
        },
        instanceType: 't3.micro',
        ...(random() < 0.5 ? { userData: '<sensitiveDataRemoved>' } : {}),
      },
      ResponseElements: {
        instancesSet: {
          items: [
            { instanceId: 'i-0123456789abcdef0', instanceType: 't3.micro', platform: '', cpuOptions: { coreCount: 1, threadsPerCore: 2 } },
          ],
        },
      },
    }),
    () => ({
      EventName: pick(['PutUserPolicy', 'PutRolePolicy', 'CreatePolicy']),
      RequestParameters: {
        policyName: 'inline-ops',
        roleName: 'Deploy',
        policyDocument: policy(pick(['s3:GetObject', ['iam:CreateUser', 'iam:GetUser', 'iam:UpdateUser', 'iam:DeleteUser'], 'ec2:*'])),
      },
    }),
    () => ({
      EventName: pick(['AttachUserPolicy', 'AttachRolePolicy']),
      RequestParameters: {
        userName: 'bob',
        policyArn: pick(['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AdministratorAccess']),
      },
    }),
    () => ({
      EventName: pick(['CreateAccessKey', 'UpdateLoginProfile', 'CreateUser', 'DeleteUser']),
      RequestParameters: { userName: 'bob' },
    }),
    () => ({
      EventName: pick(['CreateKey', 'PutKeyPolicy']),
      RequestParameters: {
        policy: JSON.stringify({
          Statement: [{ Effect: 'Allow', Principal: { AWS: random() < 0.5 ? '*' : `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*' }],
        }),
        keyUsage: 'ENCRYPT_DECRYPT',
      },
    }),
    () => ({
      EventName: pick(['StopLogging', 'UpdateTrail', 'StartLogging']),
      RequestParameters: { name: 'org-trail', isMultiRegionTrail: random() < 0.5 },
    }),
    () => ({
      EventName: 'ModifyDocumentPermission',
      RequestParameters: { name: 'Patch', permissionType: 'Share', accountIdsToAdd: [pick(['all', OTHER_ACCOUNT])] },
    }),
    () => ({ EventName: 'UpdateDetector', RequestParameters: { detectorId: 'a1b2c3', enable: random() < 0.5 } }),
    () => ({
      EventName: 'PutImageScanningConfiguration',
      RequestParameters: { repositoryName: 'web', imageScanningConfiguration: { scanOnPush: random() < 0.5 } },
    }),
    () => ({
      EventName: 'DescribeImageScanFindings',
      ResponseElements: {
        repositoryName: 'web',
        imageId: { imageDigest: 'sha256:0123' },
        imageScanFindings: { findingSeverityCounts: { MEDIUM: Math.floor(random() * 3) } },
      },
    }),
    () => ({
      EventName: 'DeleteNetworkAclEntry',
      RequestParameters: { networkAclId: 'acl-0123', ruleNumber: 100, egress: random() < 0.5 },
    }),
    () => ({
      EventName: 'ModifyDBCluster',
      RequestParameters: {
        dBClusterIdentifier: 'db1',
        ...(random() < 0.5 ? { masterUserPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS' } : {}),
      },
    }),
  ];
  const rows: TrailRow[] = [];
  for (let i = 0; i < count; i++) {
    const t = NOW - Math.floor(random() * 14 * DAY);
    const region = pick(regions);
    const caller = pick(callers);
    const ip = pick(['198.51.100.7', '203.0.113.9', '192.0.2.44', 'ec2.amazonaws.com']);
    rows.push(ev({ TimeGenerated: new Date(t).toISOString(), AWSRegion: region, SourceIpAddress: ip, ...caller, ...pick(kinds)() }));
  }
  return rows;
}
