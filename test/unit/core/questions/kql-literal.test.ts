/**
 * The literal writers: every string that is written decodes back to itself through the official
 * parser, every refused one is refused with the reason, and numbers, instants and durations are
 * checked before they are written.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChatopsError } from '../../../../src/core/errors.ts';
import {
  COMPUTED_COLUMNS,
  column,
  datetimeLiteral,
  displaySafe,
  intLiteral,
  stringLiteral,
  stringProblem,
  TABLE_COLUMNS,
  timespanLiteral,
  truncateCodePoints,
} from '../../../../src/core/questions/kql-literal.ts';
import { analyze, nodeKind, WORKSPACE_SCHEMAS } from '../../../../src/kql/kusto.ts';

/** The value the official parser gives the single literal of `print x = <literal>`. */
function decode(literal: string): unknown {
  const { code, diagnostics } = analyze(`print x = ${literal}`);
  assert.deepEqual(diagnostics, [], `${literal} parses`);
  const values: unknown[] = [];
  const walk = (n: ReturnType<typeof analyze>['code']) => {
    if (!n) return;
    if (nodeKind(n) === 'LiteralExpression') values.push(n.LiteralValue);
    for (let i = 0; i < n.ChildCount; i++) {
      const c = n.GetChild(i);
      if (c && !c.IsToken) walk(c);
    }
  };
  walk(code.Syntax);
  assert.equal(values.length, 1, `one literal in ${literal}`);
  return values[0];
}

const isBadInput = (e: unknown) => e instanceof ChatopsError && e.code === 'bad_input';
const isInternal = (e: unknown) => e instanceof ChatopsError && e.code === 'internal';

describe('stringLiteral', () => {
  const kept = [
    '',
    'alice',
    'it\'s "quoted"',
    'back\\slash\\',
    '\\"',
    'a | take 1',
    '"; .drop table AWSCloudTrail; print "',
    '" or 1==1 or "',
    '/* not a comment */ // nor this',
    'line one\nline two\ttabbed',
    'مرحبا עולם', // right-to-left scripts are ordinary text
    '张三 👩‍👩‍👧 🇨🇳',
    '\u{10ffff}\ufffe\uffff',
    '\u00a0\u200b\u200d\ufeff',
  ];
  for (const s of kept) {
    test(`writes ${JSON.stringify(s)} so that it decodes back to itself`, () => {
      const lit = stringLiteral(s);
      assert.ok(lit.startsWith('"') && lit.endsWith('"'));
      assert.equal(decode(lit), s);
    });
  }

  test('escapes only what Kusto documents: \\\\ \\" \\n \\t', () => {
    assert.equal(stringLiteral('a"b\\c\nd\te\'f'), '"a\\"b\\\\c\\nd\\te\'f"');
    assert.doesNotMatch(stringLiteral('x\ny'), /\n/, 'no raw newline in the query text');
  });

  const refused: [string, string][] = [
    ['NUL', 'a\u0000b'],
    ['CR', 'a\rb'],
    ['ESC', '\u001b[31m'],
    ['DEL', 'a\u007f'],
    ['C1 NEL', 'a\u0085b'],
    ['lone high surrogate', 'a\ud800b'],
    ['lone high surrogate at the end', 'ab\udbff'],
    ['lone low surrogate', '\udc00ab'],
    ['reversed pair', '\ude00\ud83d'],
    ['RLO', 'admin\u202eexe.txt'],
    ['LRI', '\u2066x\u2069'],
    ['ALM', 'a\u061cb'],
    ['RLM', 'a\u200fb'],
    ['line separator', 'a\u2028b'],
    ['paragraph separator', 'a\u2029b'],
  ];
  for (const [name, s] of refused) {
    test(`refuses ${name} with bad_input`, () => {
      assert.notEqual(stringProblem(s), undefined);
      assert.throws(() => stringLiteral(s), isBadInput);
    });
  }

  test('names the problem', () => {
    assert.equal(stringProblem('a\u0000'), 'control_character');
    assert.equal(stringProblem('\ud800'), 'lone_surrogate');
    assert.equal(stringProblem('\u202e'), 'bidi_control');
    assert.equal(stringProblem('\u2028'), 'line_separator');
    assert.equal(stringProblem('😀\n\t'), undefined);
  });
});

