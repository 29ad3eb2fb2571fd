/**
 * Tabular operators of the local workspace's KQL subset against results worked
 * out by hand on tiny tables. `now` is 2025-03-10 12:00 UTC throughout.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runQuery } from '../../../src/kql/engine.ts';
import { assertQueryError, assertUnsupported, primary, records, rows, run, schemaOf, type TrailRow } from './helpers.ts';

/** Five CloudTrail events over six days; `_BilledSize` (real) has a null. */
const TRAIL: TrailRow[] = [
  {
    TimeGenerated: '2025-03-10T08:00:00Z',
    EventName: 'ConsoleLogin',
    UserIdentityUserName: 'alice',
    AWSRegion: 'us-east-1',
    _BilledSize: 1.5,
  },
  { TimeGenerated: '2025-03-10T09:30:00Z', EventName: 'GetObject', UserIdentityUserName: 'bob', AWSRegion: 'us-east-1', _BilledSize: 2 },
  { TimeGenerated: '2025-03-09T13:00:00Z', EventName: 'GetObject', UserIdentityUserName: 'bob', AWSRegion: 'eu-west-1', _BilledSize: null },
  { TimeGenerated: '2025-03-09T11:00:00Z', EventName: 'PutObject', UserIdentityUserName: '', AWSRegion: 'eu-west-1', _BilledSize: 4 },
  {
    TimeGenerated: '2025-03-05T12:00:00Z',
    EventName: 'ConsoleLogin',
    UserIdentityUserName: 'carol',
    AWSRegion: 'ap-south-1',
    _BilledSize: 0.5,
  },
];
const trail = { trail: TRAIL };

describe('let', () => {
  test('a scalar let is a constant in later statements', () => {
    assert.deepEqual(rows('let n = 2; datatable(a:long)[1, 2, 3] | where a >= n'), [[2], [3]]);
  });

  test('datetime and timespan lets, used with between (start .. span)', () => {
    // [2025-03-09 00:00, 2025-03-10 00:00] holds the 13:00 and 11:00 events of the 9th.
    const q =
      'let start = datetime(2025-03-09); let span = 1d; AWSCloudTrail | where TimeGenerated between (start .. span) | project EventName';
    assert.deepEqual(rows(q, trail), [['GetObject'], ['PutObject']]);
  });

  test('a tabular let is evaluated where it is used', () => {
    assert.deepEqual(rows('let Logins = AWSCloudTrail | where EventName == "ConsoleLogin"; Logins | count', trail), [[2]]);
  });

  test('materialize(): one table used on both sides of a join', () => {
    // Counts per event: ConsoleLogin 2, GetObject 2, PutObject 1; the right side keeps n > 1.
    const q = `let m = materialize(AWSCloudTrail | summarize n = count() by EventName);
      m | join kind=inner (m | where n > 1) on EventName | project EventName, n, n1 | sort by EventName asc`;
    assert.deepEqual(rows(q, trail), [
      ['ConsoleLogin', 2, 2],
      ['GetObject', 2, 2],
    ]);
  });

  test('toscalar() in a let, and long arithmetic (integer division)', () => {
    // total = 5 events; share = 100 * n / total in longs: 200/5 = 40, 200/5 = 40, 100/5 = 20.
    const q = `let total = toscalar(AWSCloudTrail | count);
      AWSCloudTrail | summarize n = count() by EventName | extend share = 100 * n / total | sort by EventName asc`;
    const t = primary(q, trail);
    assert.deepEqual(schemaOf(t), ['EventName:string', 'n:long', 'share:long']);
    assert.deepEqual(t.rows, [
      ['ConsoleLogin', 2, 40],
      ['GetObject', 2, 40],
      ['PutObject', 1, 20],
    ]);
  });
});

describe('range', () => {
  test('numbers: from 1 to 10 step 3 includes both ends when on a step', () => {
    const t = primary('range x from 1 to 10 step 3');
    assert.deepEqual(schemaOf(t), ['x:long']);
    assert.deepEqual(t.rows, [[1], [4], [7], [10]]);
  });

  test('a stop before the next step still gives the start', () => {
    assert.deepEqual(rows('range x from 1 to 2 step 5'), [[1]]);
  });

  test('datetimes, as the seed query builds its bins: ago(3d) to now()-1d step 1d', () => {
    const t = primary('range TimeGenerated from ago(3d) to now() - 1d step 1d');
    assert.deepEqual(schemaOf(t), ['TimeGenerated:datetime']);
    assert.deepEqual(t.rows, [['2025-03-07T12:00:00Z'], ['2025-03-08T12:00:00Z'], ['2025-03-09T12:00:00Z']]);
  });
});

