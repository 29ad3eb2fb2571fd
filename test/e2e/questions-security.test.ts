/**
 * Security questions (errors, access denied, console logins with and without MFA, root, IAM
 * changes, security-group changes, CloudTrail tampering) on CloudTrail files with known content:
 * the built query's numbers equal the oracle's counts from the record objects, and the records
 * placed to hit or narrowly miss each kind land where the detection content says they should.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GroupBy, Intent, QuestionKind } from '../../src/core/questions/intent.ts';
import {
  ask,
  checkRank,
  checkSeries,
  checkTotals,
  DEV,
  type Ev,
  GROUP_VALUE,
  identityOf,
  intentOf,
  type Loaded,
  loadWorld,
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

const windows = [WINDOWS.last7, WINDOWS.last30, WINDOWS.last24h, WINDOWS.thisWeek];

function series(intent: Intent, legends?: { values: string[]; of: (e: Ev) => string }) {
  const a = ask(w.table, intent);
  const { current, previous } = oracle.periods(intent.kind, intent.filters, intent.window);
  checkTotals(a, current, previous);
  let values = legends?.values ?? ['AWSCloudTrail'];
  let of = legends?.of ?? (() => 'AWSCloudTrail');
  if (intent.groupBy) {
    const top = oracle.rank(current, GROUP_VALUE[intent.groupBy], intent.limit ?? 5).map(([g]) => g);
    values = top.length ? top : [''];
    of = GROUP_VALUE[intent.groupBy];
  }
  checkSeries(a, oracle.series(current, intent.window, values, of));
  return { a, current, previous };
}

function ranked(intent: Intent, groupBy: GroupBy, column: string) {
  const a = ask(w.table, intent);
  const { current, previous } = oracle.periods(intent.kind, intent.filters, intent.window);
  checkTotals(a, current, previous);
  checkRank(a, column, oracle.rank(current, GROUP_VALUE[groupBy], intent.limit ?? 10));
  return { a, current, previous };
}

describe('time series kinds', () => {
  for (const kind of ['errors_over_time', 'access_denied', 'root_activity'] as QuestionKind[]) {
    test(`${kind}: per-bin counts and totals over several windows`, () => {
      for (const window of windows) series(intentOf(kind, { window }));
      const { current } = series(intentOf(kind));
      assert.ok(current.length > 0);
    });
  }

  test('errors_over_time split by error code, and by account in one region', () => {
    const { a } = series(intentOf('errors_over_time', { groupBy: 'error', limit: 4 }));
    assert.ok(a.table.rows.some((r) => r[a.col('Legend')] === 'AccessDenied'));
    series(intentOf('errors_over_time', { groupBy: 'account', filters: { regions: ['us-east-1'] }, window: WINDOWS.last30 }));
  });

  test('access denied: the four AccessDenied codes, not throttling or bad parameters', () => {
    const { current } = series(intentOf('access_denied'));
    const codes = new Set(current.map((e) => e.errorCode));
    for (const c of ['AccessDenied', 'Client.UnauthorizedOperation', 'UnauthorizedOperation', 'AccessDeniedException'])
      assert.ok(codes.has(c), c);
    assert.ok(!codes.has('ThrottlingException') && !codes.has('InvalidParameterValue'));
    const errors = oracle.periods('errors_over_time', {}, WINDOWS.last7).current;
    assert.ok(errors.length > current.length, 'errors include other codes');
  });

  test('root: console login and API calls by root; not a service acting as root, a service event, or a user named root', () => {
    const { current } = series(intentOf('root_activity', { filters: { accounts: [SEC] } }));
    const names = current.map((e) => e.eventName);
    assert.ok(names.includes('CreateAccessKey') && names.includes('ConsoleLogin'));
    assert.ok(!names.includes('GetBucketAcl') && !names.includes('SharedSnapshotCopyInitiated'));
    assert.ok(current.every((e) => e.uiType === 'Root'));
    series(intentOf('root_activity', { groupBy: 'event' }));
  });

  test('console logins: a Success and a Failure series; logins without a result and other sign-in events left out', () => {
    for (const window of windows) {
      series(intentOf('console_logins', { window }), { values: ['Success', 'Failure'], of: (e) => e.loginResult });
    }
    const { a, current } = series(intentOf('console_logins', { filters: { identities: ['alice'] } }), {
      values: ['Success', 'Failure'],
      of: (e) => e.loginResult,
    });
    assert.ok(current.some((e) => e.loginResult === 'Failure') && current.some((e) => e.loginResult === 'Success'));
    assert.equal(a.table.rows.length, 14, '7 days × 2 series');
  });
});

test('failed console logins ("失败的控制台登录"): only the Failure series, and totals of failures', () => {
  for (const window of windows) {
    const intent = intentOf('console_logins', { window, outcome: 'failure' });
    const a = ask(w.table, intent);
    const both = oracle.periods('console_logins', {}, window);
    const failed = (events: Ev[]) => events.filter((e) => e.loginResult === 'Failure');
    checkTotals(a, failed(both.current), failed(both.previous));
    checkSeries(
      a,
      oracle.series(failed(both.current), window, ['Failure'], (e) => e.loginResult),
    );
  }
});

describe('rankings', () => {
  test('console logins without MFA: successful, MFAUsed "No", IAM Identity Center sessions and MFA users left out', () => {
    for (const window of windows) ranked(intentOf('console_logins_without_mfa', { window }), 'identity', 'Identity');
    const { a, current } = ranked(intentOf('console_logins_without_mfa', { limit: 50 }), 'identity', 'Identity');
    const mallory = current.filter((e) => e.userName === 'mallory');
    assert.equal(mallory.length, 2, 'two hits; MFA used, failed, MFAUsed absent or "no" are not');
    assert.ok(!current.some((e) => e.issuerUserName.startsWith('AWSReservedSSO')));
    assert.ok(
      current.some((e) => e.uiType === 'Root'),
      'root without MFA counts',
    );
    const row = a.table.rows.find((r) => r[a.col('Identity')] === 'mallory');
    assert.equal(row?.[a.col('Count')], 2);
    ranked(intentOf('console_logins_without_mfa', { groupBy: 'account' }), 'account', 'RecipientAccountId');
    ranked(
      intentOf('console_logins_without_mfa', { groupBy: 'source_ip', filters: { accounts: [PROD, DEV] } }),
      'source_ip',
      'SourceIpAddress',
    );
  });

  test('IAM changes: successful changes on iam.amazonaws.com; not denied ones, reads, or CreateUser of another service', () => {
    for (const window of windows) ranked(intentOf('iam_changes', { window }), 'event', 'EventName');
    const { current } = ranked(intentOf('iam_changes', { filters: { identities: ['mallory'] } }), 'event', 'EventName');
    assert.deepEqual(current.map((e) => e.eventName).sort(), ['AttachUserPolicy', 'CreateAccessKey', 'CreateUser']);
    const all = oracle.periods('iam_changes', {}, WINDOWS.last7).current;
    assert.ok(all.some((e) => e.eventName === 'UpdateAssumeRolePolicy'));
    assert.ok(!all.some((e) => e.eventName === 'GetUser' || e.eventSource !== 'iam.amazonaws.com' || e.errorCode !== ''));
    ranked(intentOf('iam_changes', { groupBy: 'identity', window: WINDOWS.last30 }), 'identity', 'Identity');
  });

  test('security-group changes: successful create, delete and rule changes; not reads, denied calls or network ACLs', () => {
    for (const window of windows) ranked(intentOf('security_group_changes', { window }), 'event', 'EventName');
    const { current } = ranked(intentOf('security_group_changes', { filters: { identities: ['mallory'] } }), 'event', 'EventName');
    assert.deepEqual(current.map((e) => e.eventName).sort(), [
      'AuthorizeSecurityGroupIngress',
      'DeleteSecurityGroup',
      'ModifySecurityGroupRules',
    ]);
    ranked(intentOf('security_group_changes', { groupBy: 'region', filters: { regions: ['eu-west-1'] } }), 'region', 'AWSRegion');
  });
});

describe('cloudtrail_tampering (a table)', () => {
  /** Rows grouped by event, identity, account and region, with failed attempts and first/last seen. */
  function expectedRows(events: Ev[], limit: number) {
    const groups = new Map<string, Ev[]>();
    for (const e of events) {
      const key = JSON.stringify([e.eventName, identityOf(e), e.recipient, e.region]);
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
    return [...groups]
      .map(([key, es]) => [
        ...(JSON.parse(key) as string[]),
        es.length,
        es.filter((e) => e.errorCode !== '').length,
        iso(Math.min(...es.map((e) => e.t))),
        iso(Math.max(...es.map((e) => e.t))),
      ])
      .sort((a, b) => {
        if (a[4] !== b[4]) return (b[4] as number) - (a[4] as number);
        for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return (a[i] as string) < (b[i] as string) ? -1 : 1;
        return 0;
      })
      .slice(0, limit);
  }

  test('StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors on cloudtrail.amazonaws.com, failed attempts counted as Failed', () => {
    for (const window of [...windows, WINDOWS.yesterdayShanghai]) {
      for (const limit of [undefined, 2]) {
        const intent = intentOf('cloudtrail_tampering', { window, limit });
        const a = ask(w.table, intent);
        const { current, previous } = oracle.periods('cloudtrail_tampering', {}, window);
        checkTotals(a, current, previous);
        const cols = ['EventName', 'Identity', 'RecipientAccountId', 'AWSRegion', 'Count', 'Failed', 'FirstSeen', 'LastSeen'];
        const got = a.table.rows.map((r) => cols.map((c) => r[a.col(c)]));
        const want = expectedRows(current, limit ?? 10);
        assert.deepEqual(got, want.length ? want : [['', '', '', '', 0, 0, null, null]]);
      }
    }
    const { current } = oracle.periods('cloudtrail_tampering', { identities: ['mallory'] }, WINDOWS.last7);
    assert.deepEqual(current.map((e) => e.eventName).sort(), ['DeleteTrail', 'StopLogging']);
    const a = ask(w.table, intentOf('cloudtrail_tampering', { filters: { identities: ['mallory'] } }));
    const deleteTrail = a.table.rows.find((r) => r[a.col('EventName')] === 'DeleteTrail');
    assert.equal(deleteTrail?.[a.col('Failed')], 1, 'the denied DeleteTrail is an attempt');
    assert.equal(a.result.render?.visualization, 'table');
  });
});
