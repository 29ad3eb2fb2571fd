/**
 * The question kinds the bot answers: one entry per kind in QUESTION_KINDS, each with example
 * questions (for help and suggestions), its chart kind, a title in both languages and a KQL
 * builder. The semantics come from the Azure-Sentinel "Amazon Web Services" content
 * (test/fixtures/peer-queries):
 *
 * - console logins: `EventName == "ConsoleLogin"`, result from ResponseElements.ConsoleLogin
 *   ("Success" / "Failure"; workbook "Sign-in events results");
 * - without MFA: successful logins whose AdditionalEventData.MFAUsed is "No", leaving out
 *   IAM Identity Center sessions (`SessionIssuerUserName !contains "AWSReservedSSO"`), whose MFA
 *   happens at the identity provider (rule "Login to AWS Management Console without MFA");
 * - root: `UserIdentityType == "Root"`, not invoked by an AWS service and not an AwsServiceEvent
 *   (the CIS "root account usage" filter);
 * - IAM changes: successful calls (`isempty(ErrorCode)`, as the IAM hunting queries) to
 *   iam.amazonaws.com that change users, groups, access keys, login profiles, policies, roles,
 *   permission boundaries or MFA devices;
 * - security-group changes: successful ec2.amazonaws.com calls that create, delete or change the
 *   rules of a security group (rule "Changes to AWS Security Group ingress and egress settings"
 *   and the network-activities workbook);
 * - CloudTrail tampering: StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors on
 *   cloudtrail.amazonaws.com, failed attempts included (rule "Changes made to AWS CloudTrail logs");
 * - errors: `isnotempty(ErrorCode)`; access denied: the four AccessDenied error codes;
 * - new regions/services: seen in the window but not in the 30 days before its start (hunting
 *   query "Unused or Unsupported Cloud Regions" uses a lookback the same way);
 * - identity: user name, else the role of an assumed-role session, else the last part of the ARN,
 *   else the AWS service that made the call.
 */
import { ChatopsError } from '../errors.ts';
import { filterConditions } from './catalog/filters.ts';
import { type ChartKind, composeQuery, frameOf, type Labels, type QuerySpec } from './catalog/query.ts';
import { AXIS, type Bilingual, byGroup, fullTitle, groupAxis, inLanguage, refusal, whoPhrase } from './catalog/text.ts';
import { type Filters, GROUP_BYS, type GroupBy, type Intent, QUESTION_KINDS, type QuestionKind } from './intent.ts';
import { type ColumnName, stringLiteral } from './kql-literal.ts';

export type { ChartKind } from './catalog/query.ts';
export type { Bilingual } from './catalog/text.ts';

export interface CatalogEntry {
  kind: QuestionKind;
  /** Questions that ask for this kind, for help text and suggestions. */
  examples: { en: string[]; zh: string[] };
  chart: ChartKind;
  /** `series`: a zero-filled time series (one row per bin, per series); `rank`: top groups; `table`: rows of groups. */
  shape: QuerySpec['shape'];
  /** Groupings a question may ask for instead of the default ("by region"); others are ignored. */
  groupBys: readonly GroupBy[];
  /** For "new X" kinds: the lookback before each period in which X must not appear, ms. */
  lookbackMs?: number;
  title(intent: Intent): Bilingual;
  /** The KQL text, not yet validated: use buildKql() (build-kql.ts), which checks the intent and validates. */
  build(intent: Intent): string;
}

const DAY = 86_400_000;
export const NEW_LOOKBACK_DAYS = 30;
const DEFAULT_LIMIT = 10;
const DEFAULT_SERIES_LIMIT = 5;

/** The column each grouping counts by. */
export const GROUP_COLUMNS: Readonly<Record<GroupBy, ColumnName>> = {
  service: 'EventSource',
  event: 'EventName',
  region: 'AWSRegion',
  identity: 'Identity',
  account: 'RecipientAccountId',
  source_ip: 'SourceIpAddress',
  error: 'ErrorCode',
};

export const ACCESS_DENIED_CODES = [
  'AccessDenied',
  'Client.UnauthorizedOperation',
  'UnauthorizedOperation',
  'AccessDeniedException',
] as const;