describe('union', () => {
  test('columns are merged by name; a missing string is "", a missing number null', () => {
    const t = primary('union (datatable(x:long, s:string)[1, "a"]), (datatable(x:long, y:long, t:string)[2, 20, "b"])');
    assert.deepEqual(schemaOf(t), ['x:long', 's:string', 'y:long', 't:string']);
    assert.deepEqual(t.rows, [
      [1, 'a', null, ''],
      [2, '', 20, 'b'],
    ]);
  });

  test('the same name with two types becomes name_type columns', () => {
    const t = primary('datatable(x:long)[1] | union (datatable(x:string)["2"])');
    assert.deepEqual(schemaOf(t), ['x_long:long', 'x_string:string']);
    assert.deepEqual(t.rows, [
      [1, ''],
      [null, '2'],
    ]);
  });

  test('isfuzzy=true drops a leg whose table does not exist', () => {
    assert.deepEqual(rows('union isfuzzy=true (datatable(x:long)[1]), NoSuchTable'), [[1]]);
  });

  test('isfuzzy=true does not hide an unsupported leg (no silent gap)', () => {
    assertUnsupported('union isfuzzy=true (datatable(x:long)[1]), (datatable(x:long)[2] | sample 1)', 'operator sample');
  });

  test('a table the workspace knows only the schema of (AWSGuardDuty) is an empty leg', () => {
    assert.deepEqual(rows('union (datatable(x:long)[1]), (AWSGuardDuty | project x = 2) | project x'), [[1]]);
  });
});

describe('where, extend, project', () => {
  test('where: a comparison with null is not true, so the null row goes', () => {
    // _BilledSize: 1.5, 2, null, 4, 0.5 → > 1 keeps 1.5, 2, 4.
    assert.deepEqual(rows('AWSCloudTrail | where _BilledSize > 1 | project _BilledSize', trail), [[1.5], [2], [4]]);
  });

  test('where with and/or/not', () => {
    const q =
      'AWSCloudTrail | where (EventName == "GetObject" and AWSRegion == "eu-west-1") or not(EventName != "PutObject") | project EventName, AWSRegion';
    assert.deepEqual(rows(q, trail), [
      ['GetObject', 'eu-west-1'],
      ['PutObject', 'eu-west-1'],
    ]);
  });

  test('extend adds columns and replaces one in place; every expression reads the input columns', () => {
    const t = primary('datatable(a:long, b:long)[1, 2] | extend a = a * 10, c = a + b');
    assert.deepEqual(schemaOf(t), ['a:long', 'b:long', 'c:long']);
    // c = 1 + 2: the a being replaced by this same extend still reads as the input's 1 (Kusto's scoping; the official
    // analyser types `extend a = tostring(a), b = a + 1` as long for the same reason).
    assert.deepEqual(t.rows, [[10, 2, 3]]);
    assert.deepEqual(rows('datatable(a:long)[1] | extend a = tostring(a), b = a + 1'), [['1', 2]]);
  });

  test('a column declared in an extend is not visible to the same extend (the analyser rejects it)', () => {
    assertQueryError('datatable(a:long)[1] | extend x = a, y = x', 'query_semantic', /'x'.*KS142/);
  });

  test('project picks, renames and computes; unnamed expressions get Kusto names', () => {
    const t = primary('datatable(EventName:string, n:long)["abc", 2] | project Upper = toupper(EventName), n, strlen(EventName), n * 2');
    assert.deepEqual(schemaOf(t), ['Upper:string', 'n:long', 'strlen_EventName:long', 'Column1:long']);
    assert.deepEqual(t.rows, [['ABC', 2, 3, 4]]);
  });

  test('project-away (names and wildcards) and project-rename', () => {
    const t = primary('datatable(a:long, b1:string, b2:string, c:real)[1, "x", "y", 1.5] | project-away b* | project-rename A = a');
    assert.deepEqual(schemaOf(t), ['A:long', 'c:real']);
    assert.deepEqual(t.rows, [[1, 1.5]]);
  });
});

