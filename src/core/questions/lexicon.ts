/**
 * The words the question parser knows, English and Chinese (simplified), in one place.
 *
 * Every entry is a lowercase phrase (ASCII letters lowercased, CJK as written, single spaces)
 * and the signal it gives. parse-question.ts matches them leftmost-longest: at each position
 * the longest phrase wins ("new regions" before "regions", "根用户" before "用户").
 *
 * Signals:
 * - topic: what the question is about (console logins, errors, IAM changes...). The kind is
 *   chosen from the topics by the precedence in parse-question.ts.
 * - group: a grouping. `explicit` ("by region", "which services", "按区域", "哪些用户") beats
 *   implicit ones (bare "regions", "who", "source IPs", "event names", "地区").
 * - noun: a singular noun ("user", "account", "用户", "身份"), a grouping only when ranked.
 * - service / region / event: filter values, already normalised.
 * - unsupported: understood but not acted on ("per day", "hourly": bins follow the window);
 *   reported in `ignored`.
 */
import type { GroupBy } from './intent.ts';

export type Topic =
  /** activity, 活动 */
  | 'activity'
  /** events, 事件: activity, or event names when ranked ("top events") */
  | 'events'
  | 'errors'
  /** failed, 失败: an outcome for console logins, else errors */
  | 'failure'
  /** successful, 成功: an outcome for console logins */
  | 'success'
  | 'access_denied'
  | 'login'
  | 'no_mfa'
  | 'root'
  | 'iam_changes'
  | 'security_groups'
  | 'tampering'
  | 'new_regions'
  | 'new_services'
  /** changes, 变更: with the IAM service it means IAM changes */
  | 'change'
  /** AWS, CloudTrail: the data source itself; enough for "activity" when nothing else is named */
  | 'domain'
  /** top, most, 最多: ranks groups ("top events" → event names, "top users" → by user) */
  | 'rank'
  /** "for the first time", 首次: with regions or services, the "new regions/services" kinds */
  | 'first_time';

export type Signal =
  | { type: 'topic'; topic: Topic }
  | { type: 'group'; by: GroupBy; explicit: boolean }
  /** A singular noun ("user", "用户"): a grouping only when ranked ("top 10 users", "最活跃的前10个身份"). */
  | { type: 'noun'; by: GroupBy }
  | { type: 'service'; source: string }
  | { type: 'region'; region: string }
  | { type: 'event'; name: string }
  | { type: 'unsupported' };

type Entry = readonly [phrase: string, signal: Signal];

const topic = (t: Topic, phrases: readonly string[]): Entry[] => phrases.map((p) => [p, { type: 'topic', topic: t }] as const);

// ---------------------------------------------------------------- topics

