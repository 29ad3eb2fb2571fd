import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalog } from '../../../../src/core/questions/catalog.ts';
import type { Filters, GroupBy, Intent, QuestionKind } from '../../../../src/core/questions/intent.ts';
import { MAX_QUESTION_LENGTH, parseQuestion } from '../../../../src/core/questions/parse-question.ts';
import { type ParseProblem, refusalText } from '../../../../src/core/questions/question-text.ts';
import { resolveWindow } from '../../../../src/core/questions/time-window.ts';

/** Thursday 2026-10-15, 12:30 UTC. */
const NOW = Date.parse('2026-10-15T12:30:00Z');

function windowOf(phrase: string, timeZone = 'UTC') {
  const r = resolveWindow(phrase, { now: NOW, timeZone });
  if (!r.ok) throw new Error(`bad test window ${phrase}`);
  return r.window;
}

function intentOf(question: string, timeZone?: string): Intent {
  const r = parseQuestion(question, { now: NOW, timeZone });
  if (!r.ok) assert.fail(`"${question}" was refused: ${r.code}: ${r.reason}`);
  return r.intent;
}

interface Expected {
  kind: QuestionKind;
  /** A phrase resolveWindow reads to the expected window (time-window.test.ts checks those). */
  window: string;
  filters?: Filters;
  groupBy?: GroupBy;
  limit?: number;
  outcome?: 'success' | 'failure';
}

function expected(question: string, e: Expected): Intent {
  return {
    kind: e.kind,
    language: /\p{Script=Han}/u.test(question) ? 'zh' : 'en',
    window: windowOf(e.window),
    filters: e.filters ?? {},
    ...(e.groupBy ? { groupBy: e.groupBy } : {}),
    ...(e.limit ? { limit: e.limit } : {}),
    ...(e.outcome ? { outcome: e.outcome } : {}),
    timeZone: 'UTC',
  };
}

