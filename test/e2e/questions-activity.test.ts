/**
 * Activity questions on CloudTrail files with known content, imported into a local workspace:
 * the numbers the built query returns (per bin, per group, WindowTotal, PreviousTotal) equal
 * the counts computed from the record objects by the oracle in test/fixtures/questions/world.ts,
 * not by the KQL engine. Intents are built by hand, as the question parser would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GroupBy, Intent, QuestionKind, TimeWindow } from '../../src/core/questions/intent.ts';
import { runQuery } from '../../src/kql/engine.ts';
import {
  ask,
  checkRank,
  checkSeries,
  checkTotals,
  DAY,
  DEV,
  GROUP_VALUE,
  identityOf,
  intentOf,
  type Loaded,
  loadWorld,
  NOW,
  Oracle,
  PROD,
  SEC,
  WINDOWS,
} from '../fixtures/questions/world.ts';

let w: Loaded;
let oracle: Oracle;

before(async () => {
  w = await loadWorld();
  oracle = new Oracle(w.records);
});
after(() => w.cleanup());

test('the files were imported once each: the redelivered file adds nothing', () => {
  assert.equal(w.imported, oracle.events.length);
  assert.equal(w.duplicates, 60);
});

/** Series check of a single-series kind. */
function single(intent: Intent) {
  const a = ask(w.table, intent);
  const { current, previous } = oracle.periods(intent.kind, intent.filters, intent.window);
  checkTotals(a, current, previous);
  checkSeries(
    a,
    oracle.series(current, intent.window, ['AWSCloudTrail'], () => 'AWSCloudTrail'),
  );
  return { a, current, previous };
}

/** Series check of a kind split by a grouping: the busiest `limit` values, zero-filled. */
function split(intent: Intent, groupBy: GroupBy, limit: number) {
  const a = ask(w.table, { ...intent, groupBy, limit });
  const { current, previous } = oracle.periods(intent.kind, intent.filters, intent.window);
  checkTotals(a, current, previous);
  const top = oracle.rank(current, GROUP_VALUE[groupBy], limit).map(([g]) => g);
  checkSeries(a, oracle.series(current, intent.window, top.length ? top : [''], GROUP_VALUE[groupBy]));
  return { a, current, top };
}

/** Rank check of a categorical kind. */
function ranked(intent: Intent, groupBy: GroupBy, column: string) {
  const a = ask(w.table, intent);
  const { current, previous } = oracle.periods(intent.kind, intent.filters, intent.window);
  checkTotals(a, current, previous);
  const expected = oracle.rank(current, GROUP_VALUE[groupBy], intent.limit ?? 10);
  checkRank(a, column, expected);
  return { a, current, previous, expected };
}

