/**
 * The `parse` operator: `parse [kind=simple|regex|relaxed] [flags=…] Expr with * "literal" Col [:type] …`.
 * The pattern becomes one regular expression anchored at the start of the text, as Kusto builds
 * it: literals match themselves (regex fragments with kind=regex), a column captures lazily (the
 * last element greedily), `*` skips. A row whose text does not match gets empty columns ("" for
 * strings, null otherwise); with kind=relaxed, only a value that does not convert to its column's
 * type is left empty.
 */
import type { KustoType } from '../core/result-table.ts';
import type { Value } from './columns.ts';
import { type KNode, nodeKind } from './kusto.ts';
import { escapeRegex } from './scalar.ts';
import { unsupported } from './unsupported.ts';
import { parseDatetime, parseTimespan } from './values.ts';

export interface ParsePlan {
  regex: RegExp;
  /** Extended columns in capture-group order. */
  columns: { name: string; type: KustoType }[];
  relaxed: boolean;
}

const CAPTURE: Partial<Record<KustoType, string>> = {
  int: '-?\\d+',
  long: '-?\\d+',
  real: '-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?',
  bool: 'true|false',
  guid: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
};

export function parsePlan(patterns: readonly KNode[], kind: string, flags: string): ParsePlan {
  if (kind !== 'simple' && kind !== 'regex' && kind !== 'relaxed') throw unsupported(`parse kind=${kind}`);
  const columns: ParsePlan['columns'] = [];
  let source = '^';
  patterns.forEach((p, i) => {
    const last = i === patterns.length - 1;
    const k = nodeKind(p);
    if (k === 'LiteralExpression' || k === 'CompoundStringLiteralExpression') {
      const text = String(p.LiteralValue ?? '');
      source += kind === 'regex' ? `(?:${text})` : escapeRegex(text);
    } else if (k === 'StarExpression') {
      source += last ? '.*' : '.*?';
    } else if (k === 'NameDeclaration' || k === 'NameAndTypeDeclaration') {
      const name = String(k === 'NameDeclaration' ? p.SimpleName : p.Name.SimpleName);
      const typeText = k === 'NameAndTypeDeclaration' ? String(p.Type?.Type?.Text ?? p.Type?.GetFirstToken?.().Text ?? 'string') : 'string';
      const type = (typeText === 'double' ? 'real' : typeText === 'boolean' ? 'bool' : typeText) as KustoType;
      // Named groups: a kind=regex literal may have capture groups of its own.
      source += `(?<c${columns.length}>${CAPTURE[type] ?? (last ? '.*' : '.*?')})`;
      columns.push({ name, type });
    } else throw unsupported(`parse pattern element ${k}`);
  });
  const f = `${flags.includes('i') ? 'i' : ''}${flags.includes('s') ? 's' : ''}${flags.includes('m') ? 'm' : ''}`;
  let regex: RegExp;
  try {
    regex = new RegExp(source, f);
  } catch (e) {
    throw unsupported(`parse pattern ${JSON.stringify(source)} (${(e as Error).message})`);
  }
  return { regex, columns, relaxed: kind === 'relaxed' };
}

/** The extended column values for one text: one per plan column. */
export function parseText(plan: ParsePlan, text: string): Value[] {
  const m = plan.regex.exec(text);
  return plan.columns.map((c, i) => {
    const raw = m?.groups?.[`c${i}`];
    if (raw === undefined) return c.type === 'string' ? '' : null;
    return convert(raw, c.type);
  });
}

function convert(raw: string, type: KustoType): Value {
  switch (type) {
    case 'string':
    case 'guid':
      return raw;
    case 'int':
    case 'long':
    case 'real':
    case 'decimal': {
      const n = Number(raw);
      return raw.trim() === '' || Number.isNaN(n) ? null : type === 'real' || type === 'decimal' ? n : Math.trunc(n);
    }
    case 'bool':
      return raw.toLowerCase() === 'true';
    case 'datetime':
      return parseDatetime(raw) ?? null;
    case 'timespan':
      return parseTimespan(raw) ?? null;
    case 'dynamic':
      try {
        return JSON.parse(raw) as Value;
      } catch {
        return raw;
      }
    default:
      return raw;
  }
}