const TABLE: [string, Expected][] = [
  // activity over time
  ['AWS activity last 30 days', { kind: 'activity_over_time', window: 'last 30 days' }],
  ['过去30天的AWS活动', { kind: 'activity_over_time', window: 'last 30 days' }],
  ['/sentinel AWS activity last 30 days', { kind: 'activity_over_time', window: 'last 30 days' }],
  ['AWS activity', { kind: 'activity_over_time', window: 'last 7 days' }],
  ['CloudTrail events in the past 24 hours', { kind: 'activity_over_time', window: 'past 24 hours' }],
  ['activity 30d', { kind: 'activity_over_time', window: 'last 30 days' }],
  ['最近一个月的活动', { kind: 'activity_over_time', window: 'last 30 days' }],
  ['过去七天的事件', { kind: 'activity_over_time', window: 'last 7 days' }],
  ['AWS activity in eu-west-1 past 24 hours', { kind: 'activity_over_time', window: 'past 24 hours', filters: { regions: ['eu-west-1'] } }],
  [
    'S3 activity in account 012345678901 since 2026-10-01',
    { kind: 'activity_over_time', window: 'since 2026-10-01', filters: { accounts: ['012345678901'], eventSources: ['s3.amazonaws.com'] } },
  ],
  [
    '自2026-10-01以来账户012345678901中的S3活动',
    { kind: 'activity_over_time', window: 'since 2026-10-01', filters: { accounts: ['012345678901'], eventSources: ['s3.amazonaws.com'] } },
  ],
  ['activity in Frankfurt this month', { kind: 'activity_over_time', window: 'this month', filters: { regions: ['eu-central-1'] } }],
  ['本月法兰克福的活动', { kind: 'activity_over_time', window: 'this month', filters: { regions: ['eu-central-1'] } }],
  [
    'KMS and Lambda activity in us-gov-west-1 and ap-southeast-2 today',
    {
      kind: 'activity_over_time',
      window: 'today',
      filters: { regions: ['ap-southeast-2', 'us-gov-west-1'], eventSources: ['kms.amazonaws.com', 'lambda.amazonaws.com'] },
    },
  ],
  [
    'lambda.amazonaws.com activity yesterday',
    { kind: 'activity_over_time', window: 'yesterday', filters: { eventSources: ['lambda.amazonaws.com'] } },
  ],
  ['account 0123-4567-8901 activity', { kind: 'activity_over_time', window: 'last 7 days', filters: { accounts: ['012345678901'] } }],
  ['GetObject events last week', { kind: 'activity_over_time', window: 'last week', filters: { eventNames: ['GetObject'] } }],
  ['event PutBucketPolicy this month', { kind: 'activity_over_time', window: 'this month', filters: { eventNames: ['PutBucketPolicy'] } }],
  // groupings of activity
  ['activity by service this week', { kind: 'activity_by_service', window: 'this week' }],
  ['which services were used this week', { kind: 'activity_by_service', window: 'this week' }],
  ['本周使用了哪些服务', { kind: 'activity_by_service', window: 'this week' }],
  ['按区域的活动 最近7天', { kind: 'activity_by_region', window: 'last 7 days' }],
  ['activity by region last 7 days', { kind: 'activity_by_region', window: 'last 7 days' }],
  ['top ten regions last month', { kind: 'activity_by_region', window: 'last month', limit: 10 }],
  ['上个月前十个区域', { kind: 'activity_by_region', window: 'last month', limit: 10 }],
  ['activity per account this month', { kind: 'activity_by_account', window: 'this month' }],
  ['本月每个账户的活动', { kind: 'activity_by_account', window: 'this month' }],
  ['AWS activity by user last 7 days', { kind: 'activity_by_identity', window: 'last 7 days' }],
  ['top 5 users yesterday', { kind: 'activity_by_identity', window: 'yesterday', limit: 5 }],
  ['昨天前5个用户', { kind: 'activity_by_identity', window: 'yesterday', limit: 5 }],
  ['本周最活跃的前10个身份', { kind: 'activity_by_identity', window: 'this week', limit: 10 }],
  ['who was active in us-east-1 today', { kind: 'activity_by_identity', window: 'today', filters: { regions: ['us-east-1'] } }],
  [
    'who called CreateAccessKey this week',
    { kind: 'activity_by_identity', window: 'this week', filters: { eventNames: ['CreateAccessKey'] } },
  ],
  ['top 5 event names yesterday', { kind: 'top_event_names', window: 'yesterday', limit: 5 }],
  ['昨天前5的事件名称', { kind: 'top_event_names', window: 'yesterday', limit: 5 }],
  ['most common events this week', { kind: 'top_event_names', window: 'this week' }],
  ['本周最多的事件', { kind: 'top_event_names', window: 'this week' }],
  ['top 10 source IPs last 24 hours', { kind: 'top_source_ips', window: 'past 24 hours', limit: 10 }],
  ['过去24小时前10的来源IP', { kind: 'top_source_ips', window: 'past 24 hours', limit: 10 }],
  // errors
  ['errors last 24 hours', { kind: 'errors_over_time', window: 'past 24 hours' }],
  ['过去24小时的错误', { kind: 'errors_over_time', window: 'past 24 hours' }],
  ['API failures by service this week', { kind: 'errors_over_time', window: 'this week', groupBy: 'service' }],
  ['errors by error code this week', { kind: 'errors_over_time', window: 'this week', groupBy: 'error' }],
  ['AccessDenied errors last 7 days', { kind: 'access_denied', window: 'last 7 days' }],
  ['unauthorized calls by region yesterday', { kind: 'access_denied', window: 'yesterday', groupBy: 'region' }],
  ['昨天按区域的拒绝访问', { kind: 'access_denied', window: 'yesterday', groupBy: 'region' }],
  ['本周无权限的错误', { kind: 'access_denied', window: 'this week' }],
  // console logins
  ['console logins last 30 days', { kind: 'console_logins', window: 'last 30 days' }],
  ['过去30天的控制台登录', { kind: 'console_logins', window: 'last 30 days' }],
  ['failed console logins last 7 days', { kind: 'console_logins', window: 'last 7 days', outcome: 'failure' }],
  ['过去7天失败的控制台登录', { kind: 'console_logins', window: 'last 7 days', outcome: 'failure' }],
  ['successful sign-ins today', { kind: 'console_logins', window: 'today', outcome: 'success' }],
  ['event ConsoleLogin last week', { kind: 'console_logins', window: 'last week' }],
  ['failed logins by source IP this week', { kind: 'console_logins', window: 'this week', groupBy: 'source_ip', outcome: 'failure' }],
  ['console logins of user alice yesterday', { kind: 'console_logins', window: 'yesterday', filters: { identities: ['alice'] } }],
  ['用户 alice 昨天的控制台登录', { kind: 'console_logins', window: 'yesterday', filters: { identities: ['alice'] } }],
  [
    'show failed logins for alice',
    { kind: 'console_logins', window: 'last 7 days', filters: { identities: ['alice'] }, outcome: 'failure' },
  ],
  [
    '过去7天alice失败的控制台登录',
    { kind: 'console_logins', window: 'last 7 days', filters: { identities: ['alice'] }, outcome: 'failure' },
  ],
  ['who logged in to the console without MFA this week', { kind: 'console_logins_without_mfa', window: 'this week', groupBy: 'identity' }],
  ['本周谁在没有MFA的情况下登录了控制台', { kind: 'console_logins_without_mfa', window: 'this week', groupBy: 'identity' }],
  ['console logins without MFA last 30 days', { kind: 'console_logins_without_mfa', window: 'last 30 days' }],
  ['过去30天未使用MFA的控制台登录', { kind: 'console_logins_without_mfa', window: 'last 30 days' }],
  [
    'logins with no MFA in account 111122223333',
    { kind: 'console_logins_without_mfa', window: 'last 7 days', filters: { accounts: ['111122223333'] } },
  ],
  // security topics
  ['root account usage last 30 days', { kind: 'root_activity', window: 'last 30 days' }],
  ['过去30天的根账户使用情况', { kind: 'root_activity', window: 'last 30 days' }],
  ['root logins this month', { kind: 'root_activity', window: 'this month' }],
  ['IAM changes last 7 days', { kind: 'iam_changes', window: 'last 7 days' }],
  ['过去7天的IAM变更', { kind: 'iam_changes', window: 'last 7 days' }],
  ['changes to IAM last week', { kind: 'iam_changes', window: 'last week' }],
  ['new access keys and policies this week', { kind: 'iam_changes', window: 'this week' }],
  ['本周的访问密钥和策略', { kind: 'iam_changes', window: 'this week' }],
  ['security group changes last 7 days', { kind: 'security_group_changes', window: 'last 7 days' }],
  ['过去7天的安全组变更', { kind: 'security_group_changes', window: 'last 7 days' }],
  ['who changed security groups this week', { kind: 'security_group_changes', window: 'this week', groupBy: 'identity' }],
  ['CloudTrail tampering last 30 days', { kind: 'cloudtrail_tampering', window: 'last 30 days' }],
  ['过去30天的CloudTrail日志篡改', { kind: 'cloudtrail_tampering', window: 'last 30 days' }],
  ['was logging stopped this week', { kind: 'cloudtrail_tampering', window: 'this week' }],
  ['本周停止日志的操作', { kind: 'cloudtrail_tampering', window: 'this week' }],
  [
    'DeleteTrail or StopLogging last month',
    { kind: 'cloudtrail_tampering', window: 'last month', filters: { eventNames: ['DeleteTrail', 'StopLogging'] } },
  ],
  ['deletetrail this week', { kind: 'cloudtrail_tampering', window: 'this week', filters: { eventNames: ['DeleteTrail'] } }],
  [
    'DeleteTrail and CreateUser this week',
    { kind: 'activity_over_time', window: 'this week', filters: { eventNames: ['CreateUser', 'DeleteTrail'] } },
  ],
  [
    'ConsoleLogin and AssumeRole events yesterday',
    { kind: 'activity_over_time', window: 'yesterday', filters: { eventNames: ['AssumeRole', 'ConsoleLogin'] } },
  ],
  ['new regions this month', { kind: 'new_regions', window: 'this month' }],
  ['本月的新区域', { kind: 'new_regions', window: 'this month' }],
  ['regions used for the first time in the last 7 days', { kind: 'new_regions', window: 'last 7 days' }],
  ['new services this month', { kind: 'new_services', window: 'this month' }],
  ['昨天首次使用的服务', { kind: 'new_services', window: 'yesterday' }],
  // one identity or account
  ['activity of user alice last 7 days', { kind: 'identity_activity', window: 'last 7 days', filters: { identities: ['alice'] } }],
  ['过去7天用户alice的活动', { kind: 'identity_activity', window: 'last 7 days', filters: { identities: ['alice'] } }],
  ['what did deploy-bot do yesterday', { kind: 'identity_activity', window: 'yesterday', filters: { identities: ['deploy-bot'] } }],
  ['deploy-bot 昨天做了什么', { kind: 'identity_activity', window: 'yesterday', filters: { identities: ['deploy-bot'] } }],
  ['role Admin activity this week', { kind: 'identity_activity', window: 'this week', filters: { identities: ['Admin'] } }],
  ['"svc.backup@corp" activity today', { kind: 'identity_activity', window: 'today', filters: { identities: ['svc.backup@corp'] } }],
  [
    'activity of account 123456789012 by service this week',
    { kind: 'identity_activity', window: 'this week', filters: { accounts: ['123456789012'] }, groupBy: 'service' },
  ],
  [
    '账户 123456789012 本周按服务统计的活动',
    { kind: 'identity_activity', window: 'this week', filters: { accounts: ['123456789012'] }, groupBy: 'service' },
  ],
  [
    'arn:aws:iam::012345678901:user/bob activity',
    { kind: 'identity_activity', window: 'last 7 days', filters: { identities: ['arn:aws:iam::012345678901:user/bob'] } },
  ],
];

