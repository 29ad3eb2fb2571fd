import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TimeWindow } from '../../../../src/core/questions/intent.ts';
import type { WindowProblem } from '../../../../src/core/questions/question-text.ts';
import {
  DAY_MS,
  findTimePhrases,
  HOUR_MS,
  localDateAt,
  resolveTimeSpec,
  resolveWindow,
  startOfLocalDay,
  type TimeSpec,
} from '../../../../src/core/questions/time-window.ts';

const iso = (s: string) => Date.parse(s);
/** Thursday 2026-10-15, 12:30 UTC. */
const NOW = iso('2026-10-15T12:30:00Z');

function windowOf(text: string, now = NOW, timeZone?: string): TimeWindow {
  const r = resolveWindow(text, { now, timeZone });
  if (!r.ok) assert.fail(`${text}: refused (${JSON.stringify(r.problem)})`);
  return r.window;
}

function problemOf(text: string, now = NOW, timeZone?: string): WindowProblem {
  const r = resolveWindow(text, { now, timeZone });
  if (r.ok) assert.fail(`${text}: expected a refusal, got ${JSON.stringify(r.window)}`);
  if (r.problem.code !== 'bad_window') assert.fail(`${text}: ${r.problem.code}`);
  return r.problem.window;
}

describe('rolling windows: [now − N, now), bins aligned to now', () => {
  // [phrase, length, bin, label en, label zh]
  const cases: [string, number, number, string, string][] = [
    ['last 30 days', 30 * DAY_MS, DAY_MS, 'last 30 days', '过去30天'],
    ['past 24 hours', 24 * HOUR_MS, HOUR_MS, 'last 24 hours', '过去24小时'],
    ['in the past 24 hours', 24 * HOUR_MS, HOUR_MS, 'last 24 hours', '过去24小时'],
    ['the last 7 days', 7 * DAY_MS, DAY_MS, 'last 7 days', '过去7天'],
    ['30d', 30 * DAY_MS, DAY_MS, 'last 30 days', '过去30天'],
    ['24h', 24 * HOUR_MS, HOUR_MS, 'last 24 hours', '过去24小时'],
    ['last day', DAY_MS, HOUR_MS, 'last 1 day', '过去1天'],
    ['past week', 7 * DAY_MS, DAY_MS, 'last 7 days', '过去7天'],
    ['in the last week', 7 * DAY_MS, DAY_MS, 'last 7 days', '过去7天'],
    ['over the past month', 30 * DAY_MS, DAY_MS, 'last 30 days', '过去30天'],
    ['last 2 weeks', 14 * DAY_MS, DAY_MS, 'last 14 days', '过去14天'],
    ['last 3 months', 90 * DAY_MS, DAY_MS, 'last 90 days', '过去90天'],
    ['past year', 365 * DAY_MS, DAY_MS, 'last 365 days', '过去365天'],
    ['last seven days', 7 * DAY_MS, DAY_MS, 'last 7 days', '过去7天'],
    ['past twenty-four hours', 24 * HOUR_MS, HOUR_MS, 'last 24 hours', '过去24小时'],
    ['last 48 hours', 48 * HOUR_MS, HOUR_MS, 'last 48 hours', '过去48小时'],
    ['last 2 days', 2 * DAY_MS, HOUR_MS, 'last 2 days', '过去2天'],
    ['last 3 days', 3 * DAY_MS, DAY_MS, 'last 3 days', '过去3天'],
    ['last hour', HOUR_MS, HOUR_MS, 'last 1 hour', '过去1小时'],
    ['last 365 days', 365 * DAY_MS, DAY_MS, 'last 365 days', '过去365天'],
    ['since 3 days ago', 3 * DAY_MS, DAY_MS, 'last 3 days', '过去3天'],
    ['过去30天', 30 * DAY_MS, DAY_MS, 'last 30 days', '过去30天'],
    ['最近7天', 7 * DAY_MS, DAY_MS, 'last 7 days', '过去7天'],
    ['近7天', 7 * DAY_MS, DAY_MS, 'last 7 days', '过去7天'],
    ['过去24小时', 24 * HOUR_MS, HOUR_MS, 'last 24 hours', '过去24小时'],
    ['过去七天', 7 * DAY_MS, DAY_MS, 'last 7 days', '过去7天'],
    ['近三十天', 30 * DAY_MS, DAY_MS, 'last 30 days', '过去30天'],
    ['过去二十四小时', 24 * HOUR_MS, HOUR_MS, 'last 24 hours', '过去24小时'],
    ['最近两天', 2 * DAY_MS, HOUR_MS, 'last 2 days', '过去2天'],
    ['过去一周', 7 * DAY_MS, DAY_MS, 'last 7 days', '过去7天'],
    ['最近一个月', 30 * DAY_MS, DAY_MS, 'last 30 days', '过去30天'],
    ['过去的30天里', 30 * DAY_MS, DAY_MS, 'last 30 days', '过去30天'],
    ['24小时内', 24 * HOUR_MS, HOUR_MS, 'last 24 hours', '过去24小时'],
    ['过去３０天', 30 * DAY_MS, DAY_MS, 'last 30 days', '过去30天'],
    ['最近三个月', 90 * DAY_MS, DAY_MS, 'last 90 days', '过去90天'],
    ['过去一年', 365 * DAY_MS, DAY_MS, 'last 365 days', '过去365天'],
  ];
  for (const [phrase, length, bin, en, zh] of cases) {
    it(phrase, () => {
      assert.deepEqual(windowOf(phrase), { kind: 'rolling', start: NOW - length, end: NOW, bin, binOrigin: NOW, label: { en, zh } });
    });
  }

  it('does not move with the time zone (--tz moves calendar boundaries only)', () => {
    assert.deepEqual(windowOf('last 30 days', NOW, 'America/New_York'), windowOf('last 30 days'));
    assert.deepEqual(windowOf('过去24小时', NOW, 'Asia/Shanghai'), windowOf('past 24 hours'));
  });

  it('defaults to the last 7 days when the text names no time', () => {
    const r = resolveWindow('AWS activity', { now: NOW });
    assert.ok(r.ok);
    assert.equal(r.defaulted, true);
    assert.deepEqual(r.window, windowOf('last 7 days'));
    assert.deepEqual(r.window.label, { en: 'last 7 days', zh: '过去7天' });
  });
});

