/**
 * A result table as CSV (RFC 4180): a header line of column names, one line per row,
 * CRLF line ends; a field is quoted when it holds a comma, a double quote, CR or LF, and
 * quotes inside are doubled. Values are the wire values: datetimes stay ISO 8601 UTC,
 * numbers as JSON writes them, null is an empty field, `dynamic` values their JSON text.
 *
 * Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR)
 * is prefixed with a single quote, as OWASP advises for CSV exports: CloudTrail fields
 * such as user agents and request parameters are attacker-controlled. Numbers are never
 * changed, so -5 stays -5. `{ guardFormulas: false }` writes text as it is.
 */
import type { ResultTable, WireValue } from '../result-table.ts';

export interface CsvOptions {
  /** Prefix text cells that start like a formula with `'` (default true). */
  guardFormulas?: boolean;
}

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: WireValue | undefined, guardFormulas = true): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && guardFormulas && FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The whole table as RFC 4180 CSV (ends with CRLF after the last record). */
export function tableCsv(table: ResultTable, opts: CsvOptions = {}): string {
  const guard = opts.guardFormulas ?? true;
  const lines = [table.columns.map((c) => csvField(c.name, guard)).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((_, i) => csvField(row[i], guard)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