describe('summarize', () => {
  // g=a: v 1, null, 3; s x, y, x.   g=b: v 5, null; s w, z.
  const data = 'datatable(g:string, v:long, s:string)["a", 1, "x", "a", long(null), "y", "a", 3, "x", "b", 5, "w", "b", long(null), "z"]';

  test('every aggregate, with nulls: count counts rows, the others ignore nulls', () => {
    const t = primary(
      `${data} | summarize count(), countif(isnull(v)), dcount(s), dcountif(s, v > 0), sum(v), min(v), max(v), avg(v), make_set(s), make_list(v) by g | sort by g asc`,
    );
    assert.deepEqual(schemaOf(t), [
      'g:string',
      'count_:long',
      'countif_:long',
      'dcount_s:long',
      'dcountif_s:long',
      'sum_v:long',
      'min_v:long',
      'max_v:long',
      'avg_v:real',
      'set_s:dynamic',
      'list_v:dynamic',
    ]);
    assert.deepEqual(t.rows, [
      // a: 3 rows, 1 null v; s ∈ {x, y}; v > 0 rows have s x, x → 1; sum 1+3; avg (1+3)/2 ignores the null.
      ['a', 3, 1, 2, 1, 4, 1, 3, 2, '["x","y"]', '[1,3]'],
      // b: 2 rows, 1 null v; s ∈ {w, z}; v > 0 only on w; sum = min = max = avg = 5.
      ['b', 2, 1, 2, 1, 5, 5, 5, 5, '["w","z"]', '[5]'],
    ]);
  });

  test('automatic column names: count_, dcount_EventName, max_TimeGenerated', () => {
    const t = primary('AWSCloudTrail | summarize count(), dcount(EventName), max(TimeGenerated)', trail);
    assert.deepEqual(schemaOf(t), ['count_:long', 'dcount_EventName:long', 'max_TimeGenerated:datetime']);
    assert.deepEqual(t.rows, [[5, 3, '2025-03-10T09:30:00Z']]);
  });

  test('avg and dcount ignore nulls, count() does not', () => {
    // _BilledSize: 1.5 + 2 + 4 + 0.5 = 8 over 4 non-null values → 2; 5 rows; 4 distinct non-null values.
    assert.deepEqual(
      rows('AWSCloudTrail | summarize avg(_BilledSize), count(), dcount(_BilledSize), countif(isnotnull(_BilledSize))', trail),
      [[2, 5, 4, 4]],
    );
  });

  test('no input rows and no by: one row of defaults (0 for counts and sums, null for avg/min/max, [] for sets)', () => {
    const q = 'datatable(a:long)[] | summarize count(), countif(a > 0), dcount(a), sum(a), avg(a), max(a), make_set(a), make_list(a)';
    assert.deepEqual(rows(q), [[0, 0, 0, 0, null, null, '[]', '[]']]);
  });

  test('no input rows with a by: no rows', () => {
    assert.deepEqual(rows('datatable(a:long, g:string)[] | summarize count() by g'), []);
  });

  test('arg_max / arg_min with listed columns and with *', () => {
    const data2 = 'datatable(k:string, t:long, v:string)["a", 1, "x", "a", 3, "y", "b", 2, "z", "a", long(null), "w"]';
    // a: t = 1, 3, null → max at 3 (v y), min at 1 (v x); the null t never wins.
    const max = primary(`${data2} | summarize arg_max(t, v) by k | sort by k asc`);
    assert.deepEqual(schemaOf(max), ['k:string', 't:long', 'v:string']);
    assert.deepEqual(max.rows, [
      ['a', 3, 'y'],
      ['b', 2, 'z'],
    ]);
    const min = primary(`${data2} | summarize arg_min(t, *) by k | sort by k asc`);
    assert.deepEqual(schemaOf(min), ['k:string', 't:long', 'v:string']);
    assert.deepEqual(min.rows, [
      ['a', 1, 'x'],
      ['b', 2, 'z'],
    ]);
  });

  test('a named arg_max(x, *) next to another aggregate', () => {
    // The hunting queries' shape: ts = arg_max(ts, *), n = dcount(v) by k; a: ts 1, 3, 2 → the row (3, y); v ∈ {x, y, w}.
    const q =
      'datatable(k:string, t:long, v:string)["a", 1, "x", "a", 3, "y", "b", 2, "z", "a", 2, "w"] | extend ts = t | summarize ts = arg_max(ts, *), n = dcount(v) by k | sort by k asc';
    const t = primary(q);
    assert.deepEqual(schemaOf(t), ['k:string', 'ts:long', 't:long', 'v:string', 'n:long']);
    assert.deepEqual(t.rows, [
      ['a', 3, 3, 'y', 3],
      ['b', 2, 2, 'z', 1],
    ]);
  });

  test('by bin(TimeGenerated, 1d): days from midnight UTC', () => {
    const q = 'AWSCloudTrail | summarize count() by bin(TimeGenerated, 1d) | sort by TimeGenerated asc';
    const t = primary(q, trail);
    assert.deepEqual(schemaOf(t), ['TimeGenerated:datetime', 'count_:long']);
    assert.deepEqual(t.rows, [
      ['2025-03-05T00:00:00Z', 1],
      ['2025-03-09T00:00:00Z', 2],
      ['2025-03-10T00:00:00Z', 2],
    ]);
  });

  test('by bin_at(TimeGenerated, 1d, now): days aligned to 12:00, like the seed query', () => {
    // 03-10 08:00, 03-10 09:30 and 03-09 13:00 fall in [03-09 12:00, 03-10 12:00); 03-09 11:00 in the bin before;
    // 03-05 12:00 starts its own bin exactly.
    const q = 'AWSCloudTrail | summarize n = count() by bin_at(TimeGenerated, 1d, now()) | sort by TimeGenerated asc';
    assert.deepEqual(rows(q, trail), [
      ['2025-03-05T12:00:00Z', 1],
      ['2025-03-08T12:00:00Z', 1],
      ['2025-03-09T12:00:00Z', 3],
    ]);
  });

  test('bin_at with an hour size and an origin off the hour', () => {
    // Origin 00:15: 08:00 → 07:15, 09:30 → 09:15.
    const q =
      'AWSCloudTrail | where TimeGenerated > datetime(2025-03-10) | summarize by b = bin_at(TimeGenerated, 1h, datetime(2025-03-10 00:15)) | sort by b asc';
    assert.deepEqual(rows(q, trail), [['2025-03-10T07:15:00Z'], ['2025-03-10T09:15:00Z']]);
  });

  test('an expression over aggregates', () => {
    // 2 GetObject of 5 events → 40.0 percent (real, since 100.0 is real).
    assert.deepEqual(rows('AWSCloudTrail | summarize pct = 100.0 * countif(EventName == "GetObject") / count()', trail), [[40]]);
  });
});