const TOPICS: Entry[] = [
  ...topic('activity', [
    'activity',
    'activities',
    'api activity',
    'api calls',
    'what happened',
    'aws activity',
    '活动',
    '操作',
    '调用',
    'api调用',
    '请求',
    '动态',
  ]),
  ...topic('events', ['events', 'event', 'event count', 'event counts', 'how many events', '事件', '事件数', '事件数量']),
  ...topic('errors', ['error', 'errors', 'erroring', '错误', '报错', '出错', '异常']),
  ...topic('failure', ['failed', 'failure', 'failures', 'unsuccessful', 'failing', '失败', '未成功', '不成功']),
  ...topic('success', ['successful', 'succeeded', 'success', 'successes', '成功']),
  ...topic('access_denied', [
    'accessdenied',
    'access denied',
    'access-denied',
    'accessdeniedexception',
    'denied',
    'permission denied',
    'permissions denied',
    'unauthorized',
    'unauthorised',
    'unauthorizedoperation',
    'unauthorized operation',
    'not authorized',
    '拒绝访问',
    '访问被拒绝',
    '访问拒绝',
    '被拒绝',
    '拒绝',
    '无权限',
    '没有权限',
    '未授权',
    '权限不足',
    '权限被拒绝',
    '无权访问',
  ]),
  ...topic('login', [
    'console',
    'console login',
    'console logins',
    'console log-in',
    'console log-ins',
    'console sign-in',
    'console sign-ins',
    'console signin',
    'console signins',
    'console sign in',
    'console sign ins',
    'management console',
    'aws console',
    'login',
    'logins',
    'log-in',
    'log-ins',
    'log in',
    'log ins',
    'logged in',
    'logged on',
    'logon',
    'logons',
    'sign-in',
    'sign-ins',
    'signin',
    'signins',
    'sign in',
    'sign ins',
    'signed in',
    'mfa',
    ...[
      'logged in to',
      'logged into',
      'log in to',
      'log into',
      'logins to',
      'signed in to',
      'signed into',
      'sign-ins to',
      'sign in to',
    ].flatMap((v) =>
      ['the console', 'console', 'the aws console', 'aws console', 'the management console', 'the aws management console'].map(
        (o) => `${v} ${o}`,
      ),
    ),
    '控制台登录',
    '控制台登陆',
    '登录控制台',
    '登录了控制台',
    '登陆控制台',
    '控制台',
    '登录',
    '登陆',
    '登入',
    '签入',
  ]),
  ...topic('no_mfa', [
    'without mfa',
    'no mfa',
    'not using mfa',
    'without using mfa',
    'without an mfa',
    'without multi-factor',
    'without multi-factor authentication',
    'without multifactor',
    'without 2fa',
    'mfa not used',
    'non-mfa',
    'mfa-less',
    'lacking mfa',
    '未使用mfa',
    '没有mfa',
    '没有使用mfa',
    '没用mfa',
    '不使用mfa',
    '不用mfa',
    '未用mfa',
    '无mfa',
    '不带mfa',
    '未启用mfa',
    '未经mfa',
    '没有多因素认证',
    '未使用多因素认证',
    '无多因素认证',
    '没有多因素身份验证',
  ]),
  ...topic('root', [
    'root',
    'root account',
    'root user',
    'root login',
    'root logins',
    'root usage',
    'root activity',
    'root account usage',
    '根用户',
    '根账户',
    '根帐户',
    '根账号',
    'root用户',
    'root账户',
    'root帐户',
    'root账号',
  ]),
  ...topic('iam_changes', [
    'iam change',
    'iam changes',
    'changes to iam',
    'iam modifications',
    'iam policy changes',
    'iam policies',
    'access key',
    'access keys',
    'accesskey',
    'accesskeys',
    'new access keys',
    'policy',
    'policies',
    'role changes',
    'user changes',
    'group changes',
    'iam role changes',
    'policy change',
    'policy changes',
    'new users',
    'new iam users',
    'iam users created',
    'users created',
    'created users',
    'user creation',
    'permission changes',
    'iam变更',
    'iam更改',
    'iam修改',
    'iam改动',
    'iam的变更',
    '访问密钥',
    '密钥',
    '策略',
    '策略变更',
    '新用户',
    '新建用户',
    '新建的用户',
    '新建iam用户',
    '新建的iam用户',
    '新iam用户',
    '创建用户',
    '权限变更',
  ]),
  ...topic('security_groups', [
    'security group',
    'security groups',
    'security-group',
    'security-groups',
    'securitygroup',
    'sg change',
    'sg changes',
    'security group rules',
    '安全组',
    '安全组规则',
  ]),
  ...topic('tampering', [
    'tampering',
    'tampered',
    'cloudtrail tampering',
    'trail tampering',
    'log tampering',
    'logging stopped',
    'stopped logging',
    'stop logging',
    'logging disabled',
    'disabled logging',
    'logging turned off',
    'trail deleted',
    'trails deleted',
    'deleted trail',
    'deleted trails',
    'cloudtrail changes',
    'changes to cloudtrail',
    'trail changes',
    'cloudtrail disabled',
    '日志篡改',
    '篡改',
    '停止日志',
    '停止',
    '停止了',
    '停止记录',
    '停止了日志',
    '日志被停止',
    '日志停止',
    '关闭日志',
    '日志被关闭',
    '删除跟踪',
    '跟踪被删除',
    'cloudtrail篡改',
    'cloudtrail变更',
    'cloudtrail被篡改',
  ]),
  ...topic('new_regions', [
    'new region',
    'new regions',
    'regions not seen before',
    'unseen regions',
    'unused regions',
    'unusual regions',
    'first-seen regions',
    'first seen regions',
    'new aws regions',
    '新区域',
    '新的区域',
    '新地区',
    '新的地区',
    '新出现的区域',
    '首次出现的区域',
    '没用过的区域',
  ]),
  ...topic('new_services', [
    'new service',
    'new services',
    'services not seen before',
    'unseen services',
    'first-seen services',
    'first seen services',
    'new aws services',
    '新服务',
    '新的服务',
    '新出现的服务',
    '首次出现的服务',
    '首次使用的服务',
    '没用过的服务',
  ]),
  ...topic('change', ['change', 'changes', 'changed', 'modification', 'modifications', 'modified', '变更', '更改', '修改', '改动', '变化']),
  ...topic('domain', [
    'aws',
    'amazon',
    'amazon web services',
    'cloudtrail',
    'cloud trail',
    'aws cloudtrail',
    'cloudtrail logs',
    'cloudtrail events',
    'awscloudtrail',
    '亚马逊',
  ]),
  ...topic('rank', [
    'top',
    'most',
    'most common',
    'most frequent',
    'most active',
    'busiest',
    'highest',
    '最多',
    '最多的',
    '最常见的',
    '最频繁的',
    '最活跃',
    '最活跃的',
    '排行',
    '排名',
    '热门',
  ]),
  ...topic('first_time', [
    'for the first time',
    'first time',
    'first-time',
    'never seen before',
    'not seen before',
    '首次',
    '第一次',
    '首次使用',
    '首次出现',
    '新出现',
    '新出现的',
    '从未出现',
  ]),
];