export const IAM_CHANGE_EVENTS = [
  'CreateUser',
  'DeleteUser',
  'UpdateUser',
  'CreateAccessKey',
  'UpdateAccessKey',
  'DeleteAccessKey',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'DeleteLoginProfile',
  'CreateGroup',
  'DeleteGroup',
  'AddUserToGroup',
  'RemoveUserFromGroup',
  'AttachUserPolicy',
  'AttachRolePolicy',
  'AttachGroupPolicy',
  'DetachUserPolicy',
  'DetachRolePolicy',
  'DetachGroupPolicy',
  'PutUserPolicy',
  'PutRolePolicy',
  'PutGroupPolicy',
  'DeleteUserPolicy',
  'DeleteRolePolicy',
  'DeleteGroupPolicy',
  'CreatePolicy',
  'DeletePolicy',
  'CreatePolicyVersion',
  'DeletePolicyVersion',
  'SetDefaultPolicyVersion',
  'CreateRole',
  'DeleteRole',
  'UpdateRole',
  'UpdateAssumeRolePolicy',
  'PutUserPermissionsBoundary',
  'DeleteUserPermissionsBoundary',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'CreateVirtualMFADevice',
  'EnableMFADevice',
  'DeactivateMFADevice',
  'DeleteVirtualMFADevice',
] as const;

export const SECURITY_GROUP_EVENTS = [
  'AuthorizeSecurityGroupIngress',
  'AuthorizeSecurityGroupEgress',
  'RevokeSecurityGroupIngress',
  'RevokeSecurityGroupEgress',
  'CreateSecurityGroup',
  'DeleteSecurityGroup',
  'ModifySecurityGroupRules',
] as const;

export const TAMPERING_EVENTS = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'] as const;

const LOGIN_RESULT = 'tostring(parse_json(ResponseElements).ConsoleLogin)';
const MFA_USED = 'tostring(parse_json(AdditionalEventData).MFAUsed)';
const inList = (values: readonly string[]) => `(${values.map(stringLiteral).join(', ')})`;

const ALL_GROUPS: readonly GroupBy[] = GROUP_BYS;

// --- how entries are made ---

interface Common {
  kind: QuestionKind;
  examples: { en: string[]; zh: string[] };
  /** What is counted, for titles: "AWS activity", "IAM changes". */
  subject: (intent: Intent) => Bilingual;
  /** Conditions on AWSCloudTrail rows; a function when the question refines them (failed logins). */
  predicate: readonly string[] | ((intent: Intent) => readonly string[]);
  groupBys: readonly GroupBy[];
  ytitle: Bilingual;
  /** Filters the title names after the window (default: all; identity_activity names its who in the subject). */
  titleFilters?: (filters: Filters) => Filters;
}

function labels(title: Bilingual, intent: Intent, xtitle: Bilingual, ytitle: Bilingual): Labels {
  return {
    title: inLanguage(title, intent.language),
    xtitle: inLanguage(xtitle, intent.language),
    ytitle: inLanguage(ytitle, intent.language),
  };
}

const titleOf = (o: Common, what: Bilingual, intent: Intent) =>
  fullTitle(what, intent.window, o.titleFilters ? o.titleFilters(intent.filters) : intent.filters);

const limitOf = (intent: Intent, dflt: number) => intent.limit ?? dflt;
const predicateOf = (o: Common, intent: Intent) => (typeof o.predicate === 'function' ? o.predicate(intent) : o.predicate);
const allowedGroup = (intent: Intent, allowed: readonly GroupBy[]) =>
  intent.groupBy !== undefined && allowed.includes(intent.groupBy) ? intent.groupBy : undefined;

