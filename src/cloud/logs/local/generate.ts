/**
 * Synthetic CloudTrail activity for the sandbox and for benchmarks: records in the exact shape
 * AWS writes to S3, deterministic for a given `seed` and `now` (mulberry32; no Math.random, no
 * clock reads).
 *
 *   generateCloudTrail(opts) → Generator<CloudTrailRecord>      in time order, streaming
 *   generateCloudTrailRecords(opts) → CloudTrailRecord[]
 *   writeCloudTrailFiles(records, dir, opts?) → Promise<string[]>  gzipped {"Records":[...]} files
 *     in the S3 key layout AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/
 *     <acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz, ~1,000 records per file.
 *
 * What is in it (over `[now − days, now]`, `eventsPerDay` on average):
 * - Accounts: three by default (prod, dev with a leading zero, security), or `opts.accounts`,
 *   busiest first. Regions: mostly us-east-1, then eu-west-1, us-west-2, ap-southeast-1, … (IAM and
 *   sign-in events are global and logged in us-east-1).
 * - Two streams: machine traffic (EC2 instance and Lambda roles reading S3 objects and KMS keys,
 *   AWS services assuming roles, AWS Config describing resources) that barely follows the clock,
 *   and people (SSO sessions in the console, IAM users on the CLI, CI deploys through GitHub OIDC)
 *   with a working-day rhythm: few events at night and at weekends.
 * - People's events: console logins with and without MFA (some failing with "Failed
 *   authentication"), ec2/iam/lambda/kms/cloudtrail reads, CreateUser / CreateAccessKey /
 *   AttachUserPolicy (now and then AdministratorAccess) / PutUserPolicy, security group changes
 *   (some open to 0.0.0.0/0), UpdateTrail, and AccessDenied / Client.UnauthorizedOperation errors
 *   from a low-privilege developer.
 * - Fixed in every data set: one or two root console logins, and one incident (failed console
 *   logins from a Tor exit address, a login without MFA, a new user with an access key and
 *   AdministratorAccess, SSH opened to the world, StopLogging).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { hash32, Rng } from './prng.ts';

const gzipAsync = promisify(gzip);

export type CloudTrailRecord = Record<string, unknown>;

export interface GenerateOptions {
  /** End of the window (and no event is later): ms since epoch, Date or ISO string. */
  now: number | Date | string;
  /** Length of the window in days (default 30). */
  days?: number;
  /** Average events per day over a week (default 2000). */
  eventsPerDay?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** 12-digit account IDs to use instead of the default three, busiest first. */
  accounts?: readonly string[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// The world: accounts, people, roles, resources

interface User {
  name: string;
  principalId: string;
  accessKeyId: string;
  usesMfa: boolean;
  console: boolean;
  cli: boolean;
  /** Allowed to change IAM, security groups, KMS, trails. */
  admin: boolean;
  ips: readonly string[];
  cliAgent: string;
  browser: string;
}

interface Role {
  name: string;
  path: string;
  principalId: string;
  arn: string;
}

interface Account {
  id: string;
  label: string;
  weight: number;
  users: User[];
  roles: {
    ssoAdmin: Role;
    ssoReadOnly: Role;
    ci: Role;
    ec2: Role;
    lambda: Role;
    config: Role;
    ops: Role;
  };
  buckets: string[];
  keys: string[];
  groups: string[];
  functions: string[];
  instances: string[];
  vpce: string;
  trailArn: string;
  trailBucket: string;
}

const DEFAULT_ACCOUNTS = [
  { id: '318044726912', label: 'prod' },
  { id: '062731945108', label: 'dev' },
  { id: '774402150937', label: 'security' },
];

const REGIONS: readonly (readonly [string, number])[] = [
  ['us-east-1', 58],
  ['eu-west-1', 16],
  ['us-west-2', 10],
  ['ap-southeast-1', 7],
  ['eu-central-1', 5],
  ['ap-northeast-1', 4],
];

const OFFICE_IPS = ['203.0.113.24', '203.0.113.37', '203.0.113.52', '203.0.113.118'];
const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
];
const CLI_AGENTS = [
  'aws-cli/2.15.40 md/awscrt#0.19.19 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source prompt/off',
  'aws-cli/2.15.31 Python/3.11.8 Linux/6.5.0-1017-aws exe/x86_64.ubuntu.22 prompt/off',
  'aws-cli/2.13.25 Python/3.11.5 Windows/10 exe/AMD64 prompt/off',
];
const SDK_AGENTS = [
  'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84',
  'aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/s3#1.53.1',
  'aws-sdk-js/3.556.0 ua/2.0 os/linux#5.10.214-202.855.amzn2.x86_64 lang/js md/nodejs#20.12.2 api/s3#3.556.0',
  'aws-sdk-java/2.25.31 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. exec-env/AWS_ECS_EC2 io/sync http/Apache cfg/retry-mode/legacy',
];
const TERRAFORM_AGENT =
  'APN/1.0 HashiCorp/1.0 Terraform/1.8.1 (+https://www.terraform.io) terraform-provider-aws/5.46.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64';
const CI_IPS = ['20.55.14.61', '4.175.114.77', '172.183.51.209', '52.234.40.98', '13.105.49.122'];
const TOR_IPS = ['185.220.101.47', '185.220.101.19', '185.220.101.33'];

function accountRng(seed: number, acct: string, what: string): Rng {
  return Rng.of(seed, acct, what);
}

function iamId(seed: number, acct: string, prefix: string, name: string): string {
  return prefix + accountRng(seed, acct, name).upperAlnum(17);
}