describe('activity_over_time', () => {
  const windows = Object.entries(WINDOWS) as [string, TimeWindow][];
  for (const [name, window] of windows) {
    test(`zero-filled bins equal the per-bin counts of the records: ${name}`, () => {
      const { a, current, previous } = single(intentOf('activity_over_time', { window }));
      assert.ok(current.length > 0 && previous.length > 0, 'the data has events in both periods');
      const bins = Math.floor((window.end - 1 - window.start) / window.bin) + 1;
      assert.ok(a.table.rows.length >= bins && a.table.rows.length <= bins + 1);
    });
  }

  test('window edges: an event at Start counts, one at End does not; PrevStart counts for the previous period, a second earlier does not', () => {
    const { current, previous } = oracle.periods('activity_over_time', {}, WINDOWS.last7);
    assert.ok(current.some((e) => e.t === NOW - 7 * DAY));
    assert.ok(!current.some((e) => e.t === NOW));
    assert.ok(previous.some((e) => e.t === NOW - 14 * DAY));
    assert.ok(!previous.some((e) => e.t === NOW - 14 * DAY - 1000));
    single(intentOf('activity_over_time'));
  });

  test('a calendar window that ended before now (yesterday in Shanghai): hourly bins from its start, its last second in, its end out', () => {
    const window = WINDOWS.yesterdayShanghai;
    const { a, current } = single(intentOf('activity_over_time', { window, timeZone: 'Asia/Shanghai' }));
    assert.equal(a.table.rows.length, 24);
    assert.equal(a.table.rows[0][a.col('Time')], '2026-11-23T16:00:00Z');
    assert.ok(current.some((e) => e.t === window.end - 1000));
    assert.ok(!current.some((e) => e.t === window.end));
  });

  test("filters: region, account (RecipientAccountId, not the caller's account), identity, event name, service", () => {
    for (const filters of [
      { regions: ['eu-west-1'] },
      { regions: ['EU-WEST-1', 'us-west-2'] },
      { accounts: [SEC] },
      { accounts: [DEV, PROD] },
      { identities: ['alice'] },
      { eventNames: ['GetObject', 'putobject'] },
      { eventSources: ['s3.amazonaws.com'] },
      { accounts: [PROD], regions: ['us-east-1'], eventSources: ['ec2.amazonaws.com'] },
    ]) {
      const { current } = single(intentOf('activity_over_time', { filters }));
      assert.ok(current.length > 0, JSON.stringify(filters));
    }
    // The cross-account AssumeRole is in SEC's trail, made by a PROD caller.
    const sec = oracle.select('activity_over_time', { accounts: [SEC] }, WINDOWS.last7.start, WINDOWS.last7.end);
    const prod = oracle.select('activity_over_time', { accounts: [PROD] }, WINDOWS.last7.start, WINDOWS.last7.end);
    const crossAccount = (e: { eventName: string; userName: string; t: number }) =>
      e.eventName === 'AssumeRole' && e.userName === 'deploy-bot' && e.t === NOW - 2 * DAY - 3 * 3_600_000 + 90 * 60_000;
    assert.ok(sec.some(crossAccount) && !prod.some(crossAccount));
  });

  test('split by region: the 3 busiest regions as series, zero-filled', () => {
    const { a, top } = split(intentOf('activity_over_time'), 'region', 3);
    assert.equal(top.length, 3);
    assert.deepEqual(new Set(a.table.rows.map((r) => r[a.col('Legend')])), new Set(top));
  });

  test('split by identity with a filter that matches nothing: one empty zero series, totals still there', () => {
    const { a, current } = split(intentOf('activity_over_time', { filters: { identities: ['nobody-by-that-name'] } }), 'identity', 5);
    assert.equal(current.length, 0);
    assert.equal(a.table.rows.length, 7);
    for (const r of a.table.rows) assert.equal(r[a.col('Legend')], '');
  });

  test('the same numbers whatever the language of the question, and with a wider query time range', () => {
    const en = ask(w.table, intentOf('activity_over_time'));
    const zh = ask(w.table, intentOf('activity_over_time', { language: 'zh' }));
    assert.deepEqual(zh.table.rows, en.table.rows);
    assert.equal(zh.result.render?.title, 'AWS 活动，过去7天');
    const wider = runQuery(en.built.kql, (n) => (n === 'AWSCloudTrail' ? w.table : undefined), {
      now: NOW + 5 * DAY,
      timespanMs: 120 * DAY,
    });
    assert.deepEqual(wider.tables[0].rows, en.table.rows, 'the query bounds itself: a wider time range changes nothing');
  });
});

