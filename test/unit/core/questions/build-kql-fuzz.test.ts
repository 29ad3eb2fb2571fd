/**
 * Fuzz: thousands of hostile filter values (quotes, backslashes, pipes, `; .drop table`,
 * `" or 1==1 or "`, newlines, comment markers, right-to-left text, emoji, lone surrogates, NUL,
 * 10 KB strings) go through buildKql. Each one must give either
 * - a query the official parser accepts, with exactly the syntax tree of the same question asked
 *   with harmless placeholder values (so no operator, statement or comment was added) and
 *   string literals that decode back to exactly the input, and that on a table holding the
 *   values (and near misses) counts exactly the matching rows; or
 * - a refusal (`bad_input`) with the sentence for that case, exactly when the test's own rules
 *   (written here, not imported) say the value cannot be used.
 * Values that are accepted are checked in batches of up to 20 (the limit), one filter at a time.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChatopsError } from '../../../../src/core/errors.ts';
import { buildKql } from '../../../../src/core/questions/build-kql.ts';
import { refusal } from '../../../../src/core/questions/catalog/text.ts';
import { catalog } from '../../../../src/core/questions/catalog.ts';
import type { Filters, Intent, Language, QuestionKind } from '../../../../src/core/questions/intent.ts';
import type { KqlValidator } from '../../../../src/core/questions/kql-validator.ts';
import { runQuery } from '../../../../src/kql/engine.ts';
import { analyze, type KNode, nodeKind, WORKSPACE_SCHEMAS } from '../../../../src/kql/kusto.ts';
import { tableFromRows } from '../../../../src/kql/tables.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-25T09:30:00Z');
const WINDOW = {
  kind: 'rolling' as const,
  start: NOW - 7 * DAY,
  end: NOW,
  bin: DAY,
  binOrigin: NOW,
  label: { en: 'last 7 days', zh: '过去7天' },
};
const TOTAL = 5_000;

type Key = 'identities' | 'eventNames' | 'eventSources' | 'regions' | 'accounts';
const KEYS: readonly Key[] = ['identities', 'eventNames', 'eventSources', 'regions', 'accounts'];

// --- hostile values, deterministic ---

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Pieces that are harmless as text but meaningful as KQL, or tricky as Unicode. */
const TEXT_PIECES = [
  "'",
  '"',
  '\\',
  '\\\\',
  '\\"',
  '\\n',
  '|',
  '; .drop table AWSCloudTrail',
  '" or 1==1 or "',
  "' or 1==1 or '",
  '")',
  '"]',
  '\n',
  '\t',
  '\n| take 1\n//',
  '*/',
  '/*',
  '//',
  '--',
  '{{StartTimeISO}}',
  '$left.',
  '@"',
  "@'",
  'h"',
  '```',
  '"""',
  '(',
  ')',
  '[',
  ']',
  ',',
  ';',
  '| union *',
  'let x = 1;',
  'datatable(a:int)[1]',
  '.set-or-append',
  'مرحبا بالعالم',
  'שלום',
  '😀',
  '👩‍👩‍👧',
  '🇨🇳',
  '张三',
  '\ufeff',
  '\u200b',
  '\u00a0',
  ' ',
  'alice',
  'arn:aws:iam::012345678901:user/',
  's3.amazonaws.com',
  'eu-west-1',
  '%',
  '==',
  '=~',
  '!',
  '<',
  '>',
  'e\u0301',
  'İ',
  'ß',
  '\u{1d54f}',
  '\uffff',
];
/** Pieces no AWS name has: the builder refuses values with them. */
const BAD_PIECES = [
  '\u0000',
  '\r',
  '\r\n',
  '\u0085',
  '\u007f',
  '\u001b',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udc00',
  '\u202e',
  '\u2066',
  '\u200f',
  '\u061c',
];