describe('sort / order', () => {
  const data = 'datatable(a:long)[3, long(null), 1, 2]';

  test('sort by is descending by default, nulls last', () => {
    assert.deepEqual(rows(`${data} | sort by a`), [[3], [2], [1], [null]]);
  });

  test('asc puts nulls first', () => {
    assert.deepEqual(rows(`${data} | sort by a asc`), [[null], [1], [2], [3]]);
  });

  test('explicit nulls first / nulls last', () => {
    assert.deepEqual(rows(`${data} | order by a asc nulls last`), [[1], [2], [3], [null]]);
    assert.deepEqual(rows(`${data} | order by a desc nulls first`), [[null], [3], [2], [1]]);
  });

  test('order by is sort by; several keys', () => {
    const q = 'datatable(g:string, v:long)["b", 1, "a", 2, "b", 3, "a", 1] | order by g asc, v';
    assert.deepEqual(rows(q), [
      ['a', 2],
      ['a', 1],
      ['b', 3],
      ['b', 1],
    ]);
  });

  test('strings and datetimes sort descending by default', () => {
    assert.deepEqual(rows('AWSCloudTrail | sort by TimeGenerated | project EventName', trail), [
      ['GetObject'],
      ['ConsoleLogin'],
      ['GetObject'],
      ['PutObject'],
      ['ConsoleLogin'],
    ]);
    assert.deepEqual(rows('datatable(s:string)["b", "c", "a"] | sort by s'), [['c'], ['b'], ['a']]);
  });
});