describe('calendar periods in UTC', () => {
  const day = (s: string) => iso(`${s}T00:00:00Z`);
  // [phrase, start, end, bin, label en, label zh]
  const cases: [string, number, number, number, string, string][] = [
    ['today', day('2026-10-15'), NOW, HOUR_MS, 'today', '今天'],
    ['今天', day('2026-10-15'), NOW, HOUR_MS, 'today', '今天'],
    ['yesterday', day('2026-10-14'), day('2026-10-15'), HOUR_MS, 'yesterday', '昨天'],
    ['昨天', day('2026-10-14'), day('2026-10-15'), HOUR_MS, 'yesterday', '昨天'],
    ['this week', day('2026-10-12'), NOW, DAY_MS, 'this week', '本周'],
    ['本周', day('2026-10-12'), NOW, DAY_MS, 'this week', '本周'],
    ['这周', day('2026-10-12'), NOW, DAY_MS, 'this week', '本周'],
    ['last week', day('2026-10-05'), day('2026-10-12'), DAY_MS, 'last week', '上周'],
    ['上周', day('2026-10-05'), day('2026-10-12'), DAY_MS, 'last week', '上周'],
    ['this month', day('2026-10-01'), NOW, DAY_MS, 'this month', '本月'],
    ['本月', day('2026-10-01'), NOW, DAY_MS, 'this month', '本月'],
    ['last month', day('2026-09-01'), day('2026-10-01'), DAY_MS, 'last month', '上个月'],
    ['上个月', day('2026-09-01'), day('2026-10-01'), DAY_MS, 'last month', '上个月'],
    ['since 2026-10-01', day('2026-10-01'), NOW, DAY_MS, 'since 2026-10-01', '自2026-10-01起'],
    ['自2026-10-01以来', day('2026-10-01'), NOW, DAY_MS, 'since 2026-10-01', '自2026-10-01起'],
    ['从2026年10月1日起', day('2026-10-01'), NOW, DAY_MS, 'since 2026-10-01', '自2026-10-01起'],
    ['2026-10-01以来', day('2026-10-01'), NOW, DAY_MS, 'since 2026-10-01', '自2026-10-01起'],
    ['from 2026/10/1', day('2026-10-01'), NOW, DAY_MS, 'since 2026-10-01', '自2026-10-01起'],
    ['since 2026-10-14', day('2026-10-14'), NOW, HOUR_MS, 'since 2026-10-14', '自2026-10-14起'],
    ['since yesterday', day('2026-10-14'), NOW, HOUR_MS, 'since yesterday', '自昨天起'],
    ['自昨天以来', day('2026-10-14'), NOW, HOUR_MS, 'since yesterday', '自昨天起'],
  ];
  for (const [phrase, start, end, bin, en, zh] of cases) {
    it(phrase, () => {
      assert.deepEqual(windowOf(phrase), { kind: 'calendar', start, end, bin, binOrigin: start, label: { en, zh } });
    });
  }

  it('starts weeks on Monday: on a Monday this week is today, on a Sunday it began six days before', () => {
    assert.equal(windowOf('this week', iso('2026-10-12T08:00:00Z')).start, day('2026-10-12'));
    assert.equal(windowOf('this week', iso('2026-10-18T23:00:00Z')).start, day('2026-10-12'));
    assert.equal(windowOf('last week', iso('2026-10-18T23:00:00Z')).end, day('2026-10-12'));
  });

  it('last month in January is December of the year before', () => {
    const w = windowOf('last month', iso('2027-01-10T00:00:00Z'));
    assert.equal(w.start, day('2026-12-01'));
    assert.equal(w.end, day('2027-01-01'));
  });
});

