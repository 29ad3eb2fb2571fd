/**
 * The only way values reach KQL text that the bot builds. User words become string literals,
 * never code; numbers, instants and durations are validated before they are written; column
 * names come from a fixed allow-list.
 *
 * String literals use the escapes that Kusto documents for double-quoted strings (`\\`, `\"`,
 * `\t`, `\n`; https://learn.microsoft.com/azure/kusto/query/scalar-data-types/string), nothing
 * that only one implementation of the parser understands. Characters that no such escape covers
 * and that no CloudTrail name contains are refused rather than guessed at: other control
 * characters (NUL, CR, DEL, C1), lone UTF-16 surrogates (they cannot be sent as UTF-8 and would
 * turn into U+FFFD on the way), bidirectional formatting controls (they make a query read
 * differently from what it does, "Trojan Source") and the Unicode line and paragraph separators.
 */
import { ChatopsError } from '../errors.ts';

/** Why a string cannot be written as a literal. */
export type StringProblem = 'control_character' | 'lone_surrogate' | 'bidi_control' | 'line_separator';

/** The first problem of `s` as a KQL string literal, or undefined when it can be written. */
export function stringProblem(s: string): StringProblem | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return 'lone_surrogate';
    }
    if (c >= 0xdc00 && c <= 0xdfff) return 'lone_surrogate';
    if (c === 0x09 || c === 0x0a) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return 'control_character';
    if (c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return 'bidi_control';
    if (c === 0x2028 || c === 0x2029) return 'line_separator';
  }
  return undefined;
}

/** A double-quoted KQL string literal whose value is exactly `s`. Throws `bad_input` for a string `stringProblem` refuses. */
export function stringLiteral(s: string): string {
  if (typeof s !== 'string') throw new ChatopsError('internal', `stringLiteral: not a string (${typeof s})`);
  const problem = stringProblem(s);
  if (problem !== undefined) {
    throw new ChatopsError('bad_input', `a value contains a character that cannot be used in a query (${problem.replace('_', ' ')})`);
  }
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        out += ch;
    }
  }
  return `${out}"`;
}

/** `s` with every character `stringProblem` refuses replaced by U+FFFD: for display text (titles), which never refuses. */
export function displaySafe(s: string): string {
  let out = '';
  for (const ch of s) out += stringProblem(ch) === undefined ? ch : '\ufffd';
  return out;
}

/** At most `max` code points of `s` (never half a surrogate pair), with "…" when cut. */
export function truncateCodePoints(s: string, max: number): string {
  const points = [...s];
  return points.length <= max ? s : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Kusto's datetime range: 0001-01-01 to 9999-12-31. */
const MIN_DATETIME = Date.parse('0001-01-01T00:00:00Z');
const MAX_DATETIME = Date.parse('9999-12-31T23:59:59.999Z');

/** `datetime(2026-11-25T09:30:00Z)`; milliseconds only when there are some. */
export function datetimeLiteral(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < MIN_DATETIME || ms > MAX_DATETIME) {
    throw new ChatopsError('internal', `datetimeLiteral: not an instant in Kusto's range: ${String(ms)}`);
  }
  const iso = new Date(ms).toISOString();
  return `datetime(${iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso})`;
}

const TIMESPAN_UNITS: readonly [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** The longest exact unit: `1d`, `6h`, `90m`, `1500ms`. Whole milliseconds only. */
export function timespanLiteral(ms: number): string {
  if (!Number.isSafeInteger(ms)) throw new ChatopsError('internal', `timespanLiteral: not a whole number of milliseconds: ${String(ms)}`);
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  for (const [unit, size] of TIMESPAN_UNITS) if (abs % size === 0) return `${sign}${abs / size}${unit}`;
  throw new ChatopsError('internal', 'timespanLiteral: unreachable');
}

/** A decimal integer literal, checked to be a safe integer within [min, max]. */
export function intLiteral(n: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): string {
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ChatopsError('internal', `intLiteral: ${String(n)} is not an integer in [${min}, ${max}]`);
  }
  return String(n);
}

/**
 * AWSCloudTrail columns the builder may name, and the names of the columns it computes. Nothing
 * else is ever written as an identifier (test/unit/core/questions/kql-literal.test.ts checks
 * the table's columns against the schema).
 */
export const TABLE_COLUMNS = [
  'TimeGenerated',
  'EventSource',
  'EventName',
  'EventTypeName',
  'AWSRegion',
  'RecipientAccountId',
  'SourceIpAddress',
  'ErrorCode',
  'UserIdentityType',
  'UserIdentityUserName',
  'UserIdentityArn',
  'UserIdentityInvokedBy',
  'SessionIssuerUserName',
  'AdditionalEventData',
  'ResponseElements',
] as const;
export const COMPUTED_COLUMNS = [
  'Identity',
  'Legend',
  'Count',
  'Value',
  'Time',
  'WindowTotal',
  'PreviousTotal',
  'Failed',
  'FirstSeen',
  'LastSeen',
] as const;
export type TableColumn = (typeof TABLE_COLUMNS)[number];
export type ComputedColumn = (typeof COMPUTED_COLUMNS)[number];
export type ColumnName = TableColumn | ComputedColumn;

const ALLOWED = new Set<string>([...TABLE_COLUMNS, ...COMPUTED_COLUMNS]);

/** A column name from the allow-list, as an identifier. */
export function column(name: ColumnName): string {
  if (!ALLOWED.has(name)) throw new ChatopsError('internal', `column: ${JSON.stringify(name)} is not an allowed column name`);
  return name;
}