/** A zero-filled time series; a question's grouping splits it into the busiest `limit` series. */
function seriesEntry(
  o: Common & {
    legend?: { expr: string; values: readonly string[] } | ((intent: Intent) => { expr: string; values: readonly string[] });
    chart?: 'timechart' | 'columnchart';
  },
): CatalogEntry {
  const chart = o.chart ?? 'timechart';
  const what = (intent: Intent): Bilingual => {
    const g = allowedGroup(intent, o.groupBys);
    return g === undefined ? o.subject(intent) : byGroup(o.subject(intent), g, limitOf(intent, DEFAULT_SERIES_LIMIT));
  };
  return {
    kind: o.kind,
    examples: o.examples,
    chart,
    shape: 'series',
    groupBys: o.groupBys,
    title: (intent) => titleOf(o, what(intent), intent),
    build(intent) {
      const g = allowedGroup(intent, o.groupBys);
      const spec: QuerySpec = {
        shape: 'series',
        chart,
        predicate: predicateOf(o, intent),
        filters: filterConditions(intent.filters),
        labels: labels(titleOf(o, what(intent), intent), intent, AXIS.time, o.ytitle),
        legend:
          g !== undefined
            ? { kind: 'top', column: GROUP_COLUMNS[g], limit: limitOf(intent, DEFAULT_SERIES_LIMIT) }
            : o.legend
              ? { kind: 'fixed', ...(typeof o.legend === 'function' ? o.legend(intent) : o.legend) }
              : { kind: 'constant', value: 'AWSCloudTrail' },
      };
      return composeQuery(spec, frameOf(intent.window));
    },
  };
}

/** Groups ranked by count: the default grouping, or the question's where allowed. */
function rankEntry(
  o: Common & { chart: 'columnchart' | 'barchart' | 'piechart'; group: GroupBy; novelty?: boolean; titleWithGroup?: boolean },
): CatalogEntry {
  const group = (intent: Intent) => allowedGroup(intent, o.groupBys) ?? o.group;
  const what = (intent: Intent): Bilingual =>
    o.titleWithGroup === false ? o.subject(intent) : byGroup(o.subject(intent), group(intent), limitOf(intent, DEFAULT_LIMIT));
  const lookback = o.novelty ? NEW_LOOKBACK_DAYS * DAY : undefined;
  return {
    kind: o.kind,
    examples: o.examples,
    chart: o.chart,
    shape: 'rank',
    groupBys: o.groupBys,
    lookbackMs: lookback,
    title: (intent) => titleOf(o, what(intent), intent),
    build(intent) {
      const g = group(intent);
      const spec: QuerySpec = {
        shape: 'rank',
        chart: o.chart,
        predicate: predicateOf(o, intent),
        filters: filterConditions(intent.filters),
        labels: labels(titleOf(o, what(intent), intent), intent, groupAxis(g), o.ytitle),
        group: GROUP_COLUMNS[g],
        limit: limitOf(intent, DEFAULT_LIMIT),
        novelty: o.novelty,
      };
      return composeQuery(spec, frameOf(intent.window, lookback));
    },
  };
}

const fixed = (t: Bilingual) => () => t;

/** The console login results a question asks about: both, or the one it names. */
const outcomesOf = (intent: Intent): string[] =>
  intent.outcome === 'failure' ? ['Failure'] : intent.outcome === 'success' ? ['Success'] : ['Success', 'Failure'];

const TAMPERING_SUBJECT: Bilingual = {
  en: 'CloudTrail tampering attempts (StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors)',
  zh: 'CloudTrail 篡改尝试（StopLogging、DeleteTrail、UpdateTrail、PutEventSelectors）',
};

// --- the entries ---