describe('top, take/limit, distinct, count', () => {
  const data = 'datatable(a:long, b:string)[3, "x", long(null), "y", 1, "z", 2, "w"]';

  test('top N by: descending by default, nulls last', () => {
    assert.deepEqual(rows(`${data} | top 2 by a`), [
      [3, 'x'],
      [2, 'w'],
    ]);
  });

  test('top N by asc: nulls first unless nulls last', () => {
    assert.deepEqual(rows(`${data} | top 2 by a asc`), [
      [null, 'y'],
      [1, 'z'],
    ]);
    assert.deepEqual(rows(`${data} | top 2 by a asc nulls last`), [
      [1, 'z'],
      [2, 'w'],
    ]);
  });

  test('top by an expression', () => {
    // a % 3: 3 → 0, 1 → 1, 2 → 2 (null → null, last).
    assert.deepEqual(rows(`${data} | top 1 by a % 3 | project b`), [['w']]);
  });

  test('take and limit keep the first rows; more than there are is all of them', () => {
    assert.deepEqual(rows(`${data} | take 2 | project b`), [['x'], ['y']]);
    assert.deepEqual(rows(`${data} | limit 0`), []);
    assert.equal(rows(`${data} | take 10`).length, 4);
  });

  test('distinct over columns and over *', () => {
    const d = 'datatable(a:long, b:string)[1, "x", 2, "x", 1, "x", 1, "y"]';
    assert.deepEqual(rows(`${d} | distinct b | sort by b asc`), [['x'], ['y']]);
    assert.deepEqual(rows(`${d} | distinct * | sort by a asc, b asc`), [
      [1, 'x'],
      [1, 'y'],
      [2, 'x'],
    ]);
  });

  test('count gives one Count column', () => {
    const t = primary('AWSCloudTrail | count', trail);
    assert.deepEqual(schemaOf(t), ['Count:long']);
    assert.deepEqual(t.rows, [[5]]);
  });
});