describe('parseQuestion: phrasings → intents', () => {
  it('has at least 60 phrasings in both languages', () => {
    assert.ok(TABLE.length >= 60);
    assert.ok(TABLE.filter(([q]) => /\p{Script=Han}/u.test(q)).length >= 25);
  });
  for (const [question, e] of TABLE) {
    it(question, () => assert.deepEqual(intentOf(question), expected(question, e)));
  }
});

describe('parseQuestion: English and Chinese phrasings of a question give the same intent', () => {
  const PAIRS: [string, string][] = [
    ['AWS activity last 30 days', '过去30天的AWS活动'],
    ['who logged in to the console without MFA this week', '本周谁在没有MFA的情况下登录了控制台'],
    ['failed console logins last 7 days', '过去7天失败的控制台登录'],
    ['top 5 event names yesterday', '昨天前5的事件名称'],
    ['activity by region last 7 days', '按区域的活动 最近7天'],
    ['S3 activity in account 012345678901 since 2026-10-01', '自2026-10-01以来账户012345678901中的S3活动'],
    ['activity of user alice last 7 days', '过去7天用户alice的活动'],
    ['activity of alice last 7 days', 'alice 过去7天的活动'],
    ['IAM changes this week', '本周的IAM变更'],
    ['security group changes last month', '上个月的安全组变更'],
    ['CloudTrail tampering today', '今天的CloudTrail篡改'],
    ['root activity this month', '本月的根用户活动'],
    ['access denied by user yesterday', '昨天按用户的拒绝访问'],
    ['errors last 24 hours', '过去二十四小时的错误'],
    ['top 10 source IPs this week', '本周前十的来源IP'],
    ['new regions this week', '本周的新区域'],
    ['new services last 30 days', '过去30天的新服务'],
    ['activity by account since 2026-10-01', '自2026年10月1日起按账户的活动'],
    ['activity by service in eu-central-1 past week', '过去一周法兰克福按服务的活动'],
    ['console logins last 2 days', '最近两天的控制台登录'],
    ['top 5 users yesterday', '昨天前5个用户'],
  ];
  for (const [en, zh] of PAIRS) {
    it(`${en} = ${zh}`, () => {
      const a = intentOf(en);
      const b = intentOf(zh);
      assert.equal(a.language, 'en');
      assert.equal(b.language, 'zh');
      assert.deepEqual({ ...b, language: 'en' }, a);
    });
  }
});

