/**
 * Shared helpers for the KQL engine tests: a fixed `now`, tiny AWSCloudTrail
 * tables built from row objects, and shortcuts that run a query and return
 * its primary table in the Log Analytics wire shape.
 */
import assert from 'node:assert/strict';
import { ChatopsError } from '../../../src/core/errors.ts';
import type { QueryResult, ResultTable, WireValue } from '../../../src/core/result-table.ts';
import type { Table, Value } from '../../../src/kql/columns.ts';
import { type QueryOptions, runQuery } from '../../../src/kql/engine.ts';
import { WORKSPACE_SCHEMAS } from '../../../src/kql/kusto.ts';
import { tableFromRows } from '../../../src/kql/tables.ts';

/** now() in every test: Monday 2025-03-10 12:00 UTC (the seed query's bins are aligned to it). */
export const NOW = Date.parse('2025-03-10T12:00:00Z');
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const CLOUDTRAIL_COLUMNS = WORKSPACE_SCHEMAS.find((s) => s.name === 'AWSCloudTrail')!.columns;

/** A CloudTrail row: any AWSCloudTrail column; datetimes may be ISO strings. */
export type TrailRow = Record<string, Value | undefined>;

/** An AWSCloudTrail table from row objects; absent strings are "", absent others null. */
export function cloudTrail(rows: readonly TrailRow[]): Table {
  const datetimes = CLOUDTRAIL_COLUMNS.filter((c) => c.type === 'datetime').map((c) => c.name);
  return tableFromRows(
    CLOUDTRAIL_COLUMNS,
    rows.map((row) => {
      const out: Record<string, Value> = {};
      for (const [k, v] of Object.entries(row)) {
        if (v === undefined) continue;
        out[k] = datetimes.includes(k) && typeof v === 'string' ? Date.parse(v) : v;
      }
      return out;
    }),
  );
}

export interface RunOptions extends QueryOptions {
  /** AWSCloudTrail rows (default: none, an empty table). */
  trail?: readonly TrailRow[] | Table;
}

export function run(query: string, options: RunOptions = {}): QueryResult {
  const { trail, ...rest } = options;
  const table = trail === undefined ? cloudTrail([]) : Array.isArray(trail) ? cloudTrail(trail as TrailRow[]) : (trail as Table);
  return runQuery(query, (name) => (name === 'AWSCloudTrail' ? table : undefined), { now: NOW, ...rest });
}

/** The primary result table. */
export function primary(query: string, options?: RunOptions): ResultTable {
  return run(query, options).tables[0];
}

/** Rows of the primary result, as the wire returns them. */
export function rows(query: string, options?: RunOptions): WireValue[][] {
  return primary(query, options).rows;
}

/** The single value of a one-row, one-column result (e.g. `print x = ...`). */
export function scalar(query: string, options?: RunOptions): WireValue {
  const t = primary(query, options);
  assert.equal(t.rows.length, 1, `expected one row, got ${t.rows.length}`);
  assert.equal(t.columns.length, 1, `expected one column, got ${t.columns.map((c) => c.name).join(', ')}`);
  return t.rows[0][0];
}

/** The first row of a `print a = ..., b = ...` query as an object keyed by column name. */
export function printed(query: string, options?: RunOptions): Record<string, WireValue> {
  const t = primary(query.startsWith('print') ? query : `print ${query}`, options);
  assert.equal(t.rows.length, 1);
  return Object.fromEntries(t.columns.map((c, i) => [c.name, t.rows[0][i]]));
}

/** "name:type" of each result column. */
export function schemaOf(t: ResultTable): string[] {
  return t.columns.map((c) => `${c.name}:${c.type}`);
}

/** Rows as objects keyed by column name, keeping only `keep` when given. */
export function records(t: ResultTable, keep?: readonly string[]): Record<string, WireValue>[] {
  return t.rows.map((r) => {
    const o: Record<string, WireValue> = {};
    t.columns.forEach((c, i) => {
      if (!keep || keep.includes(c.name)) o[c.name] = r[i];
    });
    return o;
  });
}

/** Asserts that running `query` throws the clear "not supported" error naming `what`. */
export function assertUnsupported(query: string, what: string, options?: RunOptions): void {
  assert.throws(
    () => run(query, options),
    (e: unknown) => {
      assert.ok(e instanceof ChatopsError, `expected a ChatopsError, got ${String(e)}`);
      assert.equal(e.code, 'unsupported_query');
      assert.equal(e.message, `not supported by the local workspace: ${what}`);
      return true;
    },
  );
}

/** Asserts that running `query` throws a ChatopsError with `code` whose message matches `pattern`. */
export function assertQueryError(query: string, code: string, pattern: RegExp, options?: RunOptions): void {
  assert.throws(
    () => run(query, options),
    (e: unknown) => {
      assert.ok(e instanceof ChatopsError, `expected a ChatopsError, got ${String(e)}`);
      assert.equal(e.code, code);
      assert.match(e.message, pattern);
      return true;
    },
  );
}