describe('display text', () => {
  test('displaySafe replaces what a literal refuses and keeps the rest', () => {
    assert.equal(displaySafe('a\u0000b\u202ec\ud800d😀'), 'a\ufffdb\ufffdc\ufffdd😀');
    assert.equal(stringProblem(displaySafe('\r\n\u2028\udc00')), undefined);
  });

  test('truncateCodePoints never splits a surrogate pair', () => {
    assert.equal(truncateCodePoints('abc', 3), 'abc');
    assert.equal(truncateCodePoints('abcd', 3), 'ab…');
    const cut = truncateCodePoints('😀😀😀😀', 3);
    assert.equal(cut, '😀😀…');
    assert.equal(stringProblem(cut), undefined);
  });
});

describe('datetimeLiteral', () => {
  test('writes UTC instants, with milliseconds only when there are some', () => {
    assert.equal(datetimeLiteral(Date.parse('2026-11-25T09:30:00Z')), 'datetime(2026-11-25T09:30:00Z)');
    assert.equal(datetimeLiteral(Date.parse('2026-11-25T09:30:00.250Z')), 'datetime(2026-11-25T09:30:00.250Z)');
    assert.equal(datetimeLiteral(0), 'datetime(1970-01-01T00:00:00Z)');
    assert.equal(datetimeLiteral(Date.parse('0001-01-01T00:00:00Z')), 'datetime(0001-01-01T00:00:00Z)');
  });

  test('parses as the same instant', () => {
    const { diagnostics } = analyze(`print x = ${datetimeLiteral(Date.parse('2026-02-28T23:59:59.999Z'))}`);
    assert.deepEqual(diagnostics, []);
  });

  for (const bad of [
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1.5,
    Date.parse('0000-12-31T00:00:00Z'),
    Date.parse('+010000-01-01T00:00:00Z'),
  ]) {
    test(`refuses ${bad} as a bug`, () => assert.throws(() => datetimeLiteral(bad), isInternal));
  }
});

describe('timespanLiteral', () => {
  const cases: [number, string][] = [
    [86_400_000, '1d'],
    [30 * 86_400_000, '30d'],
    [3_600_000, '1h'],
    [36 * 3_600_000, '36h'],
    [90 * 60_000, '90m'],
    [1_000, '1s'],
    [1_500, '1500ms'],
    [0, '0s'],
    [-86_400_000, '-1d'],
  ];
  for (const [ms, text] of cases) test(`${ms} ms is ${text}`, () => assert.equal(timespanLiteral(ms), text));

  test('each one parses', () => {
    for (const [ms] of cases) assert.deepEqual(analyze(`print x = ${timespanLiteral(ms)}`).diagnostics, []);
  });

  for (const bad of [Number.NaN, 0.5, 2 ** 60])
    test(`refuses ${bad} as a bug`, () => assert.throws(() => timespanLiteral(bad), isInternal));
});

describe('intLiteral', () => {
  test('writes safe integers in range', () => {
    assert.equal(intLiteral(10), '10');
    assert.equal(intLiteral(-3), '-3');
    assert.equal(intLiteral(50, 1, 50), '50');
  });
  for (const bad of [Number.NaN, 1.5, Number.POSITIVE_INFINITY, 2 ** 53]) {
    test(`refuses ${bad}`, () => assert.throws(() => intLiteral(bad), isInternal));
  }
  test('refuses a number out of the given range', () => {
    assert.throws(() => intLiteral(0, 1, 50), isInternal);
    assert.throws(() => intLiteral(51, 1, 50), isInternal);
  });
});

describe('column', () => {
  test('the table columns it allows are AWSCloudTrail columns', () => {
    const schema = WORKSPACE_SCHEMAS.find((t) => t.name === 'AWSCloudTrail');
    assert.ok(schema);
    const names = new Set(schema.columns.map((c) => c.name));
    for (const c of TABLE_COLUMNS) assert.ok(names.has(c), c);
    for (const c of COMPUTED_COLUMNS) assert.ok(!names.has(c), `${c} is computed, not a table column`);
  });

  test('returns allowed names and refuses anything else', () => {
    assert.equal(column('AWSRegion'), 'AWSRegion');
    assert.equal(column('Identity'), 'Identity');
    // A name that bypasses the type, as a bug would.
    assert.throws(() => column('AWSRegion | take 1' as 'AWSRegion'), isInternal);
    assert.throws(() => column('TenantId' as 'AWSRegion'), isInternal);
  });
});
