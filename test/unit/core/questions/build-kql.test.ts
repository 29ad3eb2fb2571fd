/**
 * buildKql: the query contract the answer stage relies on (explicit instants, totals in every
 * row, the render properties, the time range to run with), the same query for both languages
 * apart from titles, the limits with their refusals, and a failed validation as a bug.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AWSCLOUDTRAIL_COLUMNS } from '../../../../src/cloud/logs/local/awscloudtrail-columns.ts';
import { TableBuilder } from '../../../../src/cloud/logs/local/table-builder.ts';
import { ChatopsError } from '../../../../src/core/errors.ts';
import { buildKql, isoDuration } from '../../../../src/core/questions/build-kql.ts';
import { LIMITS, refusal } from '../../../../src/core/questions/catalog/text.ts';
import { catalog } from '../../../../src/core/questions/catalog.ts';
import type { Intent, QuestionKind } from '../../../../src/core/questions/intent.ts';
import type { KqlValidator } from '../../../../src/core/questions/kql-validator.ts';
import { runQuery } from '../../../../src/kql/engine.ts';
import { kqlValidator } from '../../../../src/kql/validator.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-25T09:30:00Z');
const MONDAY = Date.parse('2026-11-23T00:00:00Z');

const last7 = {
  kind: 'rolling' as const,
  start: NOW - 7 * DAY,
  end: NOW,
  bin: DAY,
  binOrigin: NOW,
  label: { en: 'last 7 days', zh: '过去7天' },
};
const thisWeek = {
  kind: 'calendar' as const,
  start: MONDAY,
  end: NOW,
  bin: HOUR,
  binOrigin: MONDAY,
  label: { en: 'this week', zh: '本周' },
};

function intent(kind: QuestionKind, extra: Partial<Intent> = {}): Intent {
  return {
    kind,
    language: 'en',
    window: last7,
    filters: kind === 'identity_activity' ? { identities: ['alice'] } : {},
    timeZone: 'UTC',
    ...extra,
  };
}

const empty = new TableBuilder(AWSCLOUDTRAIL_COLUMNS).build();
const run = (kql: string, now: number, timespanMs: number) =>
  runQuery(kql, (n) => (n === 'AWSCloudTrail' ? empty : undefined), { now, timespanMs });

describe('the query contract', () => {
  test('explicit instants first, never now() or ago()', () => {
    for (const e of catalog) {
      for (const window of [last7, thisWeek]) {
        const q = buildKql(intent(e.kind, { window }), kqlValidator);
        const lines = q.kql.split('\n');
        const len = window.end - window.start;
        assert.equal(lines[0], `let Start = datetime(${new Date(window.start).toISOString().replace('.000Z', 'Z')});`);
        assert.equal(lines[1], `let End = datetime(${new Date(window.end).toISOString().replace('.000Z', 'Z')});`);
        assert.equal(lines[2], `let PrevStart = datetime(${new Date(window.start - len).toISOString().replace('.000Z', 'Z')});`);
        assert.doesNotMatch(q.kql, /\b(now|ago)\s*\(/);
      }
    }
  });

  test('the time range to run with covers both periods (and the lookback of "new" kinds), ending at the window end', () => {
    for (const e of catalog) {
      const q = buildKql(intent(e.kind), kqlValidator);
      const extra = e.kind === 'new_regions' || e.kind === 'new_services' ? 30 * DAY : 0;
      assert.equal(q.now, NOW);
      assert.equal(q.timespanMs, 14 * DAY + extra, e.kind);
      assert.equal(q.timespan, extra ? 'P44D' : 'P14D');
      assert.deepEqual(q.range, { start: NOW - 14 * DAY - extra, end: NOW });
      assert.equal(q.chart, e.chart);
      assert.equal(q.shape, e.shape);
      assert.equal(q.title, q.titles.en);
    }
  });

  test('on an empty workspace every kind still returns rows carrying WindowTotal and PreviousTotal (0)', () => {
    for (const e of catalog) {
      for (const groupBy of [undefined, ...e.groupBys.slice(0, 1)]) {
        const q = buildKql(intent(e.kind, { groupBy }), kqlValidator);
        const r = run(q.kql, q.now, q.timespanMs);
        const t = r.tables[0];
        const names = t.columns.map((c) => c.name);
        assert.deepEqual(names.slice(-2), ['WindowTotal', 'PreviousTotal'], e.kind);
        assert.deepEqual(
          t.columns.slice(-2).map((c) => c.type),
          ['long', 'long'],
        );
        assert.ok(t.rows.length > 0, `${e.kind} ${groupBy}: rows`);
        for (const row of t.rows) assert.deepEqual(row.slice(-2), [0, 0]);
        assert.equal(r.render?.visualization, e.chart);
        if (e.shape === 'series') {
          assert.equal(names[0], 'Time');
          assert.ok(names.includes('Value') && names.includes('Legend'));
          assert.deepEqual(r.render?.ycolumns, ['Value']);
          assert.deepEqual(r.render?.series, ['Legend']);
          assert.equal(r.render?.xcolumn, 'Time');
          if (groupBy === undefined && e.kind !== 'console_logins') assert.equal(t.rows.length, 7, `${e.kind}: 7 daily bins`);
          for (const row of t.rows) assert.equal(row[names.indexOf('Value')], 0);
        } else if (e.shape === 'rank') {
          assert.deepEqual(names.slice(1), ['Count', 'WindowTotal', 'PreviousTotal']);
          assert.deepEqual(r.render?.ycolumns, ['Count']);
          assert.equal(r.render?.xcolumn, names[0]);
          assert.deepEqual(t.rows, [['', 0, 0, 0]], `${e.kind}: the placeholder row`);
        } else {
          assert.deepEqual(names, [
            'EventName',
            'Identity',
            'RecipientAccountId',
            'AWSRegion',
            'Count',
            'Failed',
            'FirstSeen',
            'LastSeen',
            'WindowTotal',
            'PreviousTotal',
          ]);
          assert.equal(t.rows.length, 1);
        }
        assert.equal(r.render?.title, q.title);
        if (e.chart !== 'table') assert.ok(typeof r.render?.xtitle === 'string' && typeof r.render?.ytitle === 'string');
      }
    }
  });

  test('console logins: a Success and a Failure series, zero-filled per bin', () => {
    const q = buildKql(intent('console_logins'), kqlValidator);
    const t = run(q.kql, q.now, q.timespanMs).tables[0];
    assert.equal(t.rows.length, 14);
    assert.deepEqual([...new Set(t.rows.map((r) => r[1]))].sort(), ['Failure', 'Success']);
  });

  test('hourly bins aligned to the start of a calendar window, through the bin that holds its end', () => {
    const q = buildKql(intent('activity_over_time', { window: thisWeek }), kqlValidator);
    const t = run(q.kql, q.now, q.timespanMs).tables[0];
    assert.equal(t.rows.length, 58); // Monday 00:00 to Wednesday 09:00, the bin holding 09:30
    assert.equal(t.rows[0][0], '2026-11-23T00:00:00Z');
    assert.equal(t.rows.at(-1)?.[0], '2026-11-25T09:00:00Z');
  });

  test('English and Chinese intents give the same query apart from the titles in render', () => {
    for (const e of catalog) {
      const en = buildKql(intent(e.kind, { filters: { regions: ['eu-west-1'], identities: ['alice'] } }), kqlValidator);
      const zh = buildKql(intent(e.kind, { language: 'zh', filters: { regions: ['eu-west-1'], identities: ['alice'] } }), kqlValidator);
      const body = (k: string) => k.split('\n').filter((l) => !l.startsWith('| render '));
      assert.deepEqual(body(zh.kql), body(en.kql), e.kind);
      assert.notEqual(zh.title, en.title);
      assert.equal(zh.title, zh.titles.zh);
      assert.ok(zh.kql.includes(`title="${zh.title}"`));
    }
  });

  test('Events keeps only the columns the result reads (the local engine copies every column of a let-bound table)', () => {
    const projectOf = (kind: QuestionKind, extra: Partial<Intent> = {}) => {
      const line = buildKql(intent(kind, extra), kqlValidator)
        .kql.split('\n')
        .find((l) => l.startsWith('| project TimeGenerated'));
      return line?.replace(/;$/, '');
    };
    assert.equal(projectOf('activity_over_time'), '| project TimeGenerated');
    assert.equal(projectOf('activity_by_region'), '| project TimeGenerated, AWSRegion');
    assert.equal(projectOf('errors_over_time', { groupBy: 'error' }), '| project TimeGenerated, ErrorCode');
    assert.equal(projectOf('console_logins'), '| project TimeGenerated, Legend = tostring(parse_json(ResponseElements).ConsoleLogin)');
    assert.match(projectOf('activity_by_identity') ?? '', /^\| project TimeGenerated, Identity = coalesce\(/);
    assert.match(
      projectOf('cloudtrail_tampering') ?? '',
      /^\| project TimeGenerated, EventName, Identity = coalesce\(.*\), RecipientAccountId, AWSRegion, ErrorCode$/,
    );
  });

  test('a question limit sets the number of groups', () => {
    const q = buildKql(intent('activity_by_region', { limit: 5 }), kqlValidator);
    assert.match(q.kql, /\| take 5\n/);
    assert.match(q.title, /top 5/);
    assert.match(buildKql(intent('activity_by_region'), kqlValidator).kql, /\| take 10\n/);
  });

  test('a grouping the kind does not take is ignored', () => {
    const a = buildKql(intent('new_regions'), kqlValidator);
    const b = buildKql(intent('new_regions', { groupBy: 'identity' }), kqlValidator);
    assert.equal(b.kql, a.kql);
  });

  test('filters apply to every branch through Events; accounts are RecipientAccountId', () => {
    const q = buildKql(intent('activity_over_time', { filters: { accounts: ['012345678901'], regions: ['eu-west-1'] } }), kqlValidator);
    assert.match(q.kql, /\| where RecipientAccountId in \("012345678901"\)\n\| where AWSRegion in~ \("eu-west-1"\)/);
    assert.equal(q.kql.match(/(?<!")AWSCloudTrail(?!")/g)?.length, 1, 'the table is read once, by Events');
  });
});

describe('limits and refusals', () => {
  const refusedWith = (expected: { en: string; zh: string }, language: 'en' | 'zh') => (e: unknown) =>
    e instanceof ChatopsError && e.code === 'bad_input' && e.message === expected[language];

  test(`at most ${LIMITS.values} values per filter`, () => {
    const ok = Array.from({ length: 20 }, (_, i) => `user${i}`);
    assert.doesNotThrow(() => buildKql(intent('activity_over_time', { filters: { identities: ok } }), kqlValidator));
    for (const language of ['en', 'zh'] as const) {
      assert.throws(
        () => buildKql(intent('activity_over_time', { language, filters: { identities: [...ok, 'one-more'] } }), kqlValidator),
        refusedWith(refusal.tooManyValues('identities', 21), language),
      );
    }
  });

  test(`at most ${LIMITS.valueLength} characters (code points) per value`, () => {
    const ok = '😀'.repeat(256); // 512 UTF-16 units, 256 characters
    assert.doesNotThrow(() => buildKql(intent('activity_over_time', { filters: { eventNames: [ok] } }), kqlValidator));
    assert.throws(
      () => buildKql(intent('activity_over_time', { filters: { eventNames: ['x'.repeat(257)] } }), kqlValidator),
      refusedWith(refusal.valueTooLong('eventNames', 257), 'en'),
    );
    assert.throws(
      () => buildKql(intent('activity_over_time', { language: 'zh', filters: { eventNames: ['x'.repeat(10_240)] } }), kqlValidator),
      refusedWith(refusal.valueTooLong('eventNames', 10_240), 'zh'),
    );
  });

  test('empty values, characters no AWS name has, and account IDs that are not 12 digits', () => {
    assert.throws(
      () => buildKql(intent('activity_over_time', { filters: { regions: [''] } }), kqlValidator),
      refusedWith(refusal.emptyValue('regions'), 'en'),
    );
    assert.throws(
      () => buildKql(intent('activity_over_time', { filters: { identities: ['al\u0000ice'] } }), kqlValidator),
      refusedWith(refusal.badCharacter('identities', 'control_character'), 'en'),
    );
    assert.throws(
      () => buildKql(intent('activity_over_time', { language: 'zh', filters: { identities: ['\ud800'] } }), kqlValidator),
      refusedWith(refusal.badCharacter('identities', 'lone_surrogate'), 'zh'),
    );
    for (const bad of ['12345678901', '1234567890123', '12345678901a', '"012345678901"']) {
      assert.throws(
        () => buildKql(intent('activity_over_time', { filters: { accounts: [bad] } }), kqlValidator),
        refusedWith(refusal.badAccount(), 'en'),
      );
    }
  });

  test('a limit outside 1-50 is refused', () => {
    for (const limit of [0, 51, 2.5, -1, Number.NaN]) {
      assert.throws(() => buildKql(intent('activity_by_region', { limit }), kqlValidator), refusedWith(refusal.badLimit(limit), 'en'));
    }
    assert.doesNotThrow(() => buildKql(intent('activity_by_region', { limit: 50 }), kqlValidator));
  });

  test('a time series of more bins than a chart can hold is refused', () => {
    const window = { ...last7, start: NOW - 400 * DAY, bin: HOUR };
    assert.throws(() => buildKql(intent('activity_over_time', { window }), kqlValidator), refusedWith(refusal.tooManyBins(9600), 'en'));
    assert.doesNotThrow(() => buildKql(intent('activity_by_region', { window }), kqlValidator), 'a ranking has no bins');
  });

  test("a broken window is a bug, not the asker's fault", () => {
    for (const window of [
      { ...last7, start: NOW, end: NOW },
      { ...last7, bin: 0 },
      { ...last7, start: Number.NaN },
      { ...last7, end: NOW + 0.5 },
    ]) {
      assert.throws(() => buildKql(intent('activity_over_time', { window }), kqlValidator), { code: 'internal' });
    }
  });
});

describe('validation', () => {
  test('the validator sees exactly the query that is returned', () => {
    const seen: string[] = [];
    const spy: KqlValidator = {
      validate(k) {
        seen.push(k);
        return kqlValidator.validate(k);
      },
    };
    const q = buildKql(intent('iam_changes'), spy);
    assert.deepEqual(seen, [q.kql]);
  });

  test('a query that fails validation is a bug: internal, with the parser errors', () => {
    const failing: KqlValidator = { validate: () => ({ ok: false, errors: ['line 1, column 1: broken (KS999)', 'second'] }) };
    assert.throws(
      () => buildKql(intent('activity_over_time'), failing),
      (e: unknown) => e instanceof ChatopsError && e.code === 'internal' && /KS999/.test(e.message) && e.details[0] === 'second',
    );
  });
});

test('isoDuration', () => {
  assert.equal(isoDuration(30 * DAY), 'P30D');
  assert.equal(isoDuration(24 * HOUR), 'P1D');
  assert.equal(isoDuration(12 * HOUR), 'PT12H');
  assert.equal(isoDuration(2 * DAY + 12 * HOUR + 90_000), 'P2DT12H1M30S');
  assert.equal(isoDuration(500), 'PT0.5S');
  assert.throws(() => isoDuration(0), { code: 'internal' });
});