// ---------------------------------------------------------------- groupings

const GROUP_NOUNS: Record<GroupBy, { en: string[]; zh: string[] }> = {
  service: {
    en: ['service', 'services', 'event source', 'event sources', 'eventsource', 'aws service', 'aws services'],
    zh: ['服务', '事件源'],
  },
  event: {
    en: [
      'event',
      'events',
      'event name',
      'event names',
      'eventname',
      'api',
      'apis',
      'api call',
      'api calls',
      'action',
      'actions',
      'operation',
      'operations',
    ],
    zh: ['事件', '事件名称', '事件名', 'api', 'api调用', '操作'],
  },
  region: { en: ['region', 'regions', 'aws region', 'aws regions'], zh: ['区域', '地区'] },
  identity: {
    en: [
      'user',
      'users',
      'identity',
      'identities',
      'principal',
      'principals',
      'role',
      'roles',
      'username',
      'usernames',
      'caller',
      'callers',
      'iam user',
      'iam users',
    ],
    zh: ['用户', '身份', '角色', '主体', '调用者', 'iam用户'],
  },
  account: {
    en: ['account', 'accounts', 'account id', 'account ids', 'aws account', 'aws accounts'],
    zh: ['账户', '账号', '帐户', '帐号', 'aws账户'],
  },
  source_ip: {
    en: [
      'ip',
      'ips',
      'ip address',
      'ip addresses',
      'source ip',
      'source ips',
      'source ip address',
      'source ip addresses',
      'source address',
      'source addresses',
      'caller ip',
      'caller ips',
    ],
    zh: ['ip', 'ip地址', '来源ip', '源ip', '来源ip地址', '源ip地址', '来源地址', '源地址'],
  },
  error: {
    en: ['error', 'errors', 'error code', 'error codes', 'error type', 'error types'],
    zh: ['错误', '错误代码', '错误码', '错误类型'],
  },
};

const GROUP_PREFIXES_EN = [
  'by',
  'per',
  'for each',
  'each',
  'grouped by',
  'group by',
  'broken down by',
  'split by',
  'which',
  'what',
  'top',
  'most active',
  'most common',
  'most frequent',
  'busiest',
];
const GROUP_PREFIXES_ZH = [
  '按',
  '按照',
  '根据',
  '分',
  '各',
  '各个',
  '每个',
  '哪些',
  '哪个',
  '不同',
  '最活跃的',
  '最多的',
  '最常见的',
  '排名靠前的',
  '所有',
];
const GROUP_SUFFIXES_ZH = ['分布', '排行', '排名', '统计'];