function buildWorld(seed: number, ids: readonly { id: string; label: string }[]): Account[] {
  return ids.map(({ id, label }, i) => {
    const r = accountRng(seed, id, 'world');
    const user = (name: string, u: Partial<User>): User => ({
      name,
      principalId: iamId(seed, id, 'AIDA', `user:${name}`),
      accessKeyId: iamId(seed, id, 'AKIA', `key:${name}`).slice(0, 20),
      usesMfa: true,
      console: true,
      cli: true,
      admin: false,
      ips: [r.pick(OFFICE_IPS), `198.51.100.${r.range(2, 250)}`],
      cliAgent: r.pick(CLI_AGENTS),
      browser: r.pick(BROWSERS),
      ...u,
    });
    const role = (name: string, path = '/'): Role => ({
      name,
      path,
      principalId: iamId(seed, id, 'AROA', `role:${name}`),
      arn: `arn:aws:iam::${id}:role${path}${name}`,
    });
    const ssoSuffix = accountRng(seed, id, 'sso').hex(16);
    return {
      id,
      label,
      weight: [6, 3, 1.5, 1, 1, 1][Math.min(i, 5)],
      users: [
        user('alice.nguyen', { admin: true }),
        user('carol.jones', { admin: true, usesMfa: r.chance(0.5) }),
        user('bob.smith', { usesMfa: false }),
        user('dave.okafor', { console: true, cli: false, usesMfa: true }),
        user('svc-backup', {
          console: false,
          usesMfa: false,
          cliAgent: SDK_AGENTS[0],
          ips: [`54.${r.range(80, 90)}.${r.range(0, 255)}.${r.range(1, 254)}`],
        }),
      ],
      roles: {
        ssoAdmin: role(`AWSReservedSSO_AdministratorAccess_${ssoSuffix}`, '/aws-reserved/sso.amazonaws.com/'),
        ssoReadOnly: role(`AWSReservedSSO_ReadOnlyAccess_${accountRng(seed, id, 'sso-ro').hex(16)}`, '/aws-reserved/sso.amazonaws.com/'),
        ci: role('github-actions-deploy'),
        ec2: role('app-server-instance-role'),
        lambda: role('orders-processor-lambda-role', '/service-role/'),
        config: role('AWSServiceRoleForConfig', '/aws-service-role/config.amazonaws.com/'),
        ops: role('OpsAdmin'),
      },
      buckets: [`${label}-app-assets-${id.slice(-4)}`, `${label}-orders-data-${id.slice(-4)}`, `${label}-backups-${id.slice(-4)}`],
      keys: [r.uuid(), r.uuid()],
      groups: [`sg-0${r.hex(16)}`, `sg-0${r.hex(16)}`, `sg-0${r.hex(16)}`],
      functions: ['orders-processor', 'invoice-renderer', 'nightly-report'],
      instances: [`i-0${r.hex(16)}`, `i-0${r.hex(16)}`, `i-0${r.hex(16)}`, `i-0${r.hex(16)}`],
      vpce: `vpce-0${r.hex(16)}`,
      trailArn: `arn:aws:cloudtrail:us-east-1:${id}:trail/management-events`,
      trailBucket: `aws-cloudtrail-logs-${id}-${r.hex(8)}`,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Formatting

function isoSeconds(t: number): string {
  return new Date(t).toISOString().slice(0, 19) + 'Z';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** IAM's date format in CloudTrail responses: "Mar 1, 2024, 1:05:09 PM" (UTC). */
function iamDate(t: number): string {
  const d = new Date(t);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

// ---------------------------------------------------------------------------------------------
// Who made a call

interface Actor {
  userIdentity: Record<string, unknown>;
  ip: string;
  agent: string;
  /** Called by an AWS service on the customer's behalf: no TLS details. */
  service: boolean;
  console: boolean;
  /** ARN used in error messages. */
  arn: string;
}

/** A temporary session: stable for a role/session name within an hour. */
function session(seed: number, acct: Account, who: string, t: number): { accessKeyId: string; creationDate: string } {
  const hour = Math.floor(t / HOUR);
  const r = Rng.of(seed, acct.id, who, hour);
  return { accessKeyId: `ASIA${r.upperAlnum(16)}`, creationDate: isoSeconds(hour * HOUR - r.int(2400) * 1000) };
}

function roleActor(
  seed: number,
  acct: Account,
  role: Role,
  sessionName: string,
  t: number,
  opts: { ip: string; agent: string; service?: boolean; console?: boolean; ec2?: boolean },
): Actor {
  const s = session(seed, acct, `${role.name}/${sessionName}`, t);
  const arn = `arn:aws:sts::${acct.id}:assumed-role/${role.name}/${sessionName}`;
  const sessionContext: Record<string, unknown> = {
    sessionIssuer: { type: 'Role', principalId: role.principalId, arn: role.arn, accountId: acct.id, userName: role.name },
    webIdFederationData: {},
    attributes: { creationDate: s.creationDate, mfaAuthenticated: 'false' },
  };
  if (opts.ec2) sessionContext.ec2RoleDelivery = '2.0';
  return {
    userIdentity: {
      type: 'AssumedRole',
      principalId: `${role.principalId}:${sessionName}`,
      arn,
      accountId: acct.id,
      accessKeyId: s.accessKeyId,
      sessionContext,
    },
    ip: opts.ip,
    agent: opts.agent,
    service: opts.service ?? false,
    console: opts.console ?? false,
    arn,
  };
}

function userActor(seed: number, acct: Account, u: User, t: number, via: 'cli' | 'console', ip: string): Actor {
  const arn = `arn:aws:iam::${acct.id}:user/${u.name}`;
  const base = { type: 'IAMUser', principalId: u.principalId, arn, accountId: acct.id };
  if (via === 'cli') {
    return {
      userIdentity: { ...base, accessKeyId: u.accessKeyId, userName: u.name },
      ip,
      agent: u.cliAgent,
      service: false,
      console: false,
      arn,
    };
  }
  const s = session(seed, acct, `user/${u.name}`, t);
  return {
    userIdentity: {
      ...base,
      accessKeyId: s.accessKeyId,
      userName: u.name,
      sessionContext: {
        sessionIssuer: {},
        webIdFederationData: {},
        attributes: { creationDate: s.creationDate, mfaAuthenticated: String(u.usesMfa) },
      },
    },
    ip,
    agent: u.browser,
    service: false,
    console: true,
    arn,
  };
}

function serviceActor(service: string): Actor {
  return {
    userIdentity: { type: 'AWSService', invokedBy: service },
    ip: service,
    agent: service,
    service: true,
    console: false,
    arn: service,
  };
}

// ---------------------------------------------------------------------------------------------
// One record

interface Call {
  source: string;
  name: string;
  region: string;
  readOnly: boolean;
  req?: unknown;
  resp?: unknown;
  extra?: unknown;
  resources?: unknown[];
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';
  category?: 'Management' | 'Data';
  errorCode?: string;
  errorMessage?: string;
  /** Omit requestID (console sign-in events have none). */
  noRequestId?: boolean;
  s3RequestId?: boolean;
  vpce?: string;
  host?: string;
}

class Emitter {
  readonly seed: number;
  readonly rng: Rng;
  constructor(seed: number, rng: Rng) {
    this.seed = seed;
    this.rng = rng;
  }
  record(t: number, acct: Account, actor: Actor, c: Call): CloudTrailRecord {
    const r = this.rng;
    const rec: CloudTrailRecord = {
      eventVersion: c.category === 'Data' ? '1.10' : '1.09',
      userIdentity: actor.userIdentity,
      eventTime: isoSeconds(t),
      eventSource: c.source,
      eventName: c.name,
      awsRegion: c.region,
      sourceIPAddress: c.vpce ? `10.20.${r.range(0, 15)}.${r.range(4, 250)}` : actor.ip,
      userAgent: actor.agent,
    };
    if (c.errorCode !== undefined) rec.errorCode = c.errorCode;
    if (c.errorMessage !== undefined) rec.errorMessage = c.errorMessage;
    rec.requestParameters = c.req ?? null;
    rec.responseElements = c.resp ?? null;
    if (c.extra !== undefined) rec.additionalEventData = c.extra;
    if (!c.noRequestId) rec.requestID = c.s3RequestId ? r.hex(16).toUpperCase() : r.uuid();
    rec.eventID = r.uuid();
    rec.readOnly = c.readOnly;
    if (c.resources !== undefined) rec.resources = c.resources;
    rec.eventType = c.eventType ?? 'AwsApiCall';
    rec.managementEvent = c.category !== 'Data';
    rec.recipientAccountId = acct.id;
    if (c.vpce) rec.vpcEndpointId = c.vpce;
    rec.eventCategory = c.category ?? 'Management';
    if (!actor.service) {
      const host = c.host ?? defaultHost(c.source, c.region);
      rec.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host };
    }
    if (actor.console && c.eventType !== 'AwsConsoleSignIn') rec.sessionCredentialFromConsole = 'true';
    return rec;
  }
}

function defaultHost(source: string, region: string): string {
  const service = source.slice(0, source.indexOf('.'));
  if (service === 'iam') return 'iam.amazonaws.com';
  if (service === 'signin') return 'signin.aws.amazon.com';
  return `${service}.${region}.amazonaws.com`;
}

function denied(actor: Actor, action: string, resource: string): { errorCode: string; errorMessage: string } {
  return {
    errorCode: 'AccessDenied',
    errorMessage: `User: ${actor.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  };
}

// ---------------------------------------------------------------------------------------------
// Event kinds

type Ctx = { em: Emitter; r: Rng; t: number; acct: Account };

function region(r: Rng): string {
  return r.weighted(REGIONS);
}

function pickUser(ctx: Ctx, f: (u: User) => boolean): User {
  const us = ctx.acct.users.filter(f);
  return ctx.r.pick(us);
}

function consoleLogin(ctx: Ctx, u: User, opts: { ip?: string; fail?: boolean; mfa?: boolean } = {}): CloudTrailRecord {
  const { em, r, t, acct } = ctx;
  const ip = opts.ip ?? r.pick(u.ips);
  const mfa = opts.mfa ?? u.usesMfa;
  const fail = opts.fail ?? false;
  const identity: Record<string, unknown> = {
    type: 'IAMUser',
    principalId: u.principalId,
    accountId: acct.id,
    accessKeyId: '',
    userName: u.name,
  };
  if (!fail) identity.arn = `arn:aws:iam::${acct.id}:user/${u.name}`;
  const extra: Record<string, unknown> = {
    LoginTo: 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_' + r.hex(16),
    MobileVersion: 'No',
  };
  if (mfa && !fail) extra.MFAIdentifier = `arn:aws:iam::${acct.id}:mfa/${u.name}`;
  extra.MFAUsed = mfa ? 'Yes' : 'No';
  return em.record(
    t,
    acct,
    { userIdentity: identity, ip, agent: u.browser, service: false, console: false, arn: '' },
    {
      source: 'signin.amazonaws.com',
      name: 'ConsoleLogin',
      region: 'us-east-1',
      readOnly: false,
      resp: { ConsoleLogin: fail ? 'Failure' : 'Success' },
      extra,
      eventType: 'AwsConsoleSignIn',
      noRequestId: true,
      ...(fail ? { errorMessage: 'Failed authentication' } : {}),
    },
  );
}

function rootLogin(ctx: Ctx): CloudTrailRecord {
  const { em, r, t, acct } = ctx;
  const identity = { type: 'Root', principalId: acct.id, arn: `arn:aws:iam::${acct.id}:root`, accountId: acct.id, accessKeyId: '' };
  return em.record(
    t,
    acct,
    { userIdentity: identity, ip: r.pick(OFFICE_IPS), agent: BROWSERS[1], service: false, console: false, arn: '' },
    {
      source: 'signin.amazonaws.com',
      name: 'ConsoleLogin',
      region: 'us-east-1',
      readOnly: false,
      resp: { ConsoleLogin: 'Success' },
      extra: {
        LoginTo: 'https://console.aws.amazon.com/billing/home?state=hashArgs%23&isauthcode=true',
        MobileVersion: 'No',
        MFAIdentifier: `arn:aws:iam::${acct.id}:mfa/root-account-mfa-device`,
        MFAUsed: 'Yes',
      },
      eventType: 'AwsConsoleSignIn',
      noRequestId: true,
    },
  );
}

const EC2_READS: readonly (readonly [string, () => unknown])[] = [
  ['DescribeInstances', () => ({ instancesSet: {}, filterSet: {} })],
  ['DescribeSecurityGroups', () => ({ securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} })],
  ['DescribeVolumes', () => ({ volumeSet: {}, filterSet: {} })],
  ['DescribeVpcs', () => ({ vpcSet: {}, filterSet: {} })],
  ['DescribeSubnets', () => ({ subnetSet: {}, filterSet: {} })],
  ['DescribeRegions', () => ({ regionSet: {} })],
  ['DescribeInstanceStatus', () => ({ instancesSet: {}, filterSet: {}, includeAllInstances: false })],
];

function ec2Read(ctx: Ctx, actor: Actor, reg = region(ctx.r)): CloudTrailRecord {
  const [name, req] = ctx.r.pick(EC2_READS);
  return ctx.em.record(ctx.t, ctx.acct, actor, { source: 'ec2.amazonaws.com', name, region: reg, readOnly: true, req: req() });
}

function iamRead(ctx: Ctx, actor: Actor): CloudTrailRecord {
  const { r } = ctx;
  const u = r.pick(ctx.acct.users);
  const [name, req] = r.pick<readonly [string, unknown]>([
    ['ListUsers', null],
    ['ListRoles', null],
    ['GetUser', { userName: u.name }],
    ['ListAttachedUserPolicies', { userName: u.name }],
    ['ListAccessKeys', { userName: u.name }],
    ['GetAccountSummary', null],
    ['ListPolicies', { scope: 'Local', onlyAttached: false }],
  ]);
  return ctx.em.record(ctx.t, ctx.acct, actor, { source: 'iam.amazonaws.com', name, region: 'us-east-1', readOnly: true, req });
}

function s3Object(ctx: Ctx, actor: Actor, write: boolean, opts: { vpce?: boolean; bucket?: string } = {}): CloudTrailRecord {
  const { r, acct } = ctx;
  const bucket = opts.bucket ?? r.pick(acct.buckets);
  const reg = r.chance(0.8) ? 'us-east-1' : region(r);
  const key = `${r.pick(['orders', 'invoices', 'exports', 'static/js', 'reports'])}/${r.range(2023, 2025)}/${r.hex(8)}.${r.pick(['json', 'pdf', 'csv.gz', 'js'])}`;
  const host = `${bucket}.s3.${reg}.amazonaws.com`;
  const size = r.range(200, 2_000_000);
  return ctx.em.record(ctx.t, acct, actor, {
    source: 's3.amazonaws.com',
    name: write ? 'PutObject' : 'GetObject',
    region: reg,
    readOnly: !write,
    category: 'Data',
    req: { bucketName: bucket, Host: host, key },
    resp: write ? { 'x-amz-server-side-encryption': 'AES256' } : null,
    extra: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: write ? size : 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': r.base64(56),
      bytesTransferredOut: write ? 0 : size,
    },
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
      { accountId: acct.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
    s3RequestId: true,
    vpce: opts.vpce ? acct.vpce : undefined,
    host,
  });
}

function kmsUse(ctx: Ctx, actor: Actor): CloudTrailRecord {
  const { r, acct } = ctx;
  const reg = r.chance(0.85) ? 'us-east-1' : region(r);
  const keyArn = `arn:aws:kms:${reg}:${acct.id}:key/${r.pick(acct.keys)}`;
  const decrypt = r.chance(0.7);
  return ctx.em.record(ctx.t, acct, actor, {
    source: 'kms.amazonaws.com',
    name: decrypt ? 'Decrypt' : 'GenerateDataKey',
    region: reg,
    readOnly: true,
    req: decrypt
      ? { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${r.pick(acct.buckets)}` } }
      : { keyId: keyArn, keySpec: 'AES_256', encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${r.pick(acct.buckets)}` } },
    resources: [{ accountId: acct.id, type: 'AWS::KMS::Key', ARN: keyArn }],
  });
}

function assumeRole(ctx: Ctx, actor: Actor, role: Role, sessionName: string): CloudTrailRecord {
  const { r, acct, t } = ctx;
  const reg = actor.service ? 'us-east-1' : region(r);
  return ctx.em.record(t, acct, actor, {
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    region: reg,
    readOnly: true,
    req: { roleArn: role.arn, roleSessionName: sessionName, durationSeconds: 3600 },
    resp: {
      credentials: { accessKeyId: `ASIA${r.upperAlnum(16)}`, sessionToken: r.base64(120), expiration: iamDate(t + HOUR) },
      assumedRoleUser: {
        assumedRoleId: `${role.principalId}:${sessionName}`,
        arn: `arn:aws:sts::${acct.id}:assumed-role/${role.name}/${sessionName}`,
      },
    },
    resources: [{ accountId: acct.id, type: 'AWS::IAM::Role', ARN: role.arn }],
    host: actor.service ? undefined : `sts.${reg}.amazonaws.com`,
  });
}

function ciAssume(ctx: Ctx): CloudTrailRecord {
  const { r, acct, t } = ctx;
  const repo = r.pick(['acme/orders-service', 'acme/infra', 'acme/web-frontend']);
  const sub = `repo:${repo}:ref:refs/heads/main`;
  const provider = `arn:aws:iam::${acct.id}:oidc-provider/token.actions.githubusercontent.com`;
  const sessionName = `GitHubActions-${r.range(1_000_000_000, 9_999_999_999)}`;
  const role = acct.roles.ci;
  return ctx.em.record(
    t,
    acct,
    {
      userIdentity: {
        type: 'WebIdentityUser',
        principalId: `${provider}:sts.amazonaws.com:${sub}`,
        userName: sub,
        identityProvider: provider,
      },
      ip: r.pick(CI_IPS),
      agent:
        'aws-sdk-js/3.556.0 ua/2.0 os/linux#6.5.0-1018-azure lang/js md/nodejs#20.12.2 api/sts#3.556.0 configure-aws-credentials-for-github-actions',
      service: false,
      console: false,
      arn: '',
    },
    {
      source: 'sts.amazonaws.com',
      name: 'AssumeRoleWithWebIdentity',
      region: 'us-east-1',
      readOnly: true,
      req: { roleArn: role.arn, roleSessionName: sessionName, durationSeconds: 3600 },
      resp: {
        credentials: { accessKeyId: `ASIA${r.upperAlnum(16)}`, sessionToken: r.base64(120), expiration: iamDate(t + HOUR) },
        subjectFromWebIdentityToken: sub,
        assumedRoleUser: {
          assumedRoleId: `${role.principalId}:${sessionName}`,
          arn: `arn:aws:sts::${acct.id}:assumed-role/${role.name}/${sessionName}`,
        },
        provider,
        audience: 'sts.amazonaws.com',
      },
      resources: [{ accountId: acct.id, type: 'AWS::IAM::Role', ARN: role.arn }],
      host: 'sts.amazonaws.com',
    },
  );
}

function lambdaCall(ctx: Ctx, actor: Actor, write: boolean): CloudTrailRecord {
  const { r, acct } = ctx;
  const fn = r.pick(acct.functions);
  const reg = r.chance(0.8) ? 'us-east-1' : 'eu-west-1';
  const fnArn = `arn:aws:lambda:${reg}:${acct.id}:function:${fn}`;
  if (!write) {
    const read = r.chance(0.5);
    return ctx.em.record(ctx.t, acct, actor, {
      source: 'lambda.amazonaws.com',
      name: read ? 'ListFunctions20150331' : 'GetFunction20150331v2',
      region: reg,
      readOnly: true,
      req: read ? null : { functionName: fn },
    });
  }
  const code = r.chance(0.7);
  return ctx.em.record(ctx.t, acct, actor, {
    source: 'lambda.amazonaws.com',
    name: code ? 'UpdateFunctionCode20150331v2' : 'UpdateFunctionConfiguration20150331v2',
    region: reg,
    readOnly: false,
    req: code
      ? { functionName: fn, s3Bucket: acct.buckets[0], s3Key: `lambda/${fn}-${r.hex(7)}.zip`, publish: false, dryRun: false }
      : { functionName: fn, memorySize: r.pick([256, 512, 1024]), timeout: r.pick([30, 60, 120]) },
    resp: {
      functionName: fn,
      functionArn: fnArn,
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      codeSize: r.range(200_000, 9_000_000),
      state: 'Active',
      lastUpdateStatus: 'InProgress',
    },
  });
}

function iamWrite(
  ctx: Ctx,
  actor: Actor,
  kind?: 'CreateUser' | 'CreateAccessKey' | 'AttachUserPolicy' | 'PutUserPolicy',
  target?: string,
): CloudTrailRecord {
  const { r, acct, t } = ctx;
  const name =
    kind ??
    r.weighted<'CreateUser' | 'CreateAccessKey' | 'AttachUserPolicy' | 'PutUserPolicy'>([
      ['CreateUser', 3],
      ['CreateAccessKey', 3],
      ['AttachUserPolicy', 3],
      ['PutUserPolicy', 1],
    ]);
  const userName = target ?? r.pick([`contractor-${r.hex(4)}`, 'svc-reporting', 'svc-backup', 'bob.smith', 'dave.okafor']);
  const call = (req: unknown, resp?: unknown): Call => ({
    source: 'iam.amazonaws.com',
    name,
    region: 'us-east-1',
    readOnly: false,
    req,
    resp,
  });
  switch (name) {
    case 'CreateUser':
      return ctx.em.record(
        t,
        acct,
        actor,
        call(
          { userName },
          {
            user: {
              path: '/',
              userName,
              userId: `AIDA${r.upperAlnum(17)}`,
              arn: `arn:aws:iam::${acct.id}:user/${userName}`,
              createDate: iamDate(t),
            },
          },
        ),
      );
    case 'CreateAccessKey':
      return ctx.em.record(
        t,
        acct,
        actor,
        call({ userName }, { accessKey: { userName, accessKeyId: `AKIA${r.upperAlnum(16)}`, status: 'Active', createDate: iamDate(t) } }),
      );
    case 'AttachUserPolicy': {
      const policy =
        kind === 'AttachUserPolicy' && target !== undefined
          ? 'AdministratorAccess'
          : r.weighted([
              ['ReadOnlyAccess', 5],
              ['AmazonS3ReadOnlyAccess', 5],
              ['AmazonEC2ReadOnlyAccess', 3],
              ['AdministratorAccess', 1],
            ]);
      return ctx.em.record(t, acct, actor, call({ userName, policyArn: `arn:aws:iam::aws:policy/${policy}` }));
    }
    case 'PutUserPolicy': {
      const doc = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: r.pick([['s3:GetObject', 's3:ListBucket'], ['ec2:Describe*'], ['*']]), Resource: '*' }],
      };
      return ctx.em.record(
        t,
        acct,
        actor,
        call({ userName, policyName: `inline-${r.hex(6)}`, policyDocument: JSON.stringify(doc, null, 2) }),
      );
    }
  }
}

function securityGroupChange(ctx: Ctx, actor: Actor, open?: { port: number }): CloudTrailRecord {
  const { r, acct } = ctx;
  const groupId = r.pick(acct.groups);
  const reg = region(r);
  const ingress = open !== undefined || r.chance(0.6);
  if (ingress) {
    const port = open?.port ?? r.pick([443, 443, 22, 3389, 5432, 8080]);
    const cidr = open !== undefined || r.chance(0.25) ? '0.0.0.0/0' : r.pick(['10.20.0.0/16', '203.0.113.0/24', '172.31.0.0/16']);
    return ctx.em.record(ctx.t, acct, actor, {
      source: 'ec2.amazonaws.com',
      name: 'AuthorizeSecurityGroupIngress',
      region: reg,
      readOnly: false,
      req: {
        groupId,
        ipPermissions: {
          items: [
            {
              ipProtocol: 'tcp',
              fromPort: port,
              toPort: port,
              groups: {},
              ipRanges: { items: [{ cidrIp: cidr }] },
              ipv6Ranges: {},
              prefixListIds: {},
            },
          ],
        },
      },
      resp: {
        requestId: r.uuid(),
        _return: true,
        securityGroupRuleSet: {
          items: [
            {
              groupOwnerId: acct.id,
              groupId,
              securityGroupRuleId: `sgr-0${r.hex(16)}`,
              isEgress: false,
              ipProtocol: 'tcp',
              fromPort: port,
              toPort: port,
              cidrIpv4: cidr,
            },
          ],
        },
      },
    });
  }
  return ctx.em.record(ctx.t, acct, actor, {
    source: 'ec2.amazonaws.com',
    name: 'RevokeSecurityGroupEgress',
    region: reg,
    readOnly: false,
    req: {
      groupId,
      ipPermissions: {
        items: [{ ipProtocol: '-1', groups: {}, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: {}, prefixListIds: {} }],
      },
    },
    resp: { requestId: r.uuid(), _return: true },
  });
}

function kmsAdmin(ctx: Ctx, actor: Actor): CloudTrailRecord {
  const { r, acct, t } = ctx;
  const reg = 'us-east-1';
  if (r.chance(0.7)) {
    const keyId = r.uuid();
    return ctx.em.record(t, acct, actor, {
      source: 'kms.amazonaws.com',
      name: 'CreateKey',
      region: reg,
      readOnly: false,
      req: {
        description: r.pick(['orders data key', 'backup encryption', 'app secrets']),
        keyUsage: 'ENCRYPT_DECRYPT',
        keySpec: 'SYMMETRIC_DEFAULT',
        origin: 'AWS_KMS',
        multiRegion: false,
      },
      resp: {
        keyMetadata: {
          aWSAccountId: acct.id,
          keyId,
          arn: `arn:aws:kms:${reg}:${acct.id}:key/${keyId}`,
          creationDate: iamDate(t),
          enabled: true,
          keyUsage: 'ENCRYPT_DECRYPT',
          keyState: 'Enabled',
          origin: 'AWS_KMS',
          keyManager: 'CUSTOMER',
          keySpec: 'SYMMETRIC_DEFAULT',
          encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
          multiRegion: false,
        },
      },
    });
  }
  const keyArn = `arn:aws:kms:${reg}:${acct.id}:key/${r.pick(acct.keys)}`;
  return ctx.em.record(t, acct, actor, {
    source: 'kms.amazonaws.com',
    name: 'ScheduleKeyDeletion',
    region: reg,
    readOnly: false,
    req: { keyId: keyArn, pendingWindowInDays: 30 },
    resp: { keyId: keyArn, deletionDate: iamDate(t + 30 * DAY), keyState: 'PendingDeletion', pendingWindowInDays: 30 },
    resources: [{ accountId: acct.id, type: 'AWS::KMS::Key', ARN: keyArn }],
  });
}

function trailChange(ctx: Ctx, actor: Actor, stop: boolean): CloudTrailRecord {
  const { acct } = ctx;
  if (stop) {
    return ctx.em.record(ctx.t, acct, actor, {
      source: 'cloudtrail.amazonaws.com',
      name: 'StopLogging',
      region: 'us-east-1',
      readOnly: false,
      req: { name: acct.trailArn },
    });
  }
  return ctx.em.record(ctx.t, acct, actor, {
    source: 'cloudtrail.amazonaws.com',
    name: 'UpdateTrail',
    region: 'us-east-1',
    readOnly: false,
    req: { name: acct.trailArn, s3BucketName: acct.trailBucket, isMultiRegionTrail: true, enableLogFileValidation: true },
    resp: {
      name: 'management-events',
      s3BucketName: acct.trailBucket,
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: true,
      trailARN: acct.trailArn,
      logFileValidationEnabled: true,
      isOrganizationTrail: false,
    },
  });
}

function trailRead(ctx: Ctx, actor: Actor): CloudTrailRecord {
  const { r, acct } = ctx;
  const [name, req] = r.pick<readonly [string, unknown]>([
    ['DescribeTrails', { trailNameList: [], includeShadowTrails: true }],
    ['GetTrailStatus', { name: acct.trailArn }],
    ['LookupEvents', { maxResults: 50, lookupAttributes: [{ attributeKey: 'ReadOnly', attributeValue: 'false' }] }],
  ]);
  return ctx.em.record(ctx.t, acct, actor, { source: 'cloudtrail.amazonaws.com', name, region: 'us-east-1', readOnly: true, req });
}

/** A low-privilege developer trying things they may not do. */
function deniedCall(ctx: Ctx): CloudTrailRecord {
  const { r, acct, t } = ctx;
  const u = acct.users.find((x) => x.name === 'bob.smith')!;
  const actor = userActor(ctx.em.seed, acct, u, t, 'cli', r.pick(u.ips));
  const kind = r.weighted([
    ['iam', 4],
    ['s3', 3],
    ['ec2', 3],
  ] as const);
  if (kind === 'iam') {
    const target = r.pick(['svc-backup', 'alice.nguyen']);
    const name = r.pick(['CreateAccessKey', 'AttachUserPolicy', 'ListAttachedUserPolicies']);
    const resource = `arn:aws:iam::${acct.id}:user/${target}`;
    return ctx.em.record(t, acct, actor, {
      source: 'iam.amazonaws.com',
      name,
      region: 'us-east-1',
      readOnly: name.startsWith('List'),
      req:
        name === 'AttachUserPolicy' ? { userName: target, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } : { userName: target },
      ...denied(actor, `iam:${name}`, resource),
    });
  }
  if (kind === 's3') {
    const bucket = acct.buckets[2];
    const host = `${bucket}.s3.us-east-1.amazonaws.com`;
    return ctx.em.record(t, acct, actor, {
      source: 's3.amazonaws.com',
      name: r.pick(['GetBucketPolicy', 'ListObjects', 'GetBucketAcl']),
      region: 'us-east-1',
      readOnly: true,
      req: { bucketName: bucket, Host: host },
      errorCode: 'AccessDenied',
      errorMessage: 'Access Denied',
      resources: [{ accountId: acct.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
      s3RequestId: true,
      host,
    });
  }
  const name = r.pick(['RunInstances', 'TerminateInstances', 'ModifyInstanceAttribute', 'CreateSecurityGroup']);
  return ctx.em.record(t, acct, actor, {
    source: 'ec2.amazonaws.com',
    name,
    region: region(r),
    readOnly: false,
    req:
      name === 'CreateSecurityGroup'
        ? { groupName: `test-${r.hex(4)}`, groupDescription: 'test', vpcId: `vpc-0${r.hex(16)}` }
        : { instancesSet: { items: [{ instanceId: r.pick(acct.instances) }] } },
    errorCode: 'Client.UnauthorizedOperation',
    errorMessage: 'You are not authorized to perform this operation.',
  });
}

// ---------------------------------------------------------------------------------------------
// Streams

/** Relative activity of people by hour of day (UTC). */
const HUMAN_HOURS = [
  0.12, 0.08, 0.06, 0.06, 0.08, 0.15, 0.35, 0.8, 1.4, 1.8, 1.9, 1.8, 1.4, 1.6, 1.9, 1.8, 1.5, 1.1, 0.7, 0.45, 0.3, 0.25, 0.2, 0.15,
];
const HUMAN_WEEKEND = 0.12;
/** Machine traffic follows the clock a little (batch jobs, customers). */
const MACHINE_HOURS = [
  0.8, 0.75, 0.7, 0.7, 0.75, 0.85, 0.95, 1.05, 1.15, 1.2, 1.2, 1.2, 1.15, 1.15, 1.2, 1.2, 1.15, 1.1, 1.05, 1.0, 0.95, 0.9, 0.85, 0.8,
];
const MACHINE_WEEKEND = 0.75;
const HUMAN_SHARE = 0.45;

function mean(a: readonly number[]): number {
  return a.reduce((s, x) => s + x, 0) / a.length;
}

function isWeekend(t: number): boolean {
  const d = new Date(t).getUTCDay();
  return d === 0 || d === 6;
}

function humanEvent(ctx: Ctx): CloudTrailRecord {
  const { r, acct, t, em } = ctx;
  const seed = em.seed;
  const kind = r.weighted([
    ['ssoRead', 30],
    ['cliRead', 14],
    ['ci', 12],
    ['login', 6],
    ['assume', 5],
    ['denied', 3],
    ['lambdaWrite', 2],
    ['iamWrite', 0.3],
    ['sg', 0.5],
    ['kmsAdmin', 0.15],
    ['trailRead', 1.5],
    ['trailWrite', 0.15],
  ] as const);
  switch (kind) {
    case 'ssoRead': {
      const admin = r.chance(0.5);
      const person = r.pick(['alice.nguyen@example.com', 'carol.jones@example.com', 'dave.okafor@example.com', 'erin.lee@example.com']);
      const actor = roleActor(seed, acct, admin ? acct.roles.ssoAdmin : acct.roles.ssoReadOnly, person, t, {
        ip: r.pick(OFFICE_IPS),
        agent: r.chance(0.3) ? 'AWS Internal' : r.pick(BROWSERS),
        console: true,
      });
      const what = r.weighted([
        ['ec2', 5],
        ['iam', 3],
        ['lambda', 2],
        ['kms', 1],
        ['trail', 1],
      ] as const);
      if (what === 'ec2') return ec2Read(ctx, actor);
      if (what === 'iam') return iamRead(ctx, actor);
      if (what === 'lambda') return lambdaCall(ctx, actor, false);
      if (what === 'trail') return trailRead(ctx, actor);
      return em.record(t, acct, actor, {
        source: 'kms.amazonaws.com',
        name: 'ListKeys',
        region: region(r),
        readOnly: true,
        req: { limit: 1000 },
      });
    }
    case 'cliRead': {
      const u = pickUser(ctx, (x) => x.cli);
      const actor = userActor(seed, acct, u, t, 'cli', r.pick(u.ips));
      return r.chance(0.7) ? ec2Read(ctx, actor) : iamRead(ctx, actor);
    }
    case 'ci': {
      if (r.chance(0.3)) return ciAssume(ctx);
      const actor = roleActor(seed, acct, acct.roles.ci, `GitHubActions-${Math.floor(t / HOUR) % 9_000_000_000}`, t, {
        ip: r.pick(CI_IPS),
        agent: TERRAFORM_AGENT,
      });
      const step = r.weighted([
        ['lambda', 4],
        ['s3', 3],
        ['ec2', 3],
      ] as const);
      if (step === 'lambda') return lambdaCall(ctx, actor, true);
      if (step === 's3') return s3Object(ctx, actor, true, { bucket: acct.buckets[0] });
      return ec2Read(ctx, actor);
    }
    case 'login': {
      const u = pickUser(ctx, (x) => x.console);
      return consoleLogin(ctx, u, { fail: r.chance(0.06) });
    }
    case 'assume': {
      const u = pickUser(ctx, (x) => x.admin);
      return assumeRole(ctx, userActor(seed, acct, u, t, 'cli', r.pick(u.ips)), acct.roles.ops, u.name);
    }
    case 'denied':
      return deniedCall(ctx);
    case 'lambdaWrite': {
      const u = pickUser(ctx, (x) => x.admin);
      return lambdaCall(ctx, userActor(seed, acct, u, t, 'cli', r.pick(u.ips)), true);
    }
    case 'iamWrite': {
      const u = pickUser(ctx, (x) => x.admin);
      return iamWrite(ctx, userActor(seed, acct, u, t, r.chance(0.5) ? 'console' : 'cli', r.pick(u.ips)));
    }
    case 'sg': {
      const u = pickUser(ctx, (x) => x.admin);
      return securityGroupChange(ctx, userActor(seed, acct, u, t, r.chance(0.3) ? 'console' : 'cli', r.pick(u.ips)));
    }
    case 'kmsAdmin': {
      const u = pickUser(ctx, (x) => x.admin);
      return kmsAdmin(ctx, userActor(seed, acct, u, t, 'cli', r.pick(u.ips)));
    }
    case 'trailRead': {
      const u = pickUser(ctx, (x) => x.cli);
      return trailRead(ctx, userActor(seed, acct, u, t, 'cli', r.pick(u.ips)));
    }
    case 'trailWrite': {
      const u = pickUser(ctx, (x) => x.admin);
      return trailChange(ctx, userActor(seed, acct, u, t, 'cli', r.pick(u.ips)), false);
    }
  }
}

function machineEvent(ctx: Ctx): CloudTrailRecord {
  const { r, acct, t, em } = ctx;
  const seed = em.seed;
  const kind = r.weighted([
    ['ec2s3', 30],
    ['lambdas3', 12],
    ['kms', 15],
    ['serviceAssume', 14],
    ['config', 14],
    ['ec2Describe', 8],
    ['backup', 4],
    ['trailAcl', 3],
  ] as const);
  switch (kind) {
    case 'ec2s3':
    case 'ec2Describe': {
      const instance = r.pick(acct.instances);
      const actor = roleActor(seed, acct, acct.roles.ec2, instance, t, {
        ip: `54.${r.range(80, 90)}.${r.range(0, 255)}.${r.range(1, 254)}`,
        agent: r.pick(SDK_AGENTS),
        ec2: true,
      });
      if (kind === 'ec2Describe') return ec2Read(ctx, actor, 'us-east-1');
      return s3Object(ctx, actor, r.chance(0.25), { vpce: r.chance(0.4) });
    }
    case 'lambdas3': {
      const fn = r.pick(acct.functions);
      const actor = roleActor(seed, acct, acct.roles.lambda, fn, t, {
        ip: `3.${r.range(80, 95)}.${r.range(0, 255)}.${r.range(1, 254)}`,
        agent: SDK_AGENTS[2],
      });
      return r.chance(0.6) ? s3Object(ctx, actor, r.chance(0.4), { bucket: acct.buckets[1] }) : kmsUse(ctx, actor);
    }
    case 'kms': {
      const actor = roleActor(seed, acct, acct.roles.ec2, r.pick(acct.instances), t, {
        ip: `54.${r.range(80, 90)}.${r.range(0, 255)}.${r.range(1, 254)}`,
        agent: r.pick(SDK_AGENTS),
        ec2: true,
      });
      return kmsUse(ctx, actor);
    }
    case 'serviceAssume': {
      const lambda = r.chance(0.6);
      return assumeRole(
        ctx,
        serviceActor(lambda ? 'lambda.amazonaws.com' : 'ec2.amazonaws.com'),
        lambda ? acct.roles.lambda : acct.roles.ec2,
        lambda ? r.pick(acct.functions) : r.pick(acct.instances),
      );
    }
    case 'config': {
      const actor = roleActor(seed, acct, acct.roles.config, 'AWSConfig-Describe', t, {
        ip: 'config.amazonaws.com',
        agent: 'config.amazonaws.com',
        service: true,
      });
      return ec2Read(ctx, actor);
    }
    case 'backup': {
      const u = acct.users.find((x) => x.name === 'svc-backup')!;
      return s3Object(ctx, userActor(seed, acct, u, t, 'cli', u.ips[0]), true, { bucket: acct.buckets[2] });
    }
    case 'trailAcl': {
      const host = `${acct.trailBucket}.s3.us-east-1.amazonaws.com`;
      return em.record(t, acct, serviceActor('cloudtrail.amazonaws.com'), {
        source: 's3.amazonaws.com',
        name: 'GetBucketAcl',
        region: 'us-east-1',
        readOnly: true,
        req: { bucketName: acct.trailBucket, Host: host, acl: '' },
        resources: [{ accountId: acct.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${acct.trailBucket}` }],
        s3RequestId: true,
      });
    }
  }
}