describe('join', () => {
  // Left keys: 1 twice (a, b), 2 (c), 3 (d). Right keys: 1 (x), 2 twice (y, z), 4 (w).
  const L = 'datatable(Name:string, K:long)["a", 1, "b", 1, "c", 2, "d", 3]';
  const R = 'datatable(Name:string, K:long, V:long)["x", 1, 10, "y", 2, 20, "z", 2, 21, "w", 4, 40]';

  test('default innerunique: the left side is deduplicated by key before matching; right columns get a 1 suffix', () => {
    const t = primary(`${L} | join (${R}) on K`);
    assert.deepEqual(schemaOf(t), ['Name:string', 'K:long', 'Name1:string', 'K1:long', 'V:long']);
    // K=1 keeps one of a/b (Kusto picks either) and meets x; K=2 (c) meets y and z; K=3 has no match → 3 rows.
    assert.deepEqual(
      records(t, ['K', 'Name1', 'V']).sort((p, q) => Number(p.V) - Number(q.V)),
      [
        { K: 1, Name1: 'x', V: 10 },
        { K: 2, Name1: 'y', V: 20 },
        { K: 2, Name1: 'z', V: 21 },
      ],
    );
    assert.ok(['a', 'b'].includes(String(t.rows.find((r) => r[1] === 1)?.[0])));
  });

  test('inner: every matching pair (2 × 1 for K=1, 1 × 2 for K=2)', () => {
    assert.deepEqual(rows(`${L} | join kind=inner (${R}) on K | sort by Name asc, V asc`), [
      ['a', 1, 'x', 1, 10],
      ['b', 1, 'x', 1, 10],
      ['c', 2, 'y', 2, 20],
      ['c', 2, 'z', 2, 21],
    ]);
  });

  test('leftouter: unmatched left rows get "" for strings and null for the rest', () => {
    assert.deepEqual(rows(`${L} | join kind=leftouter (${R}) on K | sort by Name asc, V asc`), [
      ['a', 1, 'x', 1, 10],
      ['b', 1, 'x', 1, 10],
      ['c', 2, 'y', 2, 20],
      ['c', 2, 'z', 2, 21],
      ['d', 3, '', null, null],
    ]);
  });

  test('leftanti keeps left rows without a match, with the left schema only', () => {
    const t = primary(`${L} | join kind=leftanti (${R}) on K`);
    assert.deepEqual(schemaOf(t), ['Name:string', 'K:long']);
    assert.deepEqual(t.rows, [['d', 3]]);
  });

  test('rightanti keeps right rows without a match, with the right schema only', () => {
    const t = primary(`${L} | join kind=rightanti (${R}) on K`);
    assert.deepEqual(schemaOf(t), ['Name:string', 'K:long', 'V:long']);
    assert.deepEqual(t.rows, [['w', 4, 40]]);
  });

  test('fullouter (the documented example): unmatched cells of either side are empty, keys included', () => {
    const X = "datatable(Key:string, Value1:long)['a', 1, 'b', 2, 'b', 3, 'c', 4]";
    const Y = "datatable(Key:string, Value2:long)['b', 10, 'c', 20, 'c', 30, 'd', 40]";
    assert.deepEqual(rows(`${X} | join kind=fullouter (${Y}) on Key | sort by Key asc, Value1 asc, Value2 asc`), [
      ['', null, 'd', 40],
      ['a', 1, '', null],
      ['b', 2, 'b', 10],
      ['b', 3, 'b', 10],
      ['c', 4, 'c', 20],
      ['c', 4, 'c', 30],
    ]);
  });

  test('$left.A == $right.B joins on differently named columns (no suffixes needed)', () => {
    const t = primary(
      'datatable(A:string, X:long)["a", 1, "b", 2] | join kind=inner (datatable(B:string, Y:long)["b", 20, "c", 30]) on $left.A == $right.B',
    );
    assert.deepEqual(schemaOf(t), ['A:string', 'X:long', 'B:string', 'Y:long']);
    assert.deepEqual(t.rows, [['b', 2, 'b', 20]]);
  });

  test('several keys, mixing a plain name and $left/$right', () => {
    const q = `datatable(A:string, R:string, X:long)["a", "eu", 1, "a", "us", 2]
      | join kind=inner (datatable(B:string, R:string, Y:long)["a", "us", 20, "a", "ap", 30]) on $left.A == $right.B, R`;
    assert.deepEqual(rows(q), [['a', 'us', 2, 'a', 'us', 20]]);
  });
});

describe('make-series', () => {
  const data = `datatable(t:datetime, k:string, v:long)[
    datetime(2025-01-01 05:00), "a", 2, datetime(2025-01-01 07:00), "a", 3, datetime(2025-01-03 01:00), "a", 4, datetime(2025-01-02), "b", 1]`;

  test('from/to/step by a key, with count(), sum() and a default for empty bins', () => {
    const q = `${data} | make-series n = count(), s = sum(v) default = -1 on t from datetime(2025-01-01) to datetime(2025-01-04) step 1d by k | sort by k asc`;
    const t = primary(q);
    assert.deepEqual(schemaOf(t), ['k:string', 'n:dynamic', 's:dynamic', 't:dynamic']);
    const axis = '["2025-01-01T00:00:00Z","2025-01-02T00:00:00Z","2025-01-03T00:00:00Z"]';
    assert.deepEqual(t.rows, [
      // a: day 1 has 2 events (sum 2 + 3 = 5), day 2 none (n takes the default 0, s the given -1), day 3 one (4).
      ['a', '[2,0,1]', '[5,-1,4]', axis],
      ['b', '[0,1,0]', '[-1,1,-1]', axis],
    ]);
  });

  test('without from/to: from the first step-aligned bin with data to the end of the last', () => {
    // Events at 01-01 05:00 and 01-03 01:00 → bins 01-01, 01-02 (empty → 0), 01-03.
    const t = primary(`${data} | where k == "a" and v != 3 | make-series avg(v) on t step 1d`);
    assert.deepEqual(schemaOf(t), ['avg_v:dynamic', 't:dynamic']);
    assert.deepEqual(t.rows, [['[2,0,4]', '["2025-01-01T00:00:00Z","2025-01-02T00:00:00Z","2025-01-03T00:00:00Z"]']]);
  });

  test('in range(start, stop, step) form', () => {
    // A stop between bin starts, so inclusive or exclusive readings of it agree: bins 01-01 and 01-02.
    assert.deepEqual(rows(`${data} | make-series n = count() on t in range(datetime(2025-01-01), datetime(2025-01-02 12:00), 1d)`), [
      ['[2,1]', '["2025-01-01T00:00:00Z","2025-01-02T00:00:00Z"]'],
    ]);
  });
});