/** Bare nouns that group on their own (English plurals; Chinese has no plural, so the nouns the brief names). */
const IMPLICIT_GROUPS: Record<GroupBy, string[]> = {
  service: ['services', 'event sources', 'aws services', '服务', '事件源'],
  event: ['event names', 'event name', 'eventname', 'api calls by name', '事件名称', '事件名'],
  region: ['regions', 'aws regions', '区域', '地区'],
  identity: ['users', 'identities', 'principals', 'roles', 'usernames', 'callers', 'who', 'whom', '谁'],
  account: ['accounts', 'aws accounts', 'account ids'],
  source_ip: [
    'ip',
    'ips',
    'ip address',
    'ip addresses',
    'source ip',
    'source ips',
    'source ip address',
    'source ip addresses',
    'source addresses',
    'caller ips',
    'ip地址',
    '来源ip',
    '源ip',
    '来源ip地址',
    '源ip地址',
    '来源地址',
    '源地址',
  ],
  error: ['error codes', 'error code', 'error types', '错误代码', '错误码', '错误类型'],
};

/** Singular nouns: groupings only when ranked. */
const NOUNS: Partial<Record<GroupBy, string[]>> = {
  service: ['service', 'aws service', 'event source'],
  region: ['region', 'aws region'],
  identity: [
    'user',
    'identity',
    'principal',
    'role',
    'username',
    'user name',
    'caller',
    'iam user',
    '用户',
    '身份',
    '角色',
    '主体',
    '调用者',
  ],
  account: ['account', 'aws account', 'account id', '账户', '账号', '帐户', '帐号'],
};

function groupEntries(): Entry[] {
  const out: Entry[] = [];
  for (const [by, nouns] of Object.entries(GROUP_NOUNS) as [GroupBy, { en: string[]; zh: string[] }][]) {
    const explicit: Signal = { type: 'group', by, explicit: true };
    for (const p of GROUP_PREFIXES_EN) for (const n of nouns.en) out.push([`${p} ${n}`, explicit]);
    for (const p of GROUP_PREFIXES_ZH) for (const n of nouns.zh) out.push([`${p}${n}`, explicit]);
    for (const s of GROUP_SUFFIXES_ZH) for (const n of nouns.zh) out.push([`${n}${s}`, explicit]);
    for (const n of IMPLICIT_GROUPS[by]) out.push([n, { type: 'group', by, explicit: false }]);
    for (const n of NOUNS[by] ?? []) out.push([n, { type: 'noun', by }]);
  }
  return out;
}

// ---------------------------------------------------------------- services

/** Service words → event source. "CloudTrail" alone names the data source (a domain word), not the service. */
export const SERVICES: Record<string, string> = {
  s3: 's3.amazonaws.com',
  ec2: 'ec2.amazonaws.com',
  iam: 'iam.amazonaws.com',
  kms: 'kms.amazonaws.com',
  lambda: 'lambda.amazonaws.com',
  sts: 'sts.amazonaws.com',
  'cloudtrail service': 'cloudtrail.amazonaws.com',
  'cloudtrail api': 'cloudtrail.amazonaws.com',
  cloudtrail服务: 'cloudtrail.amazonaws.com',
  'sign-in service': 'signin.amazonaws.com',
  'signin service': 'signin.amazonaws.com',
  'aws sign-in': 'signin.amazonaws.com',
  'aws signin': 'signin.amazonaws.com',
  rds: 'rds.amazonaws.com',
  dynamodb: 'dynamodb.amazonaws.com',
  sns: 'sns.amazonaws.com',
  sqs: 'sqs.amazonaws.com',
  ecr: 'ecr.amazonaws.com',
  ecs: 'ecs.amazonaws.com',
  eks: 'eks.amazonaws.com',
  ssm: 'ssm.amazonaws.com',
  'systems manager': 'ssm.amazonaws.com',
  'secrets manager': 'secretsmanager.amazonaws.com',
  secretsmanager: 'secretsmanager.amazonaws.com',
  guardduty: 'guardduty.amazonaws.com',
  organizations: 'organizations.amazonaws.com',
  cloudformation: 'cloudformation.amazonaws.com',
  cloudwatch: 'monitoring.amazonaws.com',
  'cloudwatch logs': 'logs.amazonaws.com',
  route53: 'route53.amazonaws.com',
  'route 53': 'route53.amazonaws.com',
  glue: 'glue.amazonaws.com',
  sso: 'sso.amazonaws.com',
  'identity center': 'sso.amazonaws.com',
  elb: 'elasticloadbalancing.amazonaws.com',
  'elastic load balancing': 'elasticloadbalancing.amazonaws.com',
  cloudfront: 'cloudfront.amazonaws.com',
  athena: 'athena.amazonaws.com',
  redshift: 'redshift.amazonaws.com',
  kinesis: 'kinesis.amazonaws.com',
  sagemaker: 'sagemaker.amazonaws.com',
  bedrock: 'bedrock.amazonaws.com',
  eventbridge: 'events.amazonaws.com',
  'security hub': 'securityhub.amazonaws.com',
  securityhub: 'securityhub.amazonaws.com',
  'config service': 'config.amazonaws.com',
  'aws config': 'config.amazonaws.com',
};