/** The fixed story in every data set: root logins and one intrusion. */
function fixedEvents(world: Account[], seed: number, start: number, end: number): CloudTrailRecord[] {
  const r = new Rng(hash32(`fixed:${seed}`));
  const em = new Emitter(seed, r);
  const span = end - start;
  const at = (fraction: number) => Math.floor((start + span * fraction) / 1000) * 1000;
  const out: CloudTrailRecord[] = [];
  // Root console logins: one in the main account, one in the last.
  out.push(rootLogin({ em, r, t: at(0.1 + 0.3 * r.next()), acct: world[0] }));
  if (world.length > 1) out.push(rootLogin({ em, r, t: at(0.45 + 0.4 * r.next()), acct: world[world.length - 1] }));
  // The intrusion, in the main account.
  const acct = world[0];
  const bob = acct.users.find((u) => u.name === 'bob.smith')!;
  const tor = r.pick(TOR_IPS);
  let t = at(0.55 + 0.35 * r.next());
  const next = (minS: number, maxS: number) => {
    t += r.range(minS, maxS) * 1000;
    return Math.min(t, Math.floor(end / 1000) * 1000);
  };
  const failures = r.range(6, 12);
  for (let i = 0; i < failures; i++) out.push(consoleLogin({ em, r, t: next(3, 40), acct }, bob, { ip: tor, fail: true, mfa: false }));
  out.push(consoleLogin({ em, r, t: next(5, 60), acct }, bob, { ip: tor, mfa: false }));
  const asBob = () => {
    const a = userActor(seed, acct, bob, t, 'console', tor);
    return a;
  };
  const newUser = `backup-admin-${r.hex(3)}`;
  out.push(iamRead({ em, r, t: next(20, 90), acct }, asBob()));
  out.push(iamWrite({ em, r, t: next(30, 120), acct }, asBob(), 'CreateUser', newUser));
  out.push(iamWrite({ em, r, t: next(10, 60), acct }, asBob(), 'CreateAccessKey', newUser));
  out.push(iamWrite({ em, r, t: next(10, 60), acct }, asBob(), 'AttachUserPolicy', newUser));
  out.push(securityGroupChange({ em, r, t: next(60, 300), acct }, asBob(), { port: 22 }));
  out.push(trailChange({ em, r, t: next(30, 200), acct }, asBob(), true));
  return out;
}