describe('mv-expand / mvexpand', () => {
  test('arrays expand to one row per element; an empty array gives no row; null gives one null row', () => {
    const q = 'datatable(a:long, d:dynamic)[1, dynamic([10, 20]), 2, dynamic([]), 3, dynamic(null), 4, dynamic("s")] | mv-expand d';
    assert.deepEqual(rows(q), [
      [1, '10'],
      [1, '20'],
      [3, null],
      [4, 's'],
    ]);
  });

  test('a property bag expands into one single-key bag per property', () => {
    assert.deepEqual(rows('datatable(d:dynamic)[dynamic({"k": 1, "j": [2]})] | mv-expand d'), [['{"k":1}'], ['{"j":[2]}']]);
  });

  test('two columns expand in parallel; the shorter is padded with null', () => {
    assert.deepEqual(rows('datatable(d:dynamic, e:dynamic)[dynamic([1, 2, 3]), dynamic(["x"])] | mv-expand d, e'), [
      ['1', 'x'],
      ['2', null],
      ['3', null],
    ]);
  });

  test('to typeof(long), Name = expression, and limit', () => {
    const t = primary('datatable(d:dynamic)[dynamic([10, 20, 30])] | mv-expand x = d to typeof(long) limit 2');
    assert.deepEqual(schemaOf(t), ['d:dynamic', 'x:long']);
    assert.deepEqual(t.rows, [
      ['[10,20,30]', 10],
      ['[10,20,30]', 20],
    ]);
  });

  test('mv-expand of an expression: todynamic(column) replaces the column', () => {
    const q =
      'datatable(items:string)["[{\\"keyName\\":\\"k1\\"},{\\"x\\":1}]"] | mv-expand todynamic(items) | extend kn = tostring(items.keyName)';
    assert.deepEqual(rows(q), [
      ['{"keyName":"k1"}', 'k1'],
      ['{"x":1}', ''],
    ]);
  });

  test('legacy mvexpand: same expansion, default limit of 128 rows per input row', () => {
    assert.deepEqual(rows('datatable(d:dynamic)[dynamic(["a", "b"])] | mvexpand d'), [['a'], ['b']]);
    assert.deepEqual(rows('range x from 1 to 200 step 1 | summarize d = make_list(x) | mvexpand d | count'), [[128]]);
    assert.deepEqual(rows('range x from 1 to 200 step 1 | summarize d = make_list(x) | mv-expand d | count'), [[200]]);
  });
});

describe('render', () => {
  test('the visualization and its with(...) properties are kept as the API returns them', () => {
    const r = run(
      'datatable(t:datetime, n:long, s:string)[datetime(2025-01-01), 1, "a"] | render timechart with (title="Events", xtitle="Day", ytitle="Count", series=s, ycolumns=n)',
    );
    assert.deepEqual(r.render, {
      visualization: 'timechart',
      title: 'Events',
      xtitle: 'Day',
      ytitle: 'Count',
      series: ['s'],
      ycolumns: ['n'],
    });
    assert.deepEqual(r.tables[0].rows, [['2025-01-01T00:00:00Z', 1, 'a']]);
  });

  test('render without with(...) and without render', () => {
    assert.deepEqual(run('print x = 1 | render barchart').render, { visualization: 'barchart' });
    assert.equal(run('print x = 1').render, undefined);
  });
});