function hostile(r: () => number, i: number): string {
  if (i % 997 === 0) return ''; // empty
  if (i % 251 === 0) return '"|'.repeat(5_120); // 10 KB
  if (i % 173 === 0) return '😀'.repeat(256); // 256 characters, 512 UTF-16 units: allowed
  if (i % 181 === 0) return 'é'.repeat(257); // one character too many
  if (i % 89 === 0) return String(Math.floor(r() * 1e12)).padStart(12, '0'); // an account ID
  let s = '';
  const n = 1 + Math.floor(r() * 8);
  for (let k = 0; k < n; k++) {
    const x = r();
    if (x < 0.06) s += BAD_PIECES[Math.floor(r() * BAD_PIECES.length)];
    else if (x < 0.16)
      s += String.fromCodePoint(Math.floor(r() * 0xd7ff) + 1); // any BMP character below the surrogates
    else if (x < 0.2)
      s += String.fromCodePoint(0x10000 + Math.floor(r() * 0xfffff)); // any astral one
    else s += TEXT_PIECES[Math.floor(r() * TEXT_PIECES.length)];
  }
  return s;
}

// --- the test's own rules for what must be refused ---

/** C0 except tab and newline, DEL, C1; lone surrogates (a `u` regex sees pairs as one code point); bidi controls; U+2028/9. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rule is about
const UNWRITABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

function expectedRefusal(key: Key, value: string, language: Language): string | 'any_character' | undefined {
  const say = (t: { en: string; zh: string }) => t[language];
  if (value === '') return say(refusal.emptyValue(key));
  const length = [...value].length;
  if (length > 256) return say(refusal.valueTooLong(key, length));
  if (UNWRITABLE.test(value)) return 'any_character';
  if (key === 'accounts' && !/^[0-9]{12}$/.test(value)) return say(refusal.badAccount());
  return undefined;
}

// --- trees ---

interface Shape {
  /** Node kinds and token kinds in tree order. */
  kinds: string[];
  /** Values of the literal expressions in tree order. */
  literals: unknown[];
  operators: string[];
}

function shapeOf(code: KNode): Shape {
  const s: Shape = { kinds: [], literals: [], operators: [] };
  const walk = (node: KNode) => {
    if (!node) return;
    if (node.IsToken) {
      s.kinds.push(`token:${node.Kind}`);
      return;
    }
    const k = nodeKind(node);
    s.kinds.push(k);
    if (k === 'LiteralExpression') s.literals.push(node.LiteralValue);
    if (k.endsWith('Operator')) s.operators.push(k);
    for (let i = 0; i < node.ChildCount; i++) walk(node.GetChild(i));
  };
  walk(code.Syntax);
  return s;
}

/** Validates like src/kql/validator.ts and keeps the tree, so each query is analysed once. */
let lastTree: { kql: string; code: KNode } | undefined;
const keepingValidator: KqlValidator = {
  validate(kql) {
    const { code, diagnostics } = analyze(kql);
    lastTree = { kql, code };
    const errors = diagnostics.filter((d) => d.severity === 'Error').map((d) => `${d.code} ${d.message}`);
    if (nodeKind(code.Syntax) !== 'QueryBlock') errors.push('not a query');
    return errors.length ? { ok: false, errors } : { ok: true };
  },
};

function intent(kind: QuestionKind, key: Key, values: string[], language: Language = 'en'): Intent {
  const filters: Filters = { [key]: values };
  if (kind === 'identity_activity' && key !== 'identities' && key !== 'accounts') filters.accounts = ['012345678901'];
  return { kind, language, window: WINDOW, filters, timeZone: 'UTC' };
}

