/**
 * The engine as a whole: the Log Analytics wire format, the query time range
 * (timespan), the seed timechart query verbatim, and the errors for queries
 * that are wrong or outside the subset.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertQueryError, assertUnsupported, DAY, primary, rows, run, schemaOf, type TrailRow } from './helpers.ts';

describe('wire format (Log Analytics query API)', () => {
  test('one PrimaryResult table; each type as the API returns it', () => {
    const r = run(
      'print dt = datetime(2025-03-09 13:45:10.5), ts = 1d + 2h, ts2 = 90s, neg = -36h, dyn = dynamic({"a":[1,"x"]}), s = "x", l = 3, r = 2.5, b = true, i = toint(7), g = toguid("0f8fad5b-d9cb-469f-a165-70867728950e")',
    );
    assert.equal(r.tables.length, 1);
    assert.equal(r.tables[0].name, 'PrimaryResult');
    assert.deepEqual(schemaOf(r.tables[0]), [
      'dt:datetime',
      'ts:timespan',
      'ts2:timespan',
      'neg:timespan',
      'dyn:dynamic',
      's:string',
      'l:long',
      'r:real',
      'b:bool',
      'i:int',
      'g:guid',
    ]);
    assert.deepEqual(r.tables[0].rows, [
      [
        '2025-03-09T13:45:10.5Z',
        '1.02:00:00',
        '00:01:30',
        '-1.12:00:00',
        '{"a":[1,"x"]}',
        'x',
        3,
        2.5,
        true,
        7,
        '0f8fad5b-d9cb-469f-a165-70867728950e',
      ],
    ]);
    // Plain JSON all the way down: what the CLI prints with --json.
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  });

  test('nulls: null for numbers, datetimes, bools, timespans and dynamic; "" for strings', () => {
    const r = primary(
      'print l = long(null), d = datetime(null), b = bool(null), t = timespan(null), y = dynamic(null), s = tostring(long(null))',
    );
    assert.deepEqual(r.rows, [[null, null, null, null, null, '']]);
  });

  test('several result statements give PrimaryResult, Table_1, …', () => {
    const r = run('print a = 1; print b = 2');
    assert.deepEqual(
      r.tables.map((t) => [t.name, t.rows]),
      [
        ['PrimaryResult', [[1]]],
        ['Table_1', [[2]]],
      ],
    );
  });
});

describe('query time range (timespan): [now − span, now) on TimeGenerated', () => {
  const trail: TrailRow[] = [
    { TimeGenerated: '2025-03-10T12:00:00Z', EventName: 'AtNow' }, // = now: outside (the end is exclusive)
    { TimeGenerated: '2025-03-10T11:59:59Z', EventName: 'JustBeforeNow' },
    { TimeGenerated: '2025-03-09T12:00:00Z', EventName: 'ExactlyOneDayAgo' }, // = now − 1d: inside
    { TimeGenerated: '2025-03-09T11:59:59Z', EventName: 'JustOverOneDayAgo' },
  ];

  test('without a timespan every row counts', () => {
    assert.deepEqual(rows('AWSCloudTrail | count', { trail }), [[4]]);
  });

  test('a one-day timespan keeps [now − 1d, now)', () => {
    assert.deepEqual(rows('AWSCloudTrail | project EventName', { trail, timespanMs: DAY }), [['JustBeforeNow'], ['ExactlyOneDayAgo']]);
  });

  test('it applies to every read of the table (both sides of a join, lets) but not to datatables', () => {
    const q = `let t = AWSCloudTrail | project EventName;
      t | join kind=inner (AWSCloudTrail | project EventName, n = 1) on EventName | union (datatable(EventName:string)["Literal"]) | project EventName`;
    assert.deepEqual(rows(q, { trail, timespanMs: DAY }), [['JustBeforeNow'], ['ExactlyOneDayAgo'], ['Literal']]);
  });
});

describe('the seed timechart query, verbatim', () => {
  const SEED = `let Now = now();
(range TimeGenerated from ago(30d) to Now-1d step 1d
| extend Count = 0
| union isfuzzy=true (AWSCloudTrail
| summarize Count = count() by bin_at(TimeGenerated, 1d, Now))
| summarize Count=max(Count) by bin_at(TimeGenerated, 1d, Now)
| sort by TimeGenerated
| project Value = iff(isnull(Count), 0, Count), Time = TimeGenerated, Legend = "awsCloudTrail")
| render timechart`;

  // Daily bins run 12:00 → 12:00 (aligned to now = 03-10 12:00).
  const trail: TrailRow[] = [
    { TimeGenerated: '2025-03-10T12:00:00Z' }, // = now: outside a P30D timespan; without one, a bin of its own (03-10 12:00)
    { TimeGenerated: '2025-03-10T11:59:59Z' }, // bin 03-09 12:00
    { TimeGenerated: '2025-03-10T08:00:00Z' }, // bin 03-09 12:00
    { TimeGenerated: '2025-03-09T12:00:00Z' }, // bin 03-09 12:00 (its first instant)
    { TimeGenerated: '2025-03-09T11:59:59Z' }, // bin 03-08 12:00
    { TimeGenerated: '2025-03-01T00:00:00Z' }, // bin 02-28 12:00 (2025 is not a leap year)
    { TimeGenerated: '2025-03-01T06:00:00Z' }, // bin 02-28 12:00
    { TimeGenerated: '2025-02-08T12:00:00Z' }, // = now − 30d: the first instant of the oldest bin, inside
    { TimeGenerated: '2025-02-08T11:59:59Z' }, // outside a P30D timespan; without one, bin 02-07 12:00
  ];

  test('with P30D: exactly 30 daily rows, newest first, zero-filled, counts per 12:00-aligned day', () => {
    const r = run(SEED, { trail, timespanMs: 30 * DAY });
    const t = r.tables[0];
    assert.deepEqual(schemaOf(t), ['Value:long', 'Time:datetime', 'Legend:string']);
    assert.equal(t.rows.length, 30);
    const expected = new Map([
      ['2025-03-09T12:00:00Z', 3],
      ['2025-03-08T12:00:00Z', 1],
      ['2025-02-28T12:00:00Z', 2],
      ['2025-02-08T12:00:00Z', 1],
    ]);
    const want = Array.from({ length: 30 }, (_, i) => {
      const time = new Date(Date.parse('2025-03-09T12:00:00Z') - i * DAY).toISOString().replace('.000Z', 'Z');
      return [expected.get(time) ?? 0, time, 'awsCloudTrail'];
    });
    assert.deepEqual(t.rows, want);
    assert.equal(
      t.rows.reduce((n, r) => n + Number(r[0]), 0),
      7,
    ); // the 7 events inside [now − 30d, now)
    assert.deepEqual(r.render, { visualization: 'timechart' });
  });

  test('without a timespan, events outside the 30 days add bins (as DESIGN.md warns)', () => {
    const t = primary(SEED, { trail });
    assert.equal(t.rows.length, 32);
    assert.deepEqual(t.rows[0], [1, '2025-03-10T12:00:00Z', 'awsCloudTrail']);
    assert.deepEqual(t.rows[31], [1, '2025-02-07T12:00:00Z', 'awsCloudTrail']);
  });

  test('an empty workspace still gives 30 zero rows', () => {
    const t = primary(SEED, { trail: [], timespanMs: 30 * DAY });
    assert.equal(t.rows.length, 30);
    assert.ok(t.rows.every((r) => r[0] === 0));
  });
});

describe('errors', () => {
  test('a misspelt column is a semantic error before anything runs, naming the column and where it is', () => {
    assertQueryError('AWSCloudTrail\n| where EventNme == "ConsoleLogin"', 'query_semantic', /line 2, column 9: .*'EventNme'.*\(KS142\)/);
  });

  test('an unknown table or function is a semantic error', () => {
    assertQueryError('AWSCloudTrial | take 1', 'query_semantic', /'AWSCloudTrial'.*\(KS204\)/);
    assertQueryError('print x = foo(1)', 'query_semantic', /'foo'/);
  });

  test('text that does not parse is a syntax error', () => {
    assertQueryError('AWSCloudTrail | where', 'query_syntax', /line 1, column 22: Missing expression \(KS006\)/);
    assertQueryError('print 1 +', 'query_syntax', /KS006/);
  });

  test('outside the subset: the one clear "not supported by the local workspace: <name>" error', () => {
    assertUnsupported('print d = dynamic({"a":1}) | evaluate bag_unpack(d)', 'operator evaluate bag_unpack');
    assertUnsupported('AWSCloudTrail | parse-where UserAgent with agent "/" version', 'operator parse-where');
    assertUnsupported('externaldata(x:string)[@"https://example.com/x.csv"] with (format="csv")', 'externaldata');
    assertUnsupported('let f = (T:(x:long)) { T | count }; f(datatable(x:long)[1])', 'user-defined function f with a tabular parameter');
    assertUnsupported('AWSCloudTrail | search "x"', 'operator search');
    assertUnsupported('search "x"', 'operator search');
    assertUnsupported('AWSCloudTrail | mv-apply x = dynamic([1]) on (take 1)', 'operator mv-apply');
    assertUnsupported('AWSCloudTrail | sample 1', 'operator sample');
    assertUnsupported('AWSCloudTrail | getschema', 'operator getschema');
    assertUnsupported('AWSCloudTrail | summarize percentiles(_BilledSize, 50, 90)', 'function percentiles()');
    assertUnsupported('AWSCloudTrail | summarize tdigest(_BilledSize)', 'function tdigest()');
    assertUnsupported('AWSCloudTrail | mv-expand with_itemindex=i x = dynamic([1, 2])', 'mv-expand with_itemindex');
    assertUnsupported('.show tables', 'management commands');
  });
});