describe('summarize: make_bag, stdev, variance, percentile', () => {
  test('computes them by hand-checked values', () => {
    const r = runQuery(
      `datatable(g:string, x:long, b:dynamic) [
        'a', 2, dynamic({"k":1}), 'a', 4, dynamic({"k":2,"m":3}), 'a', 4, dynamic(null), 'a', 5, dynamic("not a bag"),
        'a', 7, dynamic({"n":4}), 'a', 8, dynamic({}), 'b', long(null), dynamic(null)]
      | summarize bag = make_bag(b), sd = stdev(x), v = variance(x), p50 = percentile(x, 50), p90 = percentile(x, 90) by g`,
      () => undefined,
      { now: 0 },
    );
    // a: x = 2,4,4,5,7,8 → mean 5, squared deviations 9+1+1+0+4+9 = 24, sample variance 24/5 = 4.8.
    // Nearest rank: p50 → ceil(0.5·6) = 3rd value = 4; p90 → ceil(0.9·6) = 6th = 8. make_bag keeps k's first value.
    const a = r.tables[0].rows.find((row) => row[0] === 'a')!;
    assert.deepEqual(JSON.parse(a[1] as string), { k: 1, m: 3, n: 4 });
    assert.equal(a[3], 4.8);
    assert.ok(Math.abs((a[2] as number) - Math.sqrt(4.8)) < 1e-12);
    assert.equal(a[4], 4);
    assert.equal(a[5], 8);
    const b = r.tables[0].rows.find((row) => row[0] === 'b')!;
    assert.deepEqual(b.slice(1), ['{}', null, null, null, null], 'no values: an empty bag, nulls');
  });
});

describe('parse', () => {
  const run1 = (q: string) => runQuery(q, () => undefined, { now: 0 }).tables[0];
  test('simple: literals in order, columns lazy, the last one greedy, typed columns converted', () => {
    const t = run1('print s = "aws-cli/2.15.0 Python/3.11.4 Linux/5.10" | parse s with agent "/" version " " rest');
    assert.deepEqual(t.rows[0].slice(1), ['aws-cli', '2.15.0', 'Python/3.11.4 Linux/5.10']);
    const n = run1('print s = "count=42 user=alice role=admin" | parse s with "count=" n:long " user=" u " " *');
    assert.deepEqual(n.columns.slice(1), [
      { name: 'n', type: 'long' },
      { name: 'u', type: 'string' },
    ]);
    assert.deepEqual(n.rows[0].slice(1), [42, 'alice']);
  });
  test('no match: every extended column empty ("" for strings, null otherwise); anchored at the start', () => {
    assert.deepEqual(run1('print s = "nothing here" | parse s with "count=" n:long " user=" u').rows[0].slice(1), [null, '']);
    assert.deepEqual(run1('print s = "x count=1" | parse s with "count=" n:long').rows[0].slice(1), [null], 'a leading * is needed');
    assert.deepEqual(run1('print s = "x count=1" | parse s with * "count=" n:long').rows[0].slice(1), [1]);
  });
  test('kind=regex: literals are regular expressions, their own groups do not shift the columns', () => {
    assert.deepEqual(run1('print s = "GetObject" | parse kind=regex s with "(Get|Put)" op').rows[0].slice(1), ['Object']);
  });
});

describe('user-defined functions (let f = (…) { … })', () => {
  const run1 = (q: string) => runQuery(q, () => undefined, { now: Date.parse('2026-11-25T00:00:00Z') }).tables[0];
  test('a scalar function is applied per row, with a default for a missing argument', () => {
    const t = run1(
      'let f = (s:string, n:long = 7) { strcat(s, "-", n) }; range i from 1 to 3 step 1 | extend a = f(tostring(i)), b = f("x", i)',
    );
    assert.deepEqual(t.rows, [
      [1, '1-7', 'x-1'],
      [2, '2-7', 'x-2'],
      [3, '3-7', 'x-3'],
    ]);
  });
  test('a tabular function sees its arguments and its own lets, and does not leak them', () => {
    // T(2): m = 4 inside the body → range 1..4; the outer m stays 100.
    const t = run1(
      'let T = (n:long) { let m = n * 2; range i from 1 to m step 1 }; let m = 100; T(2) | summarize c = count(), mx = max(i) | extend m = m',
    );
    assert.deepEqual(t.rows, [[4, 4, 100]]);
    // 3 days back from midnight, daily steps, both ends included: 4 rows.
    assert.deepEqual(run1('let T = (lookback:timespan) { range t from ago(lookback) to now() step 1d }; T(3d) | count').rows, [[4]]);
  });
});