function toMs(now: number | Date | string): number {
  const t = typeof now === 'number' ? now : typeof now === 'string' ? Date.parse(now) : now.getTime();
  if (!Number.isFinite(t)) throw new Error(`generate: now is not a valid time: ${String(now)}`);
  return t;
}

function eventTimeMs(rec: CloudTrailRecord): number {
  return Date.parse(rec.eventTime as string);
}

/** Synthetic CloudTrail records in time order (see the file header). */
export function* generateCloudTrail(opts: GenerateOptions): Generator<CloudTrailRecord> {
  const now = toMs(opts.now);
  const days = opts.days ?? 30;
  const perDay = opts.eventsPerDay ?? 2000;
  const seed = opts.seed ?? 1;
  const ids = opts.accounts?.length ? opts.accounts.map((id, i) => ({ id, label: `account${i + 1}` })) : DEFAULT_ACCOUNTS;
  for (const { id } of ids) if (!/^\d{12}$/.test(id)) throw new Error(`generate: account ID must be 12 digits: ${id}`);
  const world = buildWorld(seed, ids);
  const accountWeights = world.map((a) => [a, a.weight] as const);
  const endS = Math.floor(now / 1000);
  const startS = Math.ceil((now - days * DAY) / 1000);
  if (endS < startS) return;

  // Expected events per hour, normalised so that a week averages `perDay` a day.
  const weekAvgHuman = (5 + 2 * HUMAN_WEEKEND) / 7;
  const weekAvgMachine = (5 + 2 * MACHINE_WEEKEND) / 7;
  const humanPerHour = (perDay * HUMAN_SHARE) / 24 / weekAvgHuman / mean(HUMAN_HOURS);
  const machinePerHour = (perDay * (1 - HUMAN_SHARE)) / 24 / weekAvgMachine / mean(MACHINE_HOURS);

  const fixed = fixedEvents(world, seed, startS * 1000, endS * 1000).sort((a, b) => eventTimeMs(a) - eventTimeMs(b));
  let fixedAt = 0;
  const rng = new Rng(seed);
  const em = new Emitter(seed, rng);
  const firstHour = Math.floor((startS * 1000) / HOUR);
  const lastHour = Math.floor((endS * 1000) / HOUR);
  for (let h = firstHour; h <= lastHour; h++) {
    const hourStart = h * HOUR;
    const hod = new Date(hourStart).getUTCHours();
    const weekend = isWeekend(hourStart);
    const nHuman = rng.poisson(humanPerHour * HUMAN_HOURS[hod] * (weekend ? HUMAN_WEEKEND : 1));
    const nMachine = rng.poisson(machinePerHour * MACHINE_HOURS[hod] * (weekend ? MACHINE_WEEKEND : 1));
    const slots: { t: number; human: boolean }[] = [];
    for (let i = 0; i < nHuman + nMachine; i++) {
      const t = hourStart + rng.int(3600) * 1000;
      if (t / 1000 < startS || t / 1000 > endS) continue;
      slots.push({ t, human: i < nHuman });
    }
    slots.sort((a, b) => a.t - b.t);
    const hourEnd = hourStart + HOUR;
    const out: CloudTrailRecord[] = [];
    for (const s of slots) {
      const ctx: Ctx = { em, r: rng, t: s.t, acct: rng.weighted(accountWeights) };
      out.push(s.human ? humanEvent(ctx) : machineEvent(ctx));
    }
    while (fixedAt < fixed.length && eventTimeMs(fixed[fixedAt]) < hourEnd) out.push(fixed[fixedAt++]);
    out.sort((a, b) => eventTimeMs(a) - eventTimeMs(b));
    yield* out;
  }
}

