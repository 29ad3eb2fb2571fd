/**
 * New regions and new services: activity in a region (service) that had none in the 30 days
 * before the window's start; the previous period is judged the same way against the 30 days
 * before it. Checked against the oracle's counts from the record objects, with regions placed
 * just inside and just outside the lookback.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GroupBy, Intent } from '../../src/core/questions/intent.ts';
import {
  ask,
  checkRank,
  checkTotals,
  DAY,
  DEV,
  GROUP_VALUE,
  intentOf,
  type Loaded,
  loadWorld,
  NOW,
  Oracle,
  WINDOWS,
} from '../fixtures/questions/world.ts';

let w: Loaded;
let oracle: Oracle;

before(async () => {
  w = await loadWorld();
  oracle = new Oracle(w.records);
});
after(() => w.cleanup());

function ranked(intent: Intent, groupBy: GroupBy, column: string) {
  const a = ask(w.table, intent);
  const { current, previous } = oracle.periods(intent.kind, intent.filters, intent.window);
  checkTotals(a, current, previous);
  const expected = oracle.rank(current, GROUP_VALUE[groupBy], intent.limit ?? 10);
  checkRank(a, column, expected);
  return { a, current, previous, expected };
}

describe('new_regions', () => {
  test('last 7 days: ap-east-1 (only in the window) and me-south-1 (last seen 31 days before it); not af-south-1 (30 days before)', () => {
    const { expected, previous, a } = ranked(intentOf('new_regions'), 'region', 'AWSRegion');
    assert.deepEqual(expected, [
      ['ap-east-1', 2],
      ['me-south-1', 1],
    ]);
    assert.deepEqual(
      previous.map((e) => e.region),
      ['sa-east-1'],
      'the previous period had its own new region',
    );
    assert.equal(a.built.timespanMs, 44 * DAY, 'both periods and the 30-day lookback before the earlier one');
    assert.equal(a.built.range.start, NOW - 44 * DAY);
    assert.match(a.built.title, /none in the 30 days before/);
  });

  test('other windows, filters and a limit', () => {
    for (const window of [WINDOWS.last30, WINDOWS.last24h, WINDOWS.thisWeek, WINDOWS.yesterdayShanghai])
      ranked(intentOf('new_regions', { window }), 'region', 'AWSRegion');
    ranked(intentOf('new_regions', { limit: 1 }), 'region', 'AWSRegion');
    ranked(intentOf('new_regions', { filters: { identities: ['alice'] } }), 'region', 'AWSRegion');
    ranked(intentOf('new_regions', { filters: { accounts: [DEV] } }), 'region', 'AWSRegion');
  });

  test('nothing new: the placeholder row, totals still there (Chinese title)', () => {
    const { a, current } = ranked(intentOf('new_regions', { window: WINDOWS.last24h, language: 'zh' }), 'region', 'AWSRegion');
    assert.equal(current.length, 0);
    assert.equal(a.table.rows.length, 1);
    assert.match(String(a.result.render?.title), /此前30天内未出现/);
  });
});

describe('new_services', () => {
  test('last 7 days: bedrock (only in the window) and secretsmanager (last seen 40 days before it); eks was new in the previous period', () => {
    const { expected, previous } = ranked(intentOf('new_services'), 'service', 'EventSource');
    assert.deepEqual(expected, [
      ['bedrock.amazonaws.com', 3],
      // near misses of other kinds that happen to be the only calls to their service
      ['cloudtrail-data.amazonaws.com', 1],
      ['identitystore.amazonaws.com', 1],
      ['secretsmanager.amazonaws.com', 1],
    ]);
    assert.deepEqual(
      previous.map((e) => e.eventSource),
      ['eks.amazonaws.com'],
    );
  });

  test('other windows and filters', () => {
    for (const window of [WINDOWS.last30, WINDOWS.last24h, WINDOWS.thisWeek])
      ranked(intentOf('new_services', { window }), 'service', 'EventSource');
    const { expected } = ranked(
      intentOf('new_services', { filters: { accounts: [DEV] }, window: WINDOWS.last30 }),
      'service',
      'EventSource',
    );
    assert.ok(expected.length > 0, 'for one account, services it had not used are new');
  });
});