function serviceEntries(): Entry[] {
  const out: Entry[] = [];
  for (const [word, source] of Object.entries(SERVICES)) {
    const s: Signal = { type: 'service', source };
    out.push([word, s], [`aws ${word}`, s], [`amazon ${word}`, s]);
    if (!/service|服务/.test(word)) out.push([`${word} service`, s], [`${word} api`, s], [`${word}服务`, s], [`${word} 服务`, s]);
  }
  return out;
}

// ---------------------------------------------------------------- regions

/** Region codes: `[a-z]{2}(-gov|-iso|-isob)?-<direction>-<n>`. */
export const REGION_CODE_SOURCE =
  '[a-z]{2}(?:-gov|-iso|-isob)?-(?:east|west|north|south|central|northeast|northwest|southeast|southwest)-\\d{1,2}';

/** Well-known region names (English and Chinese) → code. */
export const REGION_NAMES: Record<string, string> = {
  'n. virginia': 'us-east-1',
  'northern virginia': 'us-east-1',
  virginia: 'us-east-1',
  北弗吉尼亚: 'us-east-1',
  弗吉尼亚: 'us-east-1',
  ohio: 'us-east-2',
  俄亥俄: 'us-east-2',
  'n. california': 'us-west-1',
  'northern california': 'us-west-1',
  北加州: 'us-west-1',
  北加利福尼亚: 'us-west-1',
  oregon: 'us-west-2',
  俄勒冈: 'us-west-2',
  frankfurt: 'eu-central-1',
  法兰克福: 'eu-central-1',
  zurich: 'eu-central-2',
  苏黎世: 'eu-central-2',
  ireland: 'eu-west-1',
  爱尔兰: 'eu-west-1',
  london: 'eu-west-2',
  伦敦: 'eu-west-2',
  paris: 'eu-west-3',
  巴黎: 'eu-west-3',
  stockholm: 'eu-north-1',
  斯德哥尔摩: 'eu-north-1',
  milan: 'eu-south-1',
  米兰: 'eu-south-1',
  spain: 'eu-south-2',
  西班牙: 'eu-south-2',
  tokyo: 'ap-northeast-1',
  东京: 'ap-northeast-1',
  seoul: 'ap-northeast-2',
  首尔: 'ap-northeast-2',
  osaka: 'ap-northeast-3',
  大阪: 'ap-northeast-3',
  singapore: 'ap-southeast-1',
  新加坡: 'ap-southeast-1',
  sydney: 'ap-southeast-2',
  悉尼: 'ap-southeast-2',
  jakarta: 'ap-southeast-3',
  雅加达: 'ap-southeast-3',
  melbourne: 'ap-southeast-4',
  墨尔本: 'ap-southeast-4',
  mumbai: 'ap-south-1',
  孟买: 'ap-south-1',
  hyderabad: 'ap-south-2',
  海得拉巴: 'ap-south-2',
  'hong kong': 'ap-east-1',
  香港: 'ap-east-1',
  'sao paulo': 'sa-east-1',
  'são paulo': 'sa-east-1',
  圣保罗: 'sa-east-1',
  'canada central': 'ca-central-1',
  加拿大中部: 'ca-central-1',
  bahrain: 'me-south-1',
  巴林: 'me-south-1',
  uae: 'me-central-1',
  阿联酋: 'me-central-1',
  'tel aviv': 'il-central-1',
  特拉维夫: 'il-central-1',
  'cape town': 'af-south-1',
  开普敦: 'af-south-1',
  beijing: 'cn-north-1',
  北京: 'cn-north-1',
  ningxia: 'cn-northwest-1',
  宁夏: 'cn-northwest-1',
};