describe('rankings', () => {
  const cases: [QuestionKind, GroupBy, string][] = [
    ['activity_by_service', 'service', 'EventSource'],
    ['top_event_names', 'event', 'EventName'],
    ['activity_by_region', 'region', 'AWSRegion'],
    ['activity_by_identity', 'identity', 'Identity'],
    ['activity_by_account', 'account', 'RecipientAccountId'],
    ['top_source_ips', 'source_ip', 'SourceIpAddress'],
  ];
  for (const [kind, groupBy, column] of cases) {
    test(`${kind}: counts per group, busiest first, over several windows and limits`, () => {
      for (const [window, limit] of [
        [WINDOWS.last7, undefined],
        [WINDOWS.last30, 3],
        [WINDOWS.last24h, 5],
        [WINDOWS.thisWeek, 1],
      ] as const) {
        const { current, expected } = ranked(intentOf(kind, { window, limit }), groupBy, column);
        assert.ok(current.length > 0, `${kind} has events`);
        assert.ok(expected.length > 0);
      }
    });
  }

  test("activity_by_region grouped by service instead (a question's grouping overrides the default)", () => {
    ranked(intentOf('activity_by_region', { groupBy: 'service' }), 'service', 'EventSource');
    ranked(intentOf('activity_by_account', { groupBy: 'identity', filters: { regions: ['eu-west-1'] } }), 'identity', 'Identity');
  });

  test("identity: the user name, the role of an assumed-role session, the ARN's last part, the calling service", () => {
    const { current } = ranked(intentOf('activity_by_identity', { limit: 50 }), 'identity', 'Identity');
    const ids = new Set(current.map(identityOf));
    for (const id of [
      'alice',
      'app-role',
      'analyst-role',
      'AWSReservedSSO_AdministratorAccess_0123456789abcdef',
      'config.amazonaws.com',
      'ec2.amazonaws.com',
    ]) {
      assert.ok(ids.has(id), id);
    }
    assert.ok(ids.has(`arn:aws:iam::${SEC}:root`), 'root has no name: its ARN');
  });

  test('top source IPs: addresses only (IPv4 and IPv6), not service names or "AWS Internal"', () => {
    const { a } = ranked(intentOf('top_source_ips', { limit: 50 }), 'source_ip', 'SourceIpAddress');
    const ips = a.table.rows.map((r) => r[a.col('SourceIpAddress')]);
    assert.ok(ips.includes('2001:db8::7') && ips.includes('203.0.113.5'));
    assert.ok(!ips.includes('AWS Internal') && !ips.includes('ec2.amazonaws.com') && !ips.includes('config.amazonaws.com'));
  });

  test('nothing matches: one placeholder row with the totals', () => {
    const { a, current, previous } = ranked(
      intentOf('activity_by_region', { filters: { regions: ['xx-nowhere-1'] } }),
      'region',
      'AWSRegion',
    );
    assert.equal(current.length + previous.length, 0);
    assert.deepEqual(a.table.rows, [['', 0, 0, 0]]);
  });
});

describe('identity_activity', () => {
  test('activity of alice: her user, sessions named alice and her name in capitals; not alice2 or alice-role', () => {
    const { a, current } = ranked(intentOf('identity_activity', { filters: { identities: ['alice'] } }), 'event', 'EventName');
    assert.ok(
      current.some((e) => e.issuerUserName === 'analyst-role'),
      'a session named alice',
    );
    assert.ok(
      current.some((e) => e.userName === 'ALICE'),
      'ALICE',
    );
    assert.ok(!current.some((e) => e.userName === 'alice2' || e.issuerUserName === 'alice-role'));
    assert.match(String(a.result.render?.title), /^Activity of alice by event name/);
  });

  test('by ARN, by account, grouped by service, in Chinese', () => {
    ranked(intentOf('identity_activity', { filters: { identities: [`arn:aws:iam::${PROD}:user/alice`] } }), 'event', 'EventName');
    ranked(
      intentOf('identity_activity', { filters: { accounts: [DEV] }, groupBy: 'service', window: WINDOWS.last30 }),
      'service',
      'EventSource',
    );
    const { a } = ranked(
      intentOf('identity_activity', { filters: { identities: ['bob', 'carol'] }, language: 'zh', limit: 3 }),
      'event',
      'EventName',
    );
    assert.match(String(a.result.render?.title), /^按事件名称统计的bob、carol 的活动（前3），过去7天/);
  });
});
