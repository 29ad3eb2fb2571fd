/**
 * Scalar expressions and functions of the subset, one `print` at a time, with
 * the values worked out by hand. Values are compared in the wire format:
 * datetimes as ISO strings, dynamic as JSON text, timespans as [d.]hh:mm:ss.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertUnsupported, primary, printed, rows, scalar, schemaOf } from './helpers.ts';

describe('dynamic values: parse_json, todynamic, dynamic(), member and index access', () => {
  const doc = 'parse_json(\'{"a":{"b":[1,2,3]},"s":"x","t":true}\')';

  test('properties, indexes (negative from the end), brackets, and misses as null', () => {
    const p = printed(
      `d = ${doc} | extend head = d.a.b[0], tail = d.a.b[-1], third_from_end = d["a"]["b"][-3], beyond = d.a.b[5], s = d.s, t = d.t, nope = d.nope, nope_s = tostring(d.nope)`,
    );
    assert.deepEqual(p, {
      d: '{"a":{"b":[1,2,3]},"s":"x","t":true}',
      head: '1',
      tail: '3',
      third_from_end: '1',
      beyond: null,
      s: 'x',
      t: 'true',
      nope: null,
      nope_s: '',
    });
  });

  test('todynamic is parse_json; text that is not JSON stays a string; dynamic() literals', () => {
    assert.deepEqual(
      printed(
        'a = todynamic(\'[1, "two"]\')[1], b = parse_json("not json"), c = dynamic({"k": [true, null]}), d = dynamic([]), e = dynamic(null), f = parse_json(\' {"k": 1} \').k',
      ),
      { a: 'two', b: 'not json', c: '{"k":[true,null]}', d: '[]', e: null, f: '1' },
    );
  });

  test('tostring of dynamic: strings bare, objects and arrays as compact JSON', () => {
    assert.deepEqual(printed(`a = tostring(${doc}.s), b = tostring(${doc}.a), c = tostring(${doc}.a.b[1])`), {
      a: 'x',
      b: '{"b":[1,2,3]}',
      c: '2',
    });
  });

  test('array_length: elements of an array, null for anything else', () => {
    assert.deepEqual(
      printed(`a = array_length(${doc}.a.b), b = array_length(dynamic([])), c = array_length(${doc}.s), d = array_length(dynamic(null))`),
      {
        a: 3,
        b: 0,
        c: null,
        d: null,
      },
    );
  });

  test('pack and bag_pack build property bags; datetimes go in as ISO text', () => {
    assert.deepEqual(printed('a = pack("k", 1, "s", "x"), b = bag_pack("t", datetime(2025-01-02 03:04:05), "n", long(null))'), {
      a: '{"k":1,"s":"x"}',
      b: '{"t":"2025-01-02T03:04:05Z","n":null}',
    });
  });

  test('a dynamic compared with a value compares the value; an array or bag with a string compares its JSON text', () => {
    assert.deepEqual(
      printed(
        'a = dynamic(["all"]) == \'["all"]\', b = dynamic(["all"]) == \'["other"]\', c = dynamic(1) == 1, d = dynamic("x") == "x", e = parse_json(\'{"e":false}\').e == false, f = dynamic(["all"]) != \'["all"]\'',
      ),
      { a: true, b: false, c: true, d: true, e: true, f: false },
    );
  });
});

describe('conversions and case', () => {
  test('tostring of each type', () => {
    assert.deepEqual(
      printed(
        'a = tostring(12), b = tostring(1.5), c = tostring(true), d = tostring(datetime(2025-01-02 03:04:05)), e = tostring(1d), f = tostring(long(null))',
      ),
      {
        a: '12',
        b: '1.5',
        c: 'true',
        d: '2025-01-02T03:04:05Z',
        e: '1.00:00:00',
        f: '',
      },
    );
  });

  test('toint and tolong: from strings, reals (truncated), dynamic; failures are null', () => {
    const p = printed(
      'a = toint("12"), b = toint(12.9), c = toint(-12.9), d = tolong("123456789012"), e = toint("abc"), f = tolong(dynamic(5)), g = toint(parse_json(\'{"n":"7"}\').n), h = tolong(""), i = tolong(true)',
    );
    assert.deepEqual(p, { a: 12, b: 12, c: -12, d: 123456789012, e: null, f: 5, g: 7, h: null, i: 1 });
    assert.deepEqual(schemaOf(primary('print toint("1"), tolong("1")')), ['print_0:int', 'print_1:long']);
  });

  test('tolower and toupper', () => {
    assert.deepEqual(printed('a = tolower("AbC-É"), b = toupper("aBc")'), { a: 'abc-é', b: 'ABC' });
  });
});

describe('conditionals and null tests', () => {
  test('iff / iif: a null condition takes the else branch', () => {
    assert.deepEqual(printed('a = iff(1 < 2, "y", "n"), b = iif(1 > 2, "y", "n"), c = iff(bool(null), 1, 2)'), { a: 'y', b: 'n', c: 2 });
  });

  test('case: the first true condition wins, else the last argument', () => {
    assert.deepEqual(printed('a = case(false, "x", 2 > 1, "y", true, "z", "else"), b = case(false, "x", bool(null), "y", "z")'), {
      a: 'y',
      b: 'z',
    });
  });

  test('isnull on a string is always false; isempty is true for "" and null', () => {
    const p = printed(
      'a = isnull(""), b = isnotnull(""), c = isempty(""), d = isnotempty(" "), e = isnull(long(null)), f = isempty(long(null)), g = isnull(dynamic(null)), h = isempty(dynamic([])), i = isnotnull(0)',
    );
    // isempty(dynamic([])) is false: an empty array is neither "" nor null (Kusto documents parse_json("[]") → false).
    assert.deepEqual(p, { a: false, b: true, c: true, d: true, e: true, f: true, g: true, h: false, i: true });
  });

  test('comparisons with null, as Kusto documents them: null == x is false, null != x is true, null vs null is null', () => {
    // The documentation's own example (Null values → equality and inequality).
    const q = `datatable(val:int)[5, int(null)]
      | extend IsBiggerThan3 = val > 3
      | extend IsBiggerThan3OrNull = val > 3 or isnull(val)
      | extend IsEqualToNull = val == int(null)
      | extend IsNotEqualToNull = val != int(null)`;
    assert.deepEqual(rows(q), [
      [5, true, true, false, true],
      [null, null, true, null, null],
    ]);
    // So `where a != 3` keeps the null row, and `where a == 3` does not.
    assert.deepEqual(rows('datatable(a:long)[1, long(null), 3] | where a != 3'), [[1], [null]]);
    assert.deepEqual(rows('datatable(a:long)[1, long(null), 3] | where a == 3'), [[3]]);
  });

  test('and / or / not with nulls: three-valued logic', () => {
    const p = printed(
      'a = bool(null) and true, b = bool(null) and false, c = bool(null) or true, d = bool(null) or false, e = not(bool(null) and true), f = not(bool(null) and false)',
    );
    assert.deepEqual(p, { a: null, b: false, c: true, d: null, e: null, f: true });
  });

  test('the seed query pattern: iff(isnull(Count), 0, Count) over a union hole', () => {
    const q =
      'datatable(k:long)[1, 2] | join kind=leftouter (datatable(k:long, Count:long)[1, 7]) on k | project v = iff(isnull(Count), 0, Count)';
    assert.deepEqual(rows(q), [[7], [0]]);
  });
});

describe('time: now, ago, startofday, bin, literals, between', () => {
  test('now() and ago() use the query now (2025-03-10 12:00)', () => {
    assert.deepEqual(printed('n = now(), a = ago(1d), b = ago(90m), c = now(-2h)'), {
      n: '2025-03-10T12:00:00Z',
      a: '2025-03-09T12:00:00Z',
      b: '2025-03-10T10:30:00Z',
      c: '2025-03-10T10:00:00Z',
    });
  });

  test('startofday, with an offset in days', () => {
    assert.deepEqual(printed('a = startofday(datetime(2025-03-09 13:45)), b = startofday(datetime(2025-03-09 13:45), -1)'), {
      a: '2025-03-09T00:00:00Z',
      b: '2025-03-08T00:00:00Z',
    });
  });

  test('bin on datetimes, timespans, longs and reals; bin_at aligns to its third argument', () => {
    const p = printed(
      'a = bin(datetime(2025-03-09 13:45), 1h), b = bin(95m, 1h), c = bin(17, 5), d = bin(2.75, 0.5), e = bin_at(datetime(2025-03-09 13:45), 1d, datetime(2025-03-10 12:00)), f = bin_at(datetime(2025-03-09 11:59:59), 1d, datetime(2025-03-10 12:00))',
    );
    // e: 13:45 on the 9th is 1h45m after the 12:00 boundary → 03-09 12:00; f: one second before it → the bin before.
    assert.deepEqual(p, {
      a: '2025-03-09T13:00:00Z',
      b: '01:00:00',
      c: 15,
      d: 2.5,
      e: '2025-03-09T12:00:00Z',
      f: '2025-03-08T12:00:00Z',
    });
  });

  test('datetime() literals in several forms, fractions kept', () => {
    assert.deepEqual(
      printed('a = datetime(2025-03-09), b = datetime(2025-03-09 13:45:10), c = datetime(2025-03-09T13:45:10.25Z), d = datetime(null)'),
      {
        a: '2025-03-09T00:00:00Z',
        b: '2025-03-09T13:45:10Z',
        c: '2025-03-09T13:45:10.25Z',
        d: null,
      },
    );
  });

  test('timespan literals and arithmetic', () => {
    const p = printed(
      'a = 1d + 2h + 3m + 4s, b = 36h, c = -90m, d = 1.5s, e = 100ms, f = time(1.02:03:04), g = datetime(2025-03-10) - datetime(2025-03-08 12:00), h = datetime(2025-03-09) + 1d, i = 1d / 1h, j = 3h * 2',
    );
    assert.deepEqual(p, {
      a: '1.02:03:04',
      b: '1.12:00:00',
      c: '-01:30:00',
      d: '00:00:01.5000000',
      e: '00:00:00.1000000',
      f: '1.02:03:04',
      g: '1.12:00:00',
      h: '2025-03-10T00:00:00Z',
      i: 24,
      j: '06:00:00',
    });
  });

  test('between is inclusive at both ends; (start .. timespan) means [start, start + span]; !between', () => {
    const p = printed(
      'a = 5 between (1 .. 5), b = 6 between (1 .. 5), c = 6 !between (1 .. 5), d = datetime(2025-03-10 00:00:00) between (datetime(2025-03-09) .. 1d), e = datetime(2025-03-10 00:00:01) between (datetime(2025-03-09) .. 1d), f = 90m between (1h .. 2h), g = long(null) between (1 .. 5)',
    );
    assert.deepEqual(p, { a: true, b: false, c: true, d: true, e: false, f: true, g: null });
  });
});

describe('string predicates', () => {
  test('has: whole terms (maximal runs of letters and digits), case-insensitive', () => {
    const p = printed(
      'a = "North America" has "america", b = "North America" has "amer", c = "AWS_ConsoleLogin" has "ConsoleLogin", d = "a.b-c" has "b", e = "KustoExplorerQueryRun" has "Explorer", f = "abc" !has "b", g = "ConsoleLogin" has_cs "consolelogin", h = "ConsoleLogin" has_cs "ConsoleLogin", i = "ConsoleLogin" !has_cs "consolelogin"',
    );
    assert.deepEqual(p, { a: true, b: false, c: true, d: true, e: false, f: true, g: false, h: true, i: true });
  });

  test('contains, startswith, endswith and their ! and _cs forms', () => {
    const p = printed(
      'a = "FabriKam" contains "BRik", b = "FabriKam" contains_cs "Kam", c = "Fabrikam" contains_cs "Kam", d = "Fabrikam" !contains "xyz", e = "Fabrikam" !contains_cs "kam", f = "Fabrikam" startswith "fab", g = "Fabrikam" startswith_cs "fab", h = "Fabrikam" !startswith "kam", i = "Fabrikam" !startswith_cs "fab", j = "Fabrikam" endswith "KAM", k = "Fabrikam" endswith_cs "KAM", l = "Fabrikam" !endswith "brik", m = "Fabrikam" !endswith_cs "KAM"',
    );
    assert.deepEqual(p, {
      a: true,
      b: true,
      c: false,
      d: true,
      e: false,
      f: true,
      g: false,
      h: true,
      i: true,
      j: true,
      k: false,
      l: true,
      m: true,
    });
  });

  test('matches regex (unanchored RE2, (?i) allowed)', () => {
    assert.deepEqual(
      printed(
        'a = "abc123" matches regex "[a-z]+[0-9]+", b = "abc" matches regex "^b", c = "ABC" matches regex "(?i)^abc$", d = "x.y" matches regex @"x\\.y"',
      ),
      {
        a: true,
        b: false,
        c: true,
        d: true,
      },
    );
  });

  test('=~ and !~ compare ignoring case; == and != do not', () => {
    assert.deepEqual(printed('a = "Abc" =~ "aBC", b = "Abc" !~ "abc", c = "Abc" == "abc", d = "Abc" != "abc", e = "" =~ ""'), {
      a: true,
      b: false,
      c: false,
      d: true,
      e: true,
    });
  });

  test('in, in~, !in, !in~ over literals, dynamic arrays and a let-bound list', () => {
    const p = printed(
      'a = "x" in ("a", "x"), b = "X" in ("a", "x"), c = "X" in~ ("a", "x"), d = "X" !in ("a", "x"), e = "X" !in~ ("a", "x"), f = "AB" in~ (dynamic(["ab", "cd"])), g = 3 in (1, 2, 3), h = long(null) in (1, 2), i = long(null) !in (1, 2)',
    );
    // A null is in no list (null == value is false), so it is !in every list.
    assert.deepEqual(p, { a: true, b: false, c: true, d: true, e: false, f: true, g: true, h: false, i: true });
    assert.deepEqual(
      rows('let L = dynamic(["UpdateTrail", "StopLogging"]); datatable(e:string)["stoplogging", "DeleteTrail"] | where e in~ (L)'),
      [['stoplogging']],
    );
  });

  test('in over a subquery', () => {
    assert.deepEqual(rows('datatable(e:string)["a", "b", "c"] | where e in ((datatable(x:string)["c", "a"]))'), [['a'], ['c']]);
  });
});

describe('string functions', () => {
  test('strcat converts each argument; null numbers add nothing', () => {
    assert.deepEqual(printed('a = strcat("a", 1, "-", true), b = strcat("x", long(null), "y"), c = strcat(datetime(2025-01-01), "|")'), {
      a: 'a1-true',
      b: 'xy',
      c: '2025-01-01T00:00:00Z|',
    });
  });

  test('split: an array of parts; with an index, an array of the one part', () => {
    assert.deepEqual(
      printed(
        'a = split("a,b,,c", ","), b = split("a,b,c", ",", 1), c = split("arn:aws:iam::1:user/x/alice", "/")[-1], d = split("alice@example.com", "@")[1]',
      ),
      {
        a: '["a","b","","c"]',
        b: '["b"]',
        c: 'alice',
        d: 'example.com',
      },
    );
  });

  test('substring: from a start, with a length, past the end', () => {
    assert.deepEqual(
      printed('a = substring("abcdef", 2), b = substring("abcdef", 1, 3), c = substring("abc", 5), d = substring("abcdef", 4, 10)'),
      {
        a: 'cdef',
        b: 'bcd',
        c: '',
        d: 'ef',
      },
    );
  });

  test('indexof: first occurrence, from a start, -1 when absent', () => {
    assert.deepEqual(
      printed('a = indexof("abcabc", "c"), b = indexof("abcabc", "c", 3), c = indexof("abc", "z"), d = indexof("AROAEXAMPLE:alice", ":")'),
      {
        a: 2,
        b: 5,
        c: -1,
        d: 11,
      },
    );
  });

  test('indexof_regex(source, regex[, start, length, occurrence]) as documented', () => {
    const p = printed(
      'a = indexof_regex("abcabc", @"a.c"), b = indexof_regex("abcabcdefg", @"a.c", 0, 9, 2), c = indexof_regex("abcabc", @"a.c", 1, -1, 2), d = indexof_regex("ababaa", @"a.a", 0, -1, 2), e = indexof_regex("abcabc", @"a|ab", -1), f = indexof_regex("AROAEXAMPLE:alice", ":")',
    );
    // Documented examples: 0, 3, -1 (one match after position 1), -1 (matches do not overlap), null (negative start).
    assert.deepEqual(p, { a: 0, b: 3, c: -1, d: -1, e: null, f: 11 });
  });

  test('extract: a capture group, "" when nothing matches, converted with typeof()', () => {
    const p = printed(
      'a = extract("user/([a-z]+)", 1, "arn:aws:iam::1:user/alice"), b = extract("x([0-9]+)", 1, "abc"), c = extract("[0-9]+", 0, "ab12cd34"), d = extract("([0-9]+)", 1, "ab12", typeof(long)), e = extract("([0-9]+)", 1, "ab", typeof(long)), f = extract("(?i)USER/([a-z]+)", 1, "user/bob")',
    );
    assert.deepEqual(p, { a: 'alice', b: '', c: '12', d: 12, e: null, f: 'bob' });
  });

  test('array_sort_asc sorts values with nulls last', () => {
    assert.deepEqual(printed('a = array_sort_asc(dynamic([10, 9, null, 1])), b = array_sort_asc(dynamic(["b", "a"]))'), {
      a: '[1,9,10,null]',
      b: '["a","b"]',
    });
  });
});

describe('arithmetic', () => {
  test('long division truncates toward zero; real division does not; modulo keeps the sign of the dividend', () => {
    const p = printed('a = 7 / 2, b = -7 / 2, c = 7.0 / 2, d = tolong(7) / tolong(2), e = 7 % 3, f = -7 % 3');
    assert.deepEqual(p, { a: 3, b: -3, c: 3.5, d: 3, e: 1, f: -1 });
  });

  test('the types the analyser gives are the wire types', () => {
    assert.deepEqual(schemaOf(primary('print a = 7 / 2, b = 7.0 / 2, c = now() - ago(1h), d = 1 == 1')), [
      'a:long',
      'b:real',
      'c:timespan',
      'd:bool',
    ]);
    assert.equal(scalar('print 1h / 30m'), 2);
  });
});

describe('outside the subset', () => {
  test('unknown functions fail clearly instead of guessing', () => {
    assertUnsupported('print format_datetime(now(), "yyyy")', 'function format_datetime()');
    assertUnsupported('print strcat_array(dynamic(["a"]), ",")', 'function strcat_array()');
    assertUnsupported('print extract_all("([a-z])([0-9])", dynamic([1]), "a1b2")', 'extract_all() with capture group numbers');
  });
});