const placeholder = (i: number) => `placeholder${i}`;
const benignCache = new Map<string, Shape>();
function benignShape(kind: QuestionKind, key: Key, n: number): Shape {
  const id = `${kind}/${key}/${n}`;
  let s = benignCache.get(id);
  if (!s) {
    const values = Array.from({ length: n }, (_, i) => (key === 'accounts' ? String(100_000_000_000 + i) : placeholder(i)));
    s = shapeOf(analyze(buildKql(intent(kind, key, values), keepingValidator).kql).code);
    benignCache.set(id, s);
  }
  return s;
}
const unfilteredCache = new Map<QuestionKind, string[]>();
function unfilteredOperators(kind: QuestionKind): string[] {
  let ops = unfilteredCache.get(kind);
  if (!ops) {
    const filters: Filters = kind === 'identity_activity' ? { accounts: ['012345678901'] } : {};
    ops = shapeOf(
      analyze(buildKql({ kind, language: 'en', window: WINDOW, filters, timeZone: 'UTC' }, keepingValidator).kql).code,
    ).operators;
    unfilteredCache.set(kind, ops);
  }
  return ops;
}

const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());

/** Checks an accepted query against the placeholder one; returns how many literals were checked. */
function checkAccepted(kind: QuestionKind, key: Key, values: string[], kql: string): number {
  assert.ok(lastTree && lastTree.kql === kql, 'the returned query is the validated one');
  const got = shapeOf(lastTree.code);
  const accountsKey = key === 'accounts';
  const benign = benignShape(kind, key, values.length);
  assert.deepEqual(got.kinds, benign.kinds, 'same syntax tree as with placeholder values');
  // One more `where` than the unfiltered question (whose identity_activity has the one filter it needs: an account).
  const expectedOps = count(unfilteredOperators(kind));
  const extra = kind === 'identity_activity' && (key === 'accounts' || key === 'identities') ? 0 : 1;
  expectedOps.set('FilterOperator', (expectedOps.get('FilterOperator') ?? 0) + extra);
  assert.deepEqual(count(got.operators), expectedOps, 'no operator added or lost');
  let checked = 0;
  benign.literals.forEach((lit, i) => {
    const index = accountsKey
      ? typeof lit === 'string' && /^1000000000\d\d$/.test(lit)
        ? Number(lit) - 100_000_000_000
        : -1
      : typeof lit === 'string' && /^placeholder\d+$/.test(lit)
        ? Number(lit.slice('placeholder'.length))
        : -1;
    if (index < 0) return;
    assert.equal(got.literals[i], values[index], 'the literal decodes back to exactly the input');
    checked++;
  });
  const perValue = key === 'identities' ? 4 : 1;
  assert.equal(checked, values.length * perValue);
  return checked;
}

// --- running accepted batches on a table that holds the values ---

const COLUMN_OF: Record<Exclude<Key, 'accounts'>, string> = {
  identities: 'UserIdentityUserName',
  eventNames: 'EventName',
  eventSources: 'EventSource',
  regions: 'AWSRegion',
};
/** Kinds whose only conditions are the filters: their WindowTotal is the number of matching rows. */
const PLAIN: readonly QuestionKind[] = [
  'activity_over_time',
  'activity_by_service',
  'top_event_names',
  'activity_by_region',
  'activity_by_identity',
  'activity_by_account',
  'new_regions',
  'new_services',
];
const CLOUDTRAIL = WORKSPACE_SCHEMAS.find((s) => s.name === 'AWSCloudTrail')!.columns;

function runOnValues(key: Exclude<Key, 'accounts'>, values: string[], kql: string, timespanMs: number): void {
  const stored = new Set<string>();
  for (const v of values) for (const near of [v, `${v}"`, `\\${v}`, v.slice(0, -1), `${v} `, `${v}\n`]) stored.add(near);
  const rows = [...stored].map((v, i) => ({ TimeGenerated: NOW - DAY - i * 1000, [COLUMN_OF[key]]: v }));
  const table = tableFromRows(CLOUDTRAIL, rows);
  const result = runQuery(kql, (n) => (n === 'AWSCloudTrail' ? table : undefined), { now: NOW, timespanMs });
  const t = result.tables[0];
  const total = t.rows[0][t.columns.findIndex((c) => c.name === 'WindowTotal')];
  const wanted = new Set(values.map((v) => v.toLowerCase())); // in~ compares case-insensitively
  const expected = [...stored].filter((v) => wanted.has(v.toLowerCase())).length;
  assert.equal(total, expected, 'the filter matches exactly the rows holding the values');
}