describe('parseQuestion: time zones', () => {
  it('calendar words follow the request zone, rolling windows do not', () => {
    const tz = 'America/New_York';
    const now = Date.parse('2026-11-02T15:00:00Z');
    const r = parseQuestion('console logins yesterday', { now, timeZone: tz });
    assert.ok(r.ok);
    assert.equal(r.intent.timeZone, tz);
    assert.deepEqual(
      [r.intent.window.start, r.intent.window.end],
      [Date.parse('2026-11-01T04:00:00Z'), Date.parse('2026-11-02T05:00:00Z')],
    );
    const z = parseQuestion('昨天的控制台登录', { now, timeZone: tz });
    assert.ok(z.ok);
    assert.deepEqual({ ...z.intent, language: 'en' }, r.intent);
    const rolling = parseQuestion('console logins last 24 hours', { now, timeZone: tz });
    assert.ok(rolling.ok);
    assert.equal(rolling.intent.window.start, now - 24 * 3_600_000);
  });

  it('Asia/Shanghai: 本周 starts on the local Monday', () => {
    assert.deepEqual(intentOf('本周的活动', 'Asia/Shanghai').window, windowOf('this week', 'Asia/Shanghai'));
    assert.equal(windowOf('this week', 'Asia/Shanghai').start, Date.parse('2026-10-11T16:00:00Z'));
  });
});