describe('calendar periods in zones with DST', () => {
  it('New York across the November change: yesterday was 25 hours long', () => {
    const now = iso('2026-11-02T15:00:00Z'); // Monday 10:00 EST; DST ended Sunday 2026-11-01 at 02:00 EDT
    const tz = 'America/New_York';
    const y = windowOf('yesterday', now, tz);
    assert.equal(y.start, iso('2026-11-01T04:00:00Z'), 'midnight EDT');
    assert.equal(y.end, iso('2026-11-02T05:00:00Z'), 'midnight EST');
    assert.equal(y.end - y.start, 25 * HOUR_MS);
    assert.equal(windowOf('today', now, tz).start, iso('2026-11-02T05:00:00Z'));
    assert.equal(windowOf('this week', now, tz).start, iso('2026-11-02T05:00:00Z'));
    const lw = windowOf('上周', now, tz);
    assert.deepEqual([lw.start, lw.end], [iso('2026-10-26T04:00:00Z'), iso('2026-11-02T05:00:00Z')]);
    assert.equal(lw.end - lw.start, 7 * DAY_MS + HOUR_MS);
    assert.equal(windowOf('this month', now, tz).start, iso('2026-11-01T04:00:00Z'));
    const lm = windowOf('last month', now, tz);
    assert.deepEqual([lm.start, lm.end], [iso('2026-10-01T04:00:00Z'), iso('2026-11-01T04:00:00Z')]);
    assert.equal(windowOf('since 2026-10-31', now, tz).start, iso('2026-10-31T04:00:00Z'));
  });

  it('New York across the March change: yesterday was 23 hours long', () => {
    const y = windowOf('昨天', iso('2026-03-09T15:00:00Z'), 'America/New_York');
    assert.deepEqual([y.start, y.end], [iso('2026-03-08T05:00:00Z'), iso('2026-03-09T04:00:00Z')]);
    assert.equal(y.end - y.start, 23 * HOUR_MS);
  });

  it('Shanghai: the local date decides, not the UTC one', () => {
    const now = iso('2026-10-15T17:00:00Z'); // Friday 01:00 in Shanghai, still Thursday in UTC
    const tz = 'Asia/Shanghai';
    assert.equal(windowOf('今天', now, tz).start, iso('2026-10-15T16:00:00Z'));
    assert.deepEqual(
      [windowOf('昨天', now, tz).start, windowOf('昨天', now, tz).end],
      [iso('2026-10-14T16:00:00Z'), iso('2026-10-15T16:00:00Z')],
    );
    assert.equal(windowOf('本周', now, tz).start, iso('2026-10-11T16:00:00Z'));
    assert.equal(windowOf('本月', now, tz).start, iso('2026-09-30T16:00:00Z'));
    assert.equal(windowOf('自2026-10-01以来', now, tz).start, iso('2026-09-30T16:00:00Z'));
  });

  it('a day whose midnight is skipped starts when the clocks jump (Santiago, 2026-09-06)', () => {
    const tz = 'America/Santiago';
    const start = startOfLocalDay(tz, { year: 2026, month: 9, day: 6 });
    assert.equal(start, iso('2026-09-06T04:00:00Z'), '01:00 local, UTC−3');
    assert.deepEqual(localDateAt(tz, start - 1), { year: 2026, month: 9, day: 5, weekday: 6 });
    assert.equal(startOfLocalDay(tz, { year: 2026, month: 9, day: 7 }) - start, 23 * HOUR_MS);
  });
});