function regionEntries(): Entry[] {
  return Object.entries(REGION_NAMES).map(([name, region]) => [name, { type: 'region', region }] as const);
}

// ---------------------------------------------------------------- event names

/** CloudTrail event names the parser knows in any letter case (CamelCase ones it reads as written). */
export const KNOWN_EVENT_NAMES = [
  'ConsoleLogin',
  'StopLogging',
  'StartLogging',
  'DeleteTrail',
  'UpdateTrail',
  'CreateTrail',
  'PutEventSelectors',
  'DeleteFlowLogs',
  'DeleteEventBus',
  'DeleteLogGroup',
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'GetSessionToken',
  'GetCallerIdentity',
  'CreateUser',
  'DeleteUser',
  'CreateAccessKey',
  'DeleteAccessKey',
  'UpdateAccessKey',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'AttachUserPolicy',
  'AttachRolePolicy',
  'AttachGroupPolicy',
  'PutUserPolicy',
  'PutRolePolicy',
  'PutGroupPolicy',
  'DetachUserPolicy',
  'DetachRolePolicy',
  'CreatePolicy',
  'CreatePolicyVersion',
  'SetDefaultPolicyVersion',
  'CreateRole',
  'DeleteRole',
  'UpdateAssumeRolePolicy',
  'AddUserToGroup',
  'RemoveUserFromGroup',
  'AuthorizeSecurityGroupIngress',
  'AuthorizeSecurityGroupEgress',
  'RevokeSecurityGroupIngress',
  'RevokeSecurityGroupEgress',
  'CreateSecurityGroup',
  'DeleteSecurityGroup',
  'RunInstances',
  'TerminateInstances',
  'StartInstances',
  'StopInstances',
  'GetObject',
  'PutObject',
  'DeleteObject',
  'DeleteBucket',
  'PutBucketPolicy',
  'PutBucketAcl',
  'DeleteBucketPolicy',
  'ListBuckets',
  'CreateKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'PutKeyPolicy',
  'CreateFunction',
  'UpdateFunctionCode',
  'DeleteDetector',
  'UpdateDetector',
] as const;

/** Event names that mean CloudTrail tampering (the peer rule AWS_LogTampering's list). */
export const TAMPERING_EVENT_NAMES: ReadonlySet<string> = new Set([
  'UpdateTrail',
  'DeleteTrail',
  'StopLogging',
  'DeleteFlowLogs',
  'DeleteEventBus',
  'DeleteLogGroup',
]);

/** Words that look like CamelCase event names but are services, products or error codes. */
export const NOT_EVENT_NAMES: ReadonlySet<string> = new Set(
  [
    'CloudTrail',
    'CloudWatch',
    'CloudFormation',
    'CloudFront',
    'CloudShell',
    'GuardDuty',
    'DynamoDB',
    'SecretsManager',
    'SecurityHub',
    'SageMaker',
    'EventBridge',
    'AccessDenied',
    'AccessDeniedException',
    'UnauthorizedOperation',
    'OpenSearch',
    'ElastiCache',
    'LogAnalytics',
    'SentinelChatops',
  ].map((w) => w.toLowerCase()),
);

function eventEntries(): Entry[] {
  // ConsoleLogin also chooses console_logins, whose whole scope it is (parse-question.ts drops it there).
  return KNOWN_EVENT_NAMES.map((name) => [name.toLowerCase(), { type: 'event', name }] as const);
}

// ---------------------------------------------------------------- understood, not used

const UNSUPPORTED: Entry[] = [
  'per day',
  'per hour',
  'by day',
  'by hour',
  'each day',
  'each hour',
  'daily',
  'hourly',
  'per week',
  'weekly',
  '每天',
  '每日',
  '每小时',
  '按天',
  '按小时',
  '按日',
  '每周',
].map((p) => [p, { type: 'unsupported' }] as const);