describe('parseQuestion: refusals say why, in the asker\u2019s language', () => {
  const CASES: [string, ParseProblem, 'en' | 'zh'][] = [
    ['what is the weather like', { code: 'unknown_question' }, 'en'],
    ['今天天气怎么样', { code: 'bad_window', window: { problem: 'unclear', words: '天气' } }, 'zh'],
    ['你好', { code: 'unknown_question' }, 'zh'],
    ['', { code: 'unknown_question' }, 'en'],
    ['AWS activity last 0 days', { code: 'bad_window', window: { problem: 'empty', phrase: 'last 0 days' } }, 'en'],
    ['过去400天的活动', { code: 'bad_window', window: { problem: 'too_long', phrase: '过去400天', days: 400, maxDays: 365 } }, 'zh'],
    ['activity since 2027-01-01', { code: 'bad_window', window: { problem: 'future', date: '2027-01-01' } }, 'en'],
    ['activity since 2026-02-30', { code: 'bad_window', window: { problem: 'not_a_date', date: '2026-02-30' } }, 'en'],
    ['activity in the past few days', { code: 'bad_window', window: { problem: 'unclear', words: 'days' } }, 'en'],
    ['activity since Monday', { code: 'bad_window', window: { problem: 'unclear', words: 'since Monday' } }, 'en'],
    ['activity in account 01234567890', { code: 'bad_account', digits: '01234567890' }, 'en'],
    ['account 0123456789012 activity', { code: 'bad_account', digits: '0123456789012' }, 'en'],
    ['账户12345的活动', { code: 'bad_account', digits: '12345' }, 'zh'],
    ['top 100 regions', { code: 'bad_limit', limit: 100 }, 'en'],
    ['top 0 users', { code: 'bad_limit', limit: 0 }, 'en'],
    ['前六十个事件', { code: 'bad_limit', limit: 60 }, 'zh'],
    ['activity by region and service', { code: 'two_groupings', first: 'region', second: 'service' }, 'en'],
    ['按区域和按用户的活动', { code: 'two_groupings', first: 'region', second: 'identity' }, 'zh'],
  ];
  for (const [question, problem, language] of CASES) {
    it(question || '(empty)', () => {
      const r = parseQuestion(question, { now: NOW });
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.language, language);
      assert.equal(r.code, problem.code);
      assert.equal(r.reason, refusalText(problem, language));
      assert.equal(r.suggestions.length, 3);
      const examples = new Set(catalog.flatMap((e) => (language === 'zh' ? e.examples.zh : e.examples.en)));
      for (const s of r.suggestions) assert.ok(examples.has(s), `${s} is a catalog example in ${language}`);
    });
  }

  it('an unknown question points to /sentinel help', () => {
    const r = parseQuestion('tell me a joke', { now: NOW });
    assert.ok(!r.ok && r.reason.includes('/sentinel help'));
    const z = parseQuestion('讲个笑话', { now: NOW });
    assert.ok(!z.ok && z.reason.includes('/sentinel help') && z.language === 'zh');
  });

  it('a question longer than the limit is refused without being read', () => {
    const r = parseQuestion(`AWS activity last 30 days ${'x'.repeat(MAX_QUESTION_LENGTH)}`, { now: NOW });
    assert.ok(!r.ok && r.code === 'too_long');
    const huge = parseQuestion('活动'.repeat(6000), { now: NOW });
    assert.ok(!huge.ok && huge.code === 'too_long' && huge.language === 'zh');
  });

  it('a bad time zone is refused', () => {
    const r = parseQuestion('activity today', { now: NOW, timeZone: 'Nowhere/Special' });
    assert.ok(!r.ok);
    assert.equal(r.code, 'bad_time_zone');
    assert.equal(r.reason, refusalText({ code: 'bad_time_zone', timeZone: 'Nowhere/Special' }, 'en'));
  });

  it('suggests the kind it recognised first when refusing for another reason', () => {
    const r = parseQuestion('failed console logins last 500 days', { now: NOW });
    assert.ok(!r.ok);
    assert.equal(r.suggestions[0], catalog.find((e) => e.kind === 'console_logins')?.examples.en[0]);
  });
});

