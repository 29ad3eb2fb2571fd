/**
 * The official Kusto parser (`@kusto/language-service-next`, a Bridge.NET build
 * of Kusto.Language). It loads as globals, not as a module, so it is required
 * once, lazily: loading costs ~250 ms and the first analysis 1-2 s, later ones
 * ~20 ms. Everything else in src/kql talks to the parser through this file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ChatopsError } from '../core/errors.ts';
import type { ColumnDef } from './columns.ts';

// The bridge has no usable types for our purposes: its syntax tree is walked by class name.
// biome-ignore lint/suspicious/noExplicitAny: untyped .NET bridge objects
export type KNode = any;

export interface TableSchema {
  name: string;
  columns: ColumnDef[];
}

export interface Diagnostic {
  severity: string;
  code: string;
  message: string;
  start: number;
  length: number;
  line: number;
  column: number;
}

const schemaFiles = ['awscloudtrail.schema.json', 'awsguardduty.schema.json'];

/** Table schemas known to the workspace: AWSCloudTrail (data) and AWSGuardDuty (schema only, so peer queries analyse). */
export const WORKSPACE_SCHEMAS: readonly TableSchema[] = schemaFiles.map(
  (f) => JSON.parse(readFileSync(new URL(`./${f}`, import.meta.url), 'utf8')) as TableSchema,
);

// biome-ignore lint/suspicious/noExplicitAny: see KNode
let language: any;
// biome-ignore lint/suspicious/noExplicitAny: see KNode
let globals: any;

// biome-ignore lint/suspicious/noExplicitAny: see KNode
export function kusto(): any {
  if (!language) {
    const require = createRequire(import.meta.url);
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    // biome-ignore lint/suspicious/noExplicitAny: bridge globals
    language = (globalThis as any).Kusto.Language;
  }
  return language;
}

function globalState(): KNode {
  if (!globals) {
    const K = kusto();
    const S = K.Symbols;
    const tables = WORKSPACE_SCHEMAS.map(
      (t) =>
        new S.TableSymbol.$ctor4(
          t.name,
          t.columns.map((c) => new S.ColumnSymbol(c.name, S.ScalarTypes.GetSymbol(c.type), null, null, null, null)),
        ),
    );
    globals = K.GlobalState.Default.WithDatabase(new S.DatabaseSymbol.ctor('workspace', tables));
  }
  return globals;
}

/** Parses and analyses a query against the workspace schema. */
export function analyze(text: string): { code: KNode; diagnostics: Diagnostic[] } {
  const code = kusto().KustoCode.ParseAndAnalyze(text, globalState());
  const list = code.GetDiagnostics();
  const diagnostics: Diagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    const { line, column } = position(text, d.Start);
    diagnostics.push({ severity: String(d.Severity), code: d.Code, message: d.Message, start: d.Start, length: d.Length, line, column });
  }
  return { code, diagnostics };
}

/** Analyses and throws a ChatopsError naming the first error and where it is. */
export function analyzeOrThrow(text: string): KNode {
  const { code, diagnostics } = analyze(text);
  const errors = diagnostics.filter((d) => d.severity === 'Error' || d.severity === '0' || /error/i.test(d.severity));
  if (errors.length > 0) {
    const e = errors[0];
    // Kusto.Language's parser reports KS001-KS006 (missing/unexpected/malformed/expected); KS100 and up come from binding.
    const kind = /^KS0\d\d$/.test(e.code) ? 'query_syntax' : 'query_semantic';
    throw new ChatopsError(
      kind,
      `KQL ${kind === 'query_syntax' ? 'syntax' : 'semantic'} error at line ${e.line}, column ${e.column}: ${e.message} (${e.code})`,
    );
  }
  return code;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** Short class name of a syntax node: "PipeExpression", "FilterOperator", … */
export function nodeKind(node: KNode): string {
  const name: string = node.constructor.$$name;
  const dot = name.lastIndexOf('.');
  const dollar = name.indexOf('$');
  return dollar > 0 ? name.slice(name.lastIndexOf('.', dollar) + 1, dollar) : name.slice(dot + 1);
}

/** Elements of a SyntaxList, unwrapping SeparatedElement. */
export function elements(list: KNode): KNode[] {
  const out: KNode[] = [];
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) {
    const item = list.getItem(i);
    out.push(item && item.Element !== undefined && nodeKind(item) === 'SeparatedElement' ? item.Element : item);
  }
  return out;
}

/** Columns (name, type) of a tabular node's result type, as the analyser computed them. */
export function resultColumns(node: KNode): ColumnDef[] {
  const t = node.ResultType;
  if (!t?.Columns) return [];
  const out: ColumnDef[] = [];
  for (let i = 0; i < t.Columns.Count; i++) {
    const c = t.Columns.getItem(i);
    out.push({ name: c.Name, type: scalarType(c.Type) });
  }
  return out;
}

/** Our type name for a Kusto scalar type symbol. */
export function scalarType(t: KNode): ColumnDef['type'] {
  const name: string = t?.Name ?? 'dynamic';
  switch (name) {
    case 'bool':
    case 'datetime':
    case 'dynamic':
    case 'guid':
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
    case 'string':
    case 'timespan':
      return name;
    default:
      return 'dynamic';
  }
}

export function isTabular(node: KNode): boolean {
  const t = node?.ResultType;
  return !!t && !!t.Columns && t.Columns.Count !== undefined && nodeKind(t) !== 'TupleSymbol';
}

/** The name a projection gives an unnamed expression (Kusto's own rule), or undefined. */
export function expressionResultName(expr: KNode): string | undefined {
  const name = kusto().KustoFacts.GetExpressionResultName(expr, null, null);
  return name ? String(name) : undefined;
}

/** Source text of a node without leading trivia. */
export function nodeText(node: KNode): string {
  return String(node.ToString(kusto().Syntax.IncludeTrivia.Minimal ?? 0)).trim();
}