describe('refused windows', () => {
  const cases: [string, WindowProblem][] = [
    ['last 0 days', { problem: 'empty', phrase: 'last 0 days' }],
    ['过去0天', { problem: 'empty', phrase: '过去0天' }],
    ['last 366 days', { problem: 'too_long', phrase: 'last 366 days', days: 366, maxDays: 365 }],
    ['last 13 months', { problem: 'too_long', phrase: 'last 13 months', days: 390, maxDays: 365 }],
    ['since 2025-10-01', { problem: 'too_long', phrase: 'since 2025-10-01', days: 380, maxDays: 365 }],
    ['since 2026-12-01', { problem: 'future', date: '2026-12-01' }],
    ['自2027年1月1日以来', { problem: 'future', date: '2027-01-01' }],
    ['since 2026-02-30', { problem: 'not_a_date', date: '2026-02-30' }],
    ['since 2026-13-01', { problem: 'not_a_date', date: '2026-13-01' }],
    ['last 30 minutes', { problem: 'unit', unit: 'minute' }],
    ['过去10分钟', { problem: 'unit', unit: 'minute' }],
    ['this year', { problem: 'unit', unit: 'year' }],
    ['last year', { problem: 'unit', unit: 'year' }],
    ['去年', { problem: 'unit', unit: 'year' }],
    ['3 days ago', { problem: 'ago', phrase: '3 days ago' }],
    ['三天前', { problem: 'ago', phrase: '三天前' }],
    ['between 2026-10-01 and 2026-10-05', { problem: 'range', phrase: 'between 2026-10-01 and 2026-10-05' }],
    ['on 2026-10-01', { problem: 'range', phrase: 'on 2026-10-01' }],
    ['2026-10-01', { problem: 'range', phrase: '2026-10-01' }],
    ['next 7 days', { problem: 'unclear', words: 'next 7 days' }],
    ['since last week', { problem: 'unclear', words: 'since last week' }],
    ['yesterday and last week', { problem: 'two_windows', first: 'yesterday', second: 'last week' }],
    ['本周 上个月', { problem: 'two_windows', first: '本周', second: '上个月' }],
  ];
  for (const [phrase, problem] of cases) {
    it(phrase, () => assert.deepEqual(problemOf(phrase), problem));
  }

  it('the same window said twice is one window', () => {
    assert.deepEqual(windowOf('last 7 days (7d)'), windowOf('last 7 days'));
  });

  it('refuses a zone that is not an IANA name', () => {
    const r = resolveWindow('today', { now: NOW, timeZone: 'Mars/Olympus' });
    assert.deepEqual(r, { ok: false, problem: { code: 'bad_time_zone', timeZone: 'Mars/Olympus' } });
  });

  it('throws on a now that is not a number (a caller bug, not input)', () => {
    assert.throws(() => resolveWindow('today', { now: Number.NaN }), RangeError);
  });
});

describe('reading time phrases', () => {
  it('reports the span each phrase covers, in text order', () => {
    const text = 'console logins this week in us-east-1';
    const [p] = findTimePhrases(text);
    assert.equal(text.slice(p.start, p.end), 'this week');
    assert.deepEqual('spec' in p && p.spec, { type: 'calendar', period: 'this_week' });
  });

  it('does not read "5 s3" as seconds, "3月" as three months, or "top 5" as time', () => {
    assert.deepEqual(findTimePhrases('top 5 s3 buckets'), []);
    assert.deepEqual(findTimePhrases('3月的活动'), []);
    assert.deepEqual(findTimePhrases('前5个事件'), []);
  });

  it('resolves specs on their own', () => {
    const spec: TimeSpec = { type: 'rolling', amount: 30, unit: 'day' };
    const r = resolveTimeSpec(spec, { now: NOW });
    assert.ok(r.ok);
    assert.equal(r.window.start, NOW - 30 * DAY_MS);
  });
});