describe('parseQuestion: ignored words', () => {
  it('reports words it did not understand, without stopwords', () => {
    const r = parseQuestion('please show me the AWS activity last 30 days for the blue team', { now: NOW });
    assert.ok(r.ok);
    assert.deepEqual(r.ignored, ['blue', 'team']);
  });

  it('reports understood words that did not shape the answer', () => {
    const r = parseQuestion('failed IAM changes per day last week', { now: NOW });
    assert.ok(r.ok);
    assert.equal(r.intent.kind, 'iam_changes');
    assert.deepEqual(r.ignored, ['per day', 'failed']);
  });

  it('reports a topic that lost to a more specific one, and passes over kinds the filters rule out', () => {
    const root = parseQuestion('root console logins', { now: NOW });
    assert.ok(root.ok && root.intent.kind === 'root_activity');
    assert.deepEqual(root.ignored, ['console logins']);
    const both = parseQuestion('IAM changes and security group changes', { now: NOW });
    assert.ok(both.ok && both.intent.kind === 'security_group_changes');
    assert.deepEqual(both.ignored, ['IAM changes']);
    const s3 = parseQuestion('S3 bucket policy changes last week', { now: NOW });
    assert.ok(s3.ok);
    assert.deepEqual(s3.intent.kind, 'activity_over_time', 'IAM changes filtered to S3 would be empty');
    assert.deepEqual(s3.intent.filters, { eventSources: ['s3.amazonaws.com'] });
    assert.deepEqual(s3.ignored, ['bucket', 'policy changes']);
  });

  it('values alone are not a question when other words were not understood', () => {
    const weather = parseQuestion('what is the weather in Paris', { now: NOW });
    assert.ok(!weather.ok, 'a city name that maps to a region does not make this a question about eu-west-3');
    const region = parseQuestion('us-east-1 last 7 days', { now: NOW });
    assert.ok(region.ok && region.intent.kind === 'activity_over_time');
  });

  it('keeps hostile text out of the intent', () => {
    const r = parseQuestion('AWS activity last 30 days; .drop table AWSCloudTrail | take 10', { now: NOW });
    assert.ok(r.ok);
    assert.deepEqual(r.intent, expected('AWS activity last 30 days', { kind: 'activity_over_time', window: 'last 30 days' }));
    assert.deepEqual(r.ignored, ['drop', 'table', 'take', '10']);
  });

  it('Chinese leftovers are split around stopwords', () => {
    const r = parseQuestion('过去30天的AWS活动，蓝队', { now: NOW });
    assert.ok(r.ok);
    assert.deepEqual(r.ignored, ['蓝队']);
  });

  it('an acronym or CamelCase word is not taken for a user unless a word says so', () => {
    const r = parseQuestion('VPC 过去7天的活动', { now: NOW });
    assert.ok(r.ok);
    assert.deepEqual([r.intent.filters, r.ignored], [{}, ['VPC']]);
    assert.deepEqual(intentOf('用户 VPC 的活动').filters, { identities: ['VPC'] });
  });

  it('a name that is a keyword is not taken for a user ("user activity", "role changes")', () => {
    assert.deepEqual(intentOf('user activity last week').filters, {});
    assert.deepEqual(intentOf('role changes this week').filters, {});
    assert.equal(intentOf('role changes this week').kind, 'iam_changes');
  });
});

describe('parseQuestion: every catalog example parses to its own kind', () => {
  for (const entry of catalog) {
    for (const q of [...entry.examples.en, ...entry.examples.zh]) {
      it(`${entry.kind}: ${q}`, () => {
        const r = parseQuestion(q, { now: NOW });
        assert.ok(r.ok, r.ok ? '' : r.reason);
        assert.equal(r.intent.kind, entry.kind);
        assert.deepEqual(r.ignored, []);
      });
    }
  }
});