// --- the run ---

describe(`${TOTAL} hostile filter values`, () => {
  const r = rng(20261125);
  const values = Array.from({ length: TOTAL }, (_, i) => hostile(r, i + 1));
  const kinds = catalog.map((e) => e.kind);
  const stats = { accepted: 0, refused: 0, literals: 0, queries: 0, executed: 0 };

  test('each value is refused exactly when the rules say so, with the sentence for it', () => {
    const accepted = new Map<Key, string[]>(KEYS.map((k) => [k, []]));
    values.forEach((v, i) => {
      const key = KEYS[i % KEYS.length];
      const language: Language = i % 3 === 0 ? 'zh' : 'en';
      const expected = expectedRefusal(key, v, language);
      if (expected === undefined) {
        accepted.get(key)!.push(v);
        return;
      }
      const kind = kinds[i % kinds.length];
      assert.throws(
        () => buildKql(intent(kind, key, [v], language), keepingValidator),
        (e: unknown) => {
          assert.ok(e instanceof ChatopsError, String(e));
          assert.equal(e.code, 'bad_input');
          if (expected === 'any_character') assert.match(e.message, language === 'zh' ? /字符/ : /contains .* which no AWS name contains/);
          else assert.equal(e.message, expected);
          return true;
        },
        `refused: ${JSON.stringify(v).slice(0, 80)}`,
      );
      stats.refused++;
    });
    // Accepted values, in batches of up to 20 per question, one filter at a time.
    let q = 0;
    for (const [key, list] of accepted) {
      for (let at = 0; at < list.length; at += 20) {
        const batch = list.slice(at, at + 20);
        const kind = kinds[q++ % kinds.length];
        const built = buildKql(intent(kind, key, batch, q % 2 ? 'zh' : 'en'), keepingValidator);
        stats.literals += checkAccepted(kind, key, batch, built.kql);
        stats.queries++;
        stats.accepted += batch.length;
        if (key !== 'accounts' && PLAIN.includes(kind)) {
          runOnValues(key, batch, built.kql, built.timespanMs);
          stats.executed++;
        }
      }
    }
    assert.equal(stats.accepted + stats.refused, TOTAL);
    assert.ok(stats.accepted > 1_500, `enough accepted values (${stats.accepted})`);
    assert.ok(stats.refused > 1_000, `enough refused values (${stats.refused})`);
  });

  test('accepted values also one at a time, across every kind', () => {
    let n = 0;
    values.forEach((v, i) => {
      if (i % 23 !== 0) return;
      const key = KEYS[(i >> 1) % KEYS.length];
      if (expectedRefusal(key, v, 'en') !== undefined) return;
      const kind = kinds[n++ % kinds.length];
      const built = buildKql(intent(kind, key, [v]), keepingValidator);
      checkAccepted(kind, key, [v], built.kql);
    });
    assert.ok(n >= 60, `${n} single-value questions`);
  });

  test('more than 20 values is refused however harmless they are', () => {
    for (const key of KEYS) {
      const many = Array.from({ length: 21 + (key.length % 5) }, (_, i) => (key === 'accounts' ? String(100_000_000_000 + i) : `v${i}`));
      assert.throws(() => buildKql(intent('activity_over_time', key, many), keepingValidator), {
        code: 'bad_input',
        message: refusal.tooManyValues(key, many.length).en,
      });
    }
  });

  test('summary', (t) => {
    t.diagnostic(JSON.stringify(stats));
    assert.ok(stats.queries > 50 && stats.executed > 10);
  });
});