// ---------------------------------------------------------------- the table

function buildTable(): Map<string, Entry[]> {
  const all = [...TOPICS, ...groupEntries(), ...serviceEntries(), ...regionEntries(), ...eventEntries(), ...UNSUPPORTED];
  const seen = new Set<string>();
  const index = new Map<string, Entry[]>();
  for (const entry of all) {
    const [phrase] = entry;
    if (seen.has(phrase)) continue; // first definition wins (topics before groups before values)
    seen.add(phrase);
    const key = phraseKey(phrase, 0);
    const list = index.get(key);
    if (list) list.push(entry);
    else index.set(key, [entry]);
  }
  for (const list of index.values()) list.sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));
  return index;
}

const isAsciiAlnum = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);

/** The key a phrase is indexed under, and looked up by at a position: the ASCII word there, else the one character. */
export function phraseKey(text: string, at: number): string {
  let end = at;
  while (end < text.length && isAsciiAlnum(text.charCodeAt(end))) end++;
  return end > at ? text.slice(at, end) : text.slice(at, at + 1);
}

/** Phrases by their first ASCII word or first character, longest first. */
export const PHRASE_INDEX: ReadonlyMap<string, readonly Entry[]> = buildTable();

export function isWordChar(c: number): boolean {
  return isAsciiAlnum(c);
}

// ---------------------------------------------------------------- words that carry no meaning

export const STOPWORDS_EN: ReadonlySet<string> = new Set(
  (
    'the a an of in on at for to from with and or me my our us we i you show give get list display see view chart graph plot draw ' +
    'please pls what whats was were is are be been how many much did do does done has have had there which count counts number numbers ' +
    'total totals trend trends over time happened happen happening recent recently during any all every can could would tell about by per ' +
    'this that these those it its so far up now across within summary report overview data log logs stats statistics volume breakdown ' +
    'using used use made make call calls anything something look like vs versus same timeline histogram s t made who whose ' +
    'into onto as out than last past previous latest named called id number name names api apis ' +
    'were was any some our their them they he she his her ok okay hi hey thanks thank just only also more less level someone anyone'
  ).split(' '),
);

/** Chinese words removed from what was not understood (greedy, longest first). */
export const STOPWORDS_ZH: ReadonlySet<string> = new Set(
  (
    '的 了 吗 呢 吧 啊 呀 请 请问 显示 展示 给我 给出 帮我 看看 看一下 查看 查询 查一下 查 列出 统计 一下 在 中 里 内 有 有没有 多少 次 次数 ' +
    '个 什么 是 和 与 及 以及 或 或者 图 图表 画图 情况 情况下 数据 日志 所有 全部 总数 数量 趋势 发生 发生了 都 我 我们 一共 共 期间 时间 ' +
    '最近 过去 近期 这 那 哪 被 把 对 从 来自 上 下 做 进行 出现 为 怎么样 如何 多 少 下的 中的 上的 了吗 哪些 哪个 各 按 所 每 期间 ' +
    '时候 时 之 其 该 个人 名 位 种 项 在内 使用 使用了 用了 是否 有人 有没有人 谁的 哪位 做了 新建 新建的 创建的'
  ).split(' '),
);
export const MAX_ZH_STOPWORD_LENGTH = Math.max(...[...STOPWORDS_ZH].map((w) => w.length));

/**
 * Time words that, left over after the time phrases were read, mean the time was not
 * understood: the question is refused rather than answered for a default window.
 */
export const TIME_WORDS_EN: ReadonlySet<string> = new Set(
  (
    'since ago until till between hour hours hr hrs day days week weeks wk wks month months year years yr yrs minute minutes min mins ' +
    'second seconds weekend weekends morning tonight night fortnight monday tuesday wednesday thursday friday saturday sunday ' +
    'january february april june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'tomorrow'
  ).split(' '),
);
export const TIME_MARKERS_ZH = [
  '天',
  '小时',
  '钟头',
  '周',
  '星期',
  '礼拜',
  '月',
  '年',
  '以来',
  '至今',
  '分钟',
  '秒',
  '明天',
  '前天',
  '日期',
];