export function generateCloudTrailRecords(opts: GenerateOptions): CloudTrailRecord[] {
  return Array.from(generateCloudTrail(opts));
}

// ---------------------------------------------------------------------------------------------
// Files as CloudTrail delivers them

export interface WriteFilesOptions {
  /** Records per file (default 1000). */
  recordsPerFile?: number;
  /** Files compressed and written at once (default 4). */
  concurrency?: number;
}

/**
 * Writes records as gzipped `{"Records":[...]}` files in CloudTrail's S3 key layout under `dir`,
 * one series of files per account and region. Returns the paths written, sorted.
 */
export async function writeCloudTrailFiles(
  records: Iterable<CloudTrailRecord>,
  dir: string,
  opts: WriteFilesOptions = {},
): Promise<string[]> {
  const perFile = opts.recordsPerFile ?? 1000;
  const concurrency = opts.concurrency ?? 4;
  const buckets = new Map<string, CloudTrailRecord[]>();
  const written: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const flush = async (acct: string, region: string, recs: CloudTrailRecord[]) => {
    const last = Math.max(...recs.map(eventTimeMs));
    const delivered = new Date(Math.floor((last + 5 * 60_000) / 60_000) * 60_000);
    const iso = delivered.toISOString();
    const [yyyy, mm, dd] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
    const stamp = `${yyyy}${mm}${dd}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
    const unique = Rng.of('file', String(recs[0].eventID)).alnum(16);
    const path = join(dir, 'AWSLogs', acct, 'CloudTrail', region, yyyy, mm, dd, `${acct}_CloudTrail_${region}_${stamp}_${unique}.json.gz`);
    written.push(path);
    const p = (async () => {
      const body = await gzipAsync(JSON.stringify({ Records: recs }));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body);
    })();
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => undefined);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };
  for (const rec of records) {
    const acct = String(rec.recipientAccountId);
    const region = String(rec.awsRegion);
    const key = `${acct}/${region}`;
    let b = buckets.get(key);
    if (b === undefined) {
      b = [];
      buckets.set(key, b);
    }
    b.push(rec);
    if (b.length >= perFile) {
      buckets.delete(key);
      await flush(acct, region, b);
    }
  }
  for (const [key, b] of buckets) {
    const [acct, region] = key.split('/');
    await flush(acct, region, b);
  }
  await Promise.all(inFlight);
  return written.sort();
}