const ENTRIES: CatalogEntry[] = [
  seriesEntry({
    kind: 'activity_over_time',
    examples: {
      en: ['AWS activity last 30 days', 'AWS activity in eu-west-1 past 24 hours', 'AWS activity this week'],
      zh: ['过去30天的AWS活动', '最近7天的AWS活动', '本周的AWS活动'],
    },
    subject: fixed({ en: 'AWS activity', zh: 'AWS 活动' }),
    predicate: [],
    groupBys: ALL_GROUPS,
    ytitle: AXIS.events,
  }),
  rankEntry({
    kind: 'activity_by_service',
    examples: {
      en: ['AWS activity by service last 7 days', 'which services were used this week'],
      zh: ['过去7天按服务统计的AWS活动', '本周使用了哪些服务'],
    },
    subject: fixed({ en: 'AWS activity', zh: 'AWS 活动' }),
    chart: 'barchart',
    group: 'service',
    predicate: [],
    groupBys: ALL_GROUPS,
    ytitle: AXIS.events,
  }),
  rankEntry({
    kind: 'top_event_names',
    examples: { en: ['top event names this week', 'top 5 event names yesterday'], zh: ['本周最常见的事件名称', '昨天前5的事件名称'] },
    subject: (intent) => ({ en: `Top ${limitOf(intent, DEFAULT_LIMIT)} event names`, zh: `前${limitOf(intent, DEFAULT_LIMIT)}个事件名称` }),
    chart: 'barchart',
    group: 'event',
    titleWithGroup: false,
    predicate: [],
    groupBys: [],
    ytitle: AXIS.events,
  }),
  rankEntry({
    kind: 'activity_by_region',
    examples: {
      en: ['AWS activity by region last 30 days', 'activity per region this month'],
      zh: ['过去30天按区域统计的AWS活动', '本月每个区域的活动'],
    },
    subject: fixed({ en: 'AWS activity', zh: 'AWS 活动' }),
    chart: 'columnchart',
    group: 'region',
    predicate: [],
    groupBys: ALL_GROUPS,
    ytitle: AXIS.events,
  }),
  rankEntry({
    kind: 'activity_by_identity',
    examples: {
      en: ['AWS activity by user last 7 days', 'top 10 identities this week'],
      zh: ['过去7天按用户统计的AWS活动', '本周最活跃的前10个身份'],
    },
    subject: fixed({ en: 'AWS activity', zh: 'AWS 活动' }),
    chart: 'barchart',
    group: 'identity',
    predicate: [],
    groupBys: ALL_GROUPS,
    ytitle: AXIS.events,
  }),
  rankEntry({
    kind: 'activity_by_account',
    examples: {
      en: ['AWS activity by account last 30 days', 'activity per account this month'],
      zh: ['过去30天按账户统计的AWS活动', '本月每个账户的活动'],
    },
    subject: fixed({ en: 'AWS activity', zh: 'AWS 活动' }),
    chart: 'piechart',
    group: 'account',
    predicate: [],
    groupBys: ALL_GROUPS,
    ytitle: AXIS.events,
  }),
  seriesEntry({
    kind: 'errors_over_time',
    examples: { en: ['API errors last 7 days', 'errors by error code this week'], zh: ['过去7天的API错误', '本周按错误代码统计的错误'] },
    subject: fixed({ en: 'API errors', zh: 'API 错误' }),
    predicate: ['isnotempty(ErrorCode)'],
    groupBys: ALL_GROUPS,
    ytitle: AXIS.errors,
  }),
  seriesEntry({
    kind: 'access_denied',
    examples: {
      en: ['AccessDenied errors last 7 days', 'access denied by user this week'],
      zh: ['过去7天的访问被拒绝错误', '本周按用户统计的AccessDenied'],
    },
    subject: fixed({ en: 'Access denied errors', zh: '访问被拒绝错误' }),
    predicate: [`ErrorCode in ${inList(ACCESS_DENIED_CODES)}`],
    groupBys: ALL_GROUPS,
    ytitle: AXIS.errors,
  }),
  seriesEntry({
    kind: 'console_logins',
    examples: {
      en: ['console logins last 30 days', 'failed console logins this week'],
      zh: ['过去30天的控制台登录', '过去7天失败的控制台登录'],
    },
    // "failed console logins" / "失败的控制台登录" ask for one outcome: count only those.
    subject: (intent) =>
      intent.outcome === 'failure'
        ? { en: 'Failed console logins', zh: '失败的控制台登录' }
        : intent.outcome === 'success'
          ? { en: 'Successful console logins', zh: '成功的控制台登录' }
          : { en: 'Console logins, success and failure', zh: '控制台登录（成功与失败）' },
    predicate: (intent) => [
      'EventName == "ConsoleLogin"',
      `${LOGIN_RESULT} in (${outcomesOf(intent)
        .map((o) => `"${o}"`)
        .join(', ')})`,
    ],
    legend: (intent) => ({ expr: LOGIN_RESULT, values: outcomesOf(intent) }),
    groupBys: [],
    ytitle: AXIS.logins,
  }),
  rankEntry({
    kind: 'console_logins_without_mfa',
    examples: {
      en: ['who logged in to the console without MFA this week', 'console logins without MFA last 30 days'],
      zh: ['本周谁在没有MFA的情况下登录了控制台', '过去30天未使用MFA的控制台登录'],
    },
    subject: (intent) =>
      intent.outcome === 'failure'
        ? { en: 'Failed console logins without MFA', zh: '未使用 MFA 的失败控制台登录' }
        : { en: 'Successful console logins without MFA', zh: '未使用 MFA 的成功控制台登录' },
    chart: 'barchart',
    group: 'identity',
    predicate: (intent) => [
      'EventName == "ConsoleLogin"',
      `${LOGIN_RESULT} == "${intent.outcome === 'failure' ? 'Failure' : 'Success'}"`,
      `${MFA_USED} == "No"`,
      'SessionIssuerUserName !contains "AWSReservedSSO"',
    ],
    groupBys: ['identity', 'account', 'region', 'source_ip'],
    ytitle: AXIS.logins,
  }),
  seriesEntry({
    kind: 'root_activity',
    examples: {
      en: ['root account usage last 30 days', 'root activity this month'],
      zh: ['过去30天的根账户使用情况', '本月的root账户活动'],
    },
    subject: fixed({ en: 'Root account activity', zh: '根账户活动' }),
    predicate: ['UserIdentityType == "Root"', 'isempty(UserIdentityInvokedBy)', 'EventTypeName != "AwsServiceEvent"'],
    groupBys: ALL_GROUPS,
    ytitle: AXIS.events,
  }),
  rankEntry({
    kind: 'iam_changes',
    examples: {
      en: ['IAM changes last 7 days', 'new IAM users and access keys this week'],
      zh: ['过去7天的IAM变更', '本周新建的IAM用户和访问密钥'],
    },
    subject: fixed({ en: 'IAM changes', zh: 'IAM 变更' }),
    chart: 'barchart',
    group: 'event',
    predicate: ['EventSource == "iam.amazonaws.com"', `EventName in ${inList(IAM_CHANGE_EVENTS)}`, 'isempty(ErrorCode)'],
    groupBys: ['event', 'identity', 'account', 'region', 'source_ip'],
    ytitle: AXIS.changes,
  }),
  rankEntry({
    kind: 'security_group_changes',
    examples: {
      en: ['security group changes last 7 days', 'who changed security groups this week'],
      zh: ['过去7天的安全组变更', '本周谁修改了安全组'],
    },
    subject: fixed({ en: 'Security group changes', zh: '安全组变更' }),
    chart: 'columnchart',
    group: 'event',
    predicate: ['EventSource == "ec2.amazonaws.com"', `EventName in ${inList(SECURITY_GROUP_EVENTS)}`, 'isempty(ErrorCode)'],
    groupBys: ['event', 'identity', 'account', 'region', 'source_ip'],
    ytitle: AXIS.changes,
  }),
  {
    kind: 'cloudtrail_tampering',
    examples: {
      en: ['CloudTrail tampering last 30 days', 'was CloudTrail logging stopped this week'],
      zh: ['过去30天的CloudTrail篡改', '本周是否有人停止了CloudTrail日志'],
    },
    chart: 'table',
    shape: 'table',
    groupBys: [],
    title: (intent) => fullTitle(TAMPERING_SUBJECT, intent.window, intent.filters),
    build(intent) {
      return composeQuery(
        {
          shape: 'table',
          chart: 'table',
          predicate: ['EventSource == "cloudtrail.amazonaws.com"', `EventName in ${inList(TAMPERING_EVENTS)}`],
          filters: filterConditions(intent.filters),
          labels: labels(fullTitle(TAMPERING_SUBJECT, intent.window, intent.filters), intent, AXIS.time, AXIS.events),
          groups: ['EventName', 'Identity', 'RecipientAccountId', 'AWSRegion'],
          limit: limitOf(intent, DEFAULT_LIMIT),
        },
        frameOf(intent.window),
      );
    },
  },
  rankEntry({
    kind: 'top_source_ips',
    examples: {
      en: ['top source IPs last 7 days', 'top 10 source IP addresses this week'],
      zh: ['过去7天最常见的源IP', '本周前10的源IP地址'],
    },
    subject: (intent) => ({
      en: `Top ${limitOf(intent, DEFAULT_LIMIT)} source IP addresses`,
      zh: `前${limitOf(intent, DEFAULT_LIMIT)}个源 IP 地址`,
    }),
    chart: 'barchart',
    group: 'source_ip',
    titleWithGroup: false,
    // AWS services appear as a name ("ec2.amazonaws.com", "AWS Internal"), not an address: left out.
    predicate: ['(SourceIpAddress matches regex "^[0-9]{1,3}([.][0-9]{1,3}){3}$" or SourceIpAddress contains ":")'],
    groupBys: [],
    ytitle: AXIS.events,
  }),
  rankEntry({
    kind: 'new_regions',
    examples: {
      en: ['new regions this week', 'regions used for the first time in the last 7 days'],
      zh: ['本周新出现的区域', '过去7天首次使用的区域'],
    },
    subject: fixed({
      en: `Activity in new regions (none in the ${NEW_LOOKBACK_DAYS} days before)`,
      zh: `新区域中的活动（此前${NEW_LOOKBACK_DAYS}天内未出现）`,
    }),
    chart: 'columnchart',
    group: 'region',
    novelty: true,
    titleWithGroup: false,
    predicate: [],
    groupBys: [],
    ytitle: AXIS.events,
  }),
  rankEntry({
    kind: 'new_services',
    examples: {
      en: ['new services this week', 'services used for the first time yesterday'],
      zh: ['本周新出现的服务', '昨天首次使用的服务'],
    },
    subject: fixed({
      en: `Activity in new services (none in the ${NEW_LOOKBACK_DAYS} days before)`,
      zh: `新服务中的活动（此前${NEW_LOOKBACK_DAYS}天内未出现）`,
    }),
    chart: 'barchart',
    group: 'service',
    novelty: true,
    titleWithGroup: false,
    predicate: [],
    groupBys: [],
    ytitle: AXIS.events,
  }),
  whoRequired(
    rankEntry({
      kind: 'identity_activity',
      examples: {
        en: ['activity of alice last 7 days', 'what did deploy-bot do yesterday', 'activity of account 123456789012 by service this week'],
        zh: ['alice 过去7天的活动', 'deploy-bot 昨天做了什么', '账户 123456789012 本周按服务统计的活动'],
      },
      subject: (intent) => {
        const who = whoPhrase(intent.filters);
        return { en: `Activity of ${who.en}`, zh: `${who.zh} 的活动` };
      },
      chart: 'barchart',
      group: 'event',
      predicate: [],
      groupBys: ALL_GROUPS,
      ytitle: AXIS.events,
      // The subject names the identities, or else the accounts: the title does not repeat them.
      titleFilters: (f) => (f.identities?.length ? { ...f, identities: undefined } : { ...f, accounts: undefined }),
    }),
  ),
];

/** identity_activity is about someone: without a user, role or account it is refused, not answered for everyone. */
function whoRequired(entry: CatalogEntry): CatalogEntry {
  const check = (intent: Intent) => {
    if (!intent.filters.identities?.length && !intent.filters.accounts?.length) {
      throw new ChatopsError('bad_input', inLanguage(refusal.whoMissing(), intent.language));
    }
  };
  return {
    ...entry,
    title(intent) {
      check(intent);
      return entry.title(intent);
    },
    build(intent) {
      check(intent);
      return entry.build(intent);
    },
  };
}

/** Every entry, in the order of QUESTION_KINDS. */
export const catalog: readonly CatalogEntry[] = Object.freeze(
  QUESTION_KINDS.map((kind) => {
    const e = ENTRIES.find((x) => x.kind === kind);
    if (!e) throw new Error(`catalog: no entry for ${kind}`);
    return Object.freeze(e);
  }),
);

const BY_KIND = new Map(catalog.map((e) => [e.kind, e]));

export function catalogEntry(kind: QuestionKind): CatalogEntry {
  const e = BY_KIND.get(kind);
  if (!e) throw new ChatopsError('internal', `no catalog entry for question kind ${JSON.stringify(kind)}`);
  return e;
}
