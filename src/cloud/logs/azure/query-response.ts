/**
 * Log Analytics answers → our wire shape (`QueryResult`, see core/result-table.ts), so that a
 * result from the real service looks exactly like one from the local workspace.
 *
 * Rows come from the response body as the service sent it (captured by the gateway's pipeline
 * policy): the SDK's own conversion turns datetimes into `Date` (losing Kusto's 100 ns digits:
 * `…:00.1234567Z` comes back as `…:00.123Z`) and parses `dynamic` JSON text into objects (losing
 * its exact text, and precision of integers above 2^53). When no body was captured, the SDK's
 * result is converted back instead: `Date` → ISO 8601 text as Kusto prints it, objects → JSON text.
 *
 * The render hint (`Prefer: include-render=true`) comes back with camelCase keys, nulls for unset
 * properties and "NaN" for unset limits; it is normalised to the `render ... with (...)` property
 * names the local workspace uses (`xtitle`, `ycolumns`, `ymin`), keeping only properties that are set.
 */
import type { LogsQueryResult, LogsTable } from '@azure/monitor-query-logs';
import {
  KUSTO_TYPES,
  type KustoType,
  type QueryResult,
  type RenderHint,
  type ResultTable,
  type WireValue,
} from '../../../core/result-table.ts';
import { serviceSays, text } from './log-analytics-text.ts';

/** An error object of the Log Analytics API (`{"error":{code, message, innererror, details}}`), flattened. */
export interface ServiceError {
  /** The top-level code, e.g. `BadArgumentError`, `InsufficientAccessError`, `PartialError`. */
  code: string | undefined;
  /** Every named code from the top down through `innererror` and `details` (numeric engine codes left out). */
  codes: string[];
  /** The most specific message: the deepest one in the chain (the top one is often generic). */
  message: string | undefined;
}

const MAX_MESSAGE = 600;

/** Reads the `error` object out of a response body (or the error object itself); undefined when there is none. */
export function readServiceError(body: unknown): ServiceError | undefined {
  const root = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) && typeof body.code === 'string' ? body : undefined;
  if (!root) return undefined;
  const codes: string[] = [];
  let deepest: { depth: number; message: string } | undefined;
  const visit = (node: unknown, depth: number) => {
    if (!isRecord(node) || depth > 16) return;
    if (typeof node.code === 'string' && node.code !== '' && !/^-?\d+$/.test(node.code) && !codes.includes(node.code))
      codes.push(node.code);
    if (typeof node.message === 'string' && node.message.trim() !== '' && (deepest === undefined || depth >= deepest.depth))
      deepest = { depth, message: node.message.trim() };
    visit(node.innererror, depth + 1);
    if (Array.isArray(node.details)) for (const d of node.details) visit(d, depth + 1);
  };
  visit(root, 0);
  const message = deepest?.message;
  return {
    code: typeof root.code === 'string' ? root.code : undefined,
    codes,
    message: message && message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
  };
}

/** A response body's JSON; undefined when there is none or it is not JSON. */
export function parseBody(bodyText: string | undefined): unknown {
  if (bodyText === undefined || bodyText.trim() === '') return undefined;
  try {
    return JSON.parse(bodyText);
  } catch {
    return undefined;
  }
}

/** `Code / Inner: most specific message`, for messages to people. */
export function describeServiceError(status: number | undefined, error: ServiceError | undefined): string {
  return serviceSays(status, error && error.codes.length > 0 ? error.codes.join(' / ') : undefined, error?.message);
}

/**
 * The SDK's result and, when captured, the response body it came from → our QueryResult.
 * A partial result (200 with an `error` beside the tables) keeps its tables and gets a warning.
 */
export function toQueryResult(sdk: LogsQueryResult, body?: unknown): QueryResult {
  const wire = wireBody(body);
  const tables = wire ? wire.tables.map(fromWireTable) : sdkTables(sdk).map(fromSdkTable);
  const result: QueryResult = { tables };
  const render = normalizeRender(wire ? wire.render : sdk.visualization);
  if (render) result.render = render;
  const partial = wire ? (wire.error === undefined ? undefined : readServiceError({ error: wire.error })) : partialError(sdk);
  if (partial) result.warnings = [text.partialResult(describeServiceError(undefined, partial))];
  return result;
}

/** The `render` object of an `include-render=true` response → our RenderHint; undefined without a visualization. */
export function normalizeRender(render: unknown): RenderHint | undefined {
  if (!isRecord(render) || typeof render.visualization !== 'string' || render.visualization === '') return undefined;
  const hint: RenderHint = { visualization: render.visualization };
  for (const [key, value] of Object.entries(render)) {
    const name = key.toLowerCase();
    if (name === 'visualization' || name === 'isquerysorted') continue; // isQuerySorted: set by the service, not a with() property
    if (value === null || value === undefined || value === '' || value === 'NaN') continue;
    if (name === 'accumulate' && value === false) continue; // the default, sent always
    if (typeof value === 'number' && Number.isNaN(value)) continue;
    if ((name === 'series' || name === 'ycolumns' || name === 'anomalycolumns') && typeof value === 'string') {
      hint[name] = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    } else if (/^(ymin|ymax|xmin|xmax)$/.test(name) && typeof value === 'string' && !Number.isNaN(Number(value))) {
      hint[name] = Number(value);
    } else hint[name] = value;
  }
  return hint;
}

/** ISO 8601 UTC as Kusto prints datetimes: a fraction only when there is one. */
export function kustoDatetime(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso.replace(/0+Z$/, 'Z');
}

interface WireBody {
  tables: WireTable[];
  render: unknown;
  error: unknown;
}

interface WireTable {
  name: string;
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/** The body, if it has the query response's shape; undefined otherwise (then the SDK's result is used). */
function wireBody(body: unknown): WireBody | undefined {
  if (!isRecord(body) || !Array.isArray(body.tables)) return undefined;
  for (const t of body.tables) {
    if (!isRecord(t) || typeof t.name !== 'string' || !Array.isArray(t.columns) || !Array.isArray(t.rows)) return undefined;
    if (!t.columns.every((c) => isRecord(c) && typeof c.name === 'string' && typeof c.type === 'string')) return undefined;
    if (!t.rows.every((r) => Array.isArray(r))) return undefined;
  }
  return { tables: body.tables as WireTable[], render: body.render, error: body.error ?? undefined };
}

function fromWireTable(t: WireTable): ResultTable {
  return {
    name: t.name,
    columns: t.columns.map((c) => ({ name: c.name, type: kustoType(c.type) })),
    rows: t.rows.map((row) => row.map(wireValue)),
  };
}

function sdkTables(sdk: LogsQueryResult): LogsTable[] {
  return 'partialTables' in sdk ? sdk.partialTables : sdk.tables;
}

function partialError(sdk: LogsQueryResult): ServiceError | undefined {
  return 'partialError' in sdk ? readServiceError({ error: sdk.partialError }) : undefined;
}

function fromSdkTable(t: LogsTable): ResultTable {
  return {
    name: t.name,
    columns: t.columnDescriptors.map((c) => ({ name: c.name, type: kustoType(c.type) })),
    rows: t.rows.map((row) => row.map(wireValue)),
  };
}

/** A cell as the API sends it: strings, numbers, booleans and null as they are; a Date as Kusto text; objects as JSON text. */
function wireValue(v: unknown): WireValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return kustoDatetime(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function kustoType(type: string): KustoType {
  const t = type.toLowerCase();
  return (KUSTO_TYPES as readonly string[]).includes(t) ? (t as KustoType) : 'string';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
