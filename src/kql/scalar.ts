/**
 * Compiles scalar KQL expressions (from the official parser's tree) into
 * closures over the columns of one input table: `(row) => value`. Types come
 * from the analyser (`ResultType`), so the evaluator never guesses them.
 */
import type { KustoType } from '../core/result-table.ts';
import type { Column, ColumnDef, DynamicValue, Table, Value } from './columns.ts';
import { type Builtin, SCALAR_FUNCTIONS } from './functions.ts';
import { elements, isTabular, type KNode, nodeKind, scalarType } from './kusto.ts';
import { unsupported } from './unsupported.ts';
import { compareValues, isNull, parseDatetime, parseJson, parseTimespan, toKustoString, valueKey } from './values.ts';

export type RowFn = (row: number) => Value;

export interface Compiled {
  fn: RowFn;
  type: KustoType;
  /** Set when the expression does not depend on the row. */
  constant?: { value: Value };
}

/** What names resolve to outside the row: let-bound scalars and tables. */
export interface Env {
  scalar(name: string): { value: Value; type: KustoType } | undefined;
  table(name: string): Table | undefined;
  /** Evaluates a tabular expression (for `in (subquery)` and `toscalar`). */
  evalTable(node: KNode): Table;
  /** A `let f = (a:type, …) { … }` declaration in scope. */
  userFunction(name: string): KNode | undefined;
  readonly now: number;
}

/** A user function's declared parameters: names, and default value expressions. */
export function functionParameters(decl: KNode): { name: string; dflt?: KNode; tabular: boolean }[] {
  const list = decl.Parameters?.Parameters;
  const out: { name: string; dflt?: KNode; tabular: boolean }[] = [];
  for (let i = 0; list && i < list.Count; i++) {
    const item = list.getItem(i);
    const p = item.Element ?? item;
    const nt = p.NameAndType;
    out.push({
      name: String(nt.Name.SimpleName),
      dflt: p.DefaultValue?.Value ?? undefined,
      tabular: nodeKind(nt.Type) !== 'PrimitiveTypeExpression',
    });
  }
  return out;
}

export interface RowScope {
  table: Table;
  index: Map<string, number>;
  /** Row number within a serialized table, for row_number(). */
  rowNumber?: (row: number) => number;
}

export function rowScope(table: Table): RowScope {
  const index = new Map<string, number>();
  table.columns.forEach((c, i) => {
    index.set(c.name, i);
  });
  return { table, index };
}

/** Extra compilers for names only valid in some places (aggregates in summarize). */
export type CallHook = (node: KNode, name: string) => Compiled | undefined;

export class ScalarCompiler {
  readonly env: Env;
  readonly scope: RowScope | undefined;
  readonly hook: CallHook | undefined;

  /** Arguments of the user function whose body this compiles, by parameter name. */
  readonly params: ReadonlyMap<string, Compiled>;

  constructor(env: Env, scope: RowScope | undefined, hook?: CallHook, params: ReadonlyMap<string, Compiled> = new Map()) {
    this.env = env;
    this.scope = scope;
    this.hook = hook;
    this.params = params;
  }

  compile(node: KNode): Compiled {
    const kind = nodeKind(node);
    switch (kind) {
      case 'LiteralExpression':
      case 'CompoundStringLiteralExpression':
      case 'DynamicExpression':
      case 'TypeOfLiteralExpression':
        return constant(literalValue(node), scalarType(node.ResultType));
      case 'ParenthesizedExpression':
        return this.compile(node.Expression);
      case 'NameReference':
      case 'BracketedName':
        return this.name(node);
      case 'SimpleNamedExpression':
        return this.compile(node.Expression);
      case 'PathExpression':
        return this.path(node);
      case 'ElementExpression':
        return this.element(node);
      case 'BinaryExpression':
        return this.binary(node);
      case 'PrefixUnaryExpression':
        return this.unary(node);
      case 'InExpression':
        return this.inList(node);
      case 'HasAnyExpression':
      case 'HasAllExpression':
        return this.hasAnyAll(node, kind === 'HasAllExpression');
      case 'BetweenExpression':
        return this.between(node);
      case 'FunctionCallExpression':
        return this.call(node);
      case 'ToScalarExpression':
        return this.toScalar(node);
      default:
        throw unsupported(`expression ${kind.replace(/Expression$/, '')}`);
    }
  }

  private name(node: KNode): Compiled {
    const name: string = node.SimpleName ?? String(node.Name?.SimpleName ?? '');
    const symbol = node.ReferencedSymbol;
    const symbolKind = symbol ? nodeKind(symbol) : '';
    const param = symbolKind === 'ParameterSymbol' ? this.params.get(name) : undefined;
    if (param) return param;
    if (symbolKind === 'ColumnSymbol' && this.scope) {
      const i = this.scope.index.get(name);
      if (i !== undefined) return columnRef(this.scope.table.data[i], this.scope.table.columns[i]);
    }
    const bound = this.env.scalar(name);
    if (bound) return constant(bound.value, bound.type);
    if (this.scope) {
      const i = this.scope.index.get(name);
      if (i !== undefined) return columnRef(this.scope.table.data[i], this.scope.table.columns[i]);
    }
    if (symbolKind === 'FunctionSymbol') return this.callNamed(node, name, []);
    throw unsupported(`name ${name}`);
  }

  private path(node: KNode): Compiled {
    const base = this.compile(node.Expression);
    const sel = node.Selector;
    const key: string = nodeKind(sel) === 'BracketedName' ? String(sel.Name.LiteralValue) : String(sel.SimpleName);
    return map1(base, 'dynamic', (v) => member(v, key));
  }

  private element(node: KNode): Compiled {
    const base = this.compile(node.Expression);
    const sel = node.Selector;
    const idx = this.compile(nodeKind(sel) === 'BracketedExpression' ? sel.Expression : sel);
    return map2(base, idx, 'dynamic', (v, k) => (typeof k === 'number' || typeof k === 'string' ? member(v, k) : null));
  }

  private unary(node: KNode): Compiled {
    const op: string = node.Operator.Text;
    const e = this.compile(node.Expression);
    if (op === '-') return map1(e, e.type, (v) => (typeof v === 'number' ? -v : null));
    return e;
  }

  private binary(node: KNode): Compiled {
    const op = String(node.Operator.Text).toLowerCase().replace(/\s+/g, ' ');
    const l = this.compile(node.Left);
    const r = this.compile(node.Right);
    const type = scalarType(node.ResultType);
    if (op === 'and' || op === 'or') return logical(l.fn, r.fn, op === 'or', type);
    const arith = arithmetic(op, l.type, r.type, type);
    if (arith) return map2(l, r, type, arith);
    const cmp = comparison(op, l.type, r.type);
    if (cmp) return map2(l, r, 'bool', cmp, true);
    const str = stringOperator(op, r.constant?.value);
    if (str) {
      const lt = l.type;
      const rt = r.type;
      return map2(l, r, 'bool', (a, b) => str(toKustoString(a, lt), toKustoString(b, rt)), true);
    }
    throw unsupported(`operator ${op}`);
  }

  private inList(node: KNode): Compiled {
    const op = String(node.Operator.Text).toLowerCase();
    const negate = op.startsWith('!');
    const caseless = op.endsWith('~');
    const left = this.compile(node.Left);
    const lt = left.type;
    const items = this.listValues(elements(node.Right.Expressions));
    const norm = (v: Value) => {
      const k = valueKey(dynamicPrimitive(v));
      return caseless && typeof k === 'string' ? k.toLowerCase() : k;
    };
    const set = new Set(items.map(norm));
    const lf = left.fn;
    const isString = lt === 'string' || lt === 'guid';
    return {
      type: 'bool',
      fn: (row) => {
        const v = lf(row);
        // null in (...) is false, like null == value; so null !in (...) is true.
        if (!isString && isNull(v)) return negate;
        const hit = set.has(norm(isString ? (v ?? '') : v));
        return negate ? !hit : hit;
      },
    };
  }

  /** Values of an `in`/`has_any` list: scalars, dynamic arrays (flattened) and subqueries (first column). */
  private listValues(nodes: KNode[]): Value[] {
    const out: Value[] = [];
    for (const n of nodes) {
      if (isTabular(n)) {
        const t = this.env.evalTable(n);
        if (t.data.length > 0) for (let i = 0; i < t.length; i++) out.push(t.data[0].get(i));
        continue;
      }
      const c = this.compile(n);
      if (!c.constant) throw unsupported('non-constant values in an in(...) list');
      const v = c.constant.value;
      if (Array.isArray(v)) out.push(...(v as Value[]));
      else out.push(v);
    }
    return out;
  }

  private hasAnyAll(node: KNode, all: boolean): Compiled {
    const left = this.compile(node.Left);
    const terms = this.listValues(elements(node.Right.Expressions)).map((v) => toKustoString(v, 'dynamic'));
    const matchers = terms.map((t) => hasTerm(t, false));
    const lf = left.fn;
    const lt = left.type;
    return {
      type: 'bool',
      fn: (row) => {
        const s = toKustoString(lf(row), lt);
        return all ? matchers.every((m) => m(s)) : matchers.some((m) => m(s));
      },
    };
  }

  private between(node: KNode): Compiled {
    const negate = String(node.Operator.Text).startsWith('!');
    const v = this.compile(node.Left);
    const lo = this.compile(node.Right.First);
    const hi = this.compile(node.Right.Second);
    const vf = v.fn;
    const lf = lo.fn;
    const hf = hi.fn;
    // `t between (start .. 1d)`: a timespan upper bound is relative to the lower one.
    const relative = (v.type === 'datetime' && hi.type === 'timespan') || (v.type === 'timespan' && false);
    return {
      type: 'bool',
      fn: (row) => {
        const x = vf(row);
        const a = lf(row);
        let b = hf(row);
        if (isNull(x) || isNull(a) || isNull(b)) return null;
        if (relative) b = (a as number) + (b as number);
        const inside = compareValues(x, a) >= 0 && compareValues(x, b) <= 0;
        return negate ? !inside : inside;
      },
    };
  }

  private toScalar(node: KNode): Compiled {
    const t = this.env.evalTable(node.Expression);
    const value = t.length > 0 && t.data.length > 0 ? t.data[0].get(0) : null;
    return constant(value, scalarType(node.ResultType));
  }

  /** A scalar user function: its body compiled with the call's arguments in place of its parameters. */
  private userCall(decl: KNode, name: string, argNodes: KNode[]): Compiled {
    const body = decl.Body;
    if (elements(body.Statements).length > 0 || isTabular(body.Expression))
      throw unsupported(`user-defined function ${name} with let statements or a tabular result here`);
    const params = functionParameters(decl);
    if (params.some((p) => p.tabular)) throw unsupported(`user-defined function ${name} with a tabular parameter`);
    const bound = new Map<string, Compiled>();
    params.forEach((p, i) => {
      const arg = argNodes[i] ?? p.dflt;
      if (!arg) throw unsupported(`a call of ${name} without its argument ${p.name}`);
      bound.set(p.name, this.compile(arg));
    });
    return new ScalarCompiler(this.env, this.scope, this.hook, bound).compile(body.Expression);
  }

  private call(node: KNode): Compiled {
    const name = String(node.Name.SimpleName);
    return this.callNamed(node, name, elements(node.ArgumentList?.Expressions));
  }

  private callNamed(node: KNode, name: string, argNodes: KNode[]): Compiled {
    const hooked = this.hook?.(node, name);
    if (hooked) return hooked;
    const lower = name.toLowerCase();
    const type = scalarType(node.ResultType);
    switch (lower) {
      case 'iff':
      case 'iif': {
        const [c, a, b] = argNodes.map((n) => this.compile(n));
        const cf = c.fn;
        const af = a.fn;
        const bf = b.fn;
        return { type, fn: (row) => (cf(row) === true ? af(row) : bf(row)) };
      }
      case 'case': {
        const parts = argNodes.map((n) => this.compile(n));
        const otherwise = parts[parts.length - 1].fn;
        const pairs: [RowFn, RowFn][] = [];
        for (let i = 0; i + 1 < parts.length; i += 2) pairs.push([parts[i].fn, parts[i + 1].fn]);
        return {
          type,
          fn: (row) => {
            for (const [c, v] of pairs) if (c(row) === true) return v(row);
            return otherwise(row);
          },
        };
      }
      case 'coalesce': {
        const parts = argNodes.map((n) => this.compile(n));
        return {
          type,
          fn: (row) => {
            for (const p of parts) {
              const v = p.fn(row);
              if (!isNull(v) && !(p.type === 'string' && v === '')) return v;
            }
            return type === 'string' ? '' : null;
          },
        };
      }
      case 'now':
      case 'ago': {
        const now = this.env.now;
        if (lower === 'now' && argNodes.length === 0) return constant(now, 'datetime');
        const off = this.compile(argNodes[0]);
        return map1(off, 'datetime', (v) => (typeof v === 'number' ? (lower === 'now' ? now + v : now - v) : null));
      }
      case 'row_number': {
        const rn = this.scope?.rowNumber;
        if (!rn) throw unsupported('row_number() outside serialize');
        const start = argNodes[0] ? Number(this.compile(argNodes[0]).constant?.value ?? 1) : 1;
        return { type: 'long', fn: (row) => rn(row) + start };
      }
      case 'pack':
      case 'bag_pack':
      case 'pack_dictionary': {
        const parts = argNodes.map((n) => this.compile(n));
        return {
          type: 'dynamic',
          fn: (row) => {
            const bag: Record<string, DynamicValue> = {};
            for (let i = 0; i + 1 < parts.length; i += 2) {
              bag[String(parts[i].fn(row))] = toDynamic(parts[i + 1].fn(row), parts[i + 1].type);
            }
            return bag;
          },
        };
      }
      case 'pack_array': {
        const parts = argNodes.map((n) => this.compile(n));
        return { type: 'dynamic', fn: (row) => parts.map((p) => toDynamic(p.fn(row), p.type)) };
      }
      case 'not': {
        const a = this.compile(argNodes[0]);
        return map1(a, 'bool', (v) => (typeof v === 'boolean' ? !v : null));
      }
    }
    const decl = this.env.userFunction(name);
    if (decl) return this.userCall(decl, name, argNodes);
    const builtin: Builtin | undefined = SCALAR_FUNCTIONS[lower];
    if (!builtin) throw unsupported(`function ${name}()`);
    const args = argNodes.map((n) => this.compile(n));
    const impl = builtin(
      args.map((a) => a.type),
      type,
      args.map((a) => a.constant?.value),
      this.env,
    );
    if (args.length === 0) return constant(impl(), type);
    if (args.every((a) => a.constant)) return constant(impl(...args.map((a) => a.constant!.value)), type);
    if (args.length === 1) {
      const f = args[0].fn;
      return { type, fn: (row) => impl(f(row)) };
    }
    if (args.length === 2) {
      const f = args[0].fn;
      const g = args[1].fn;
      return { type, fn: (row) => impl(f(row), g(row)) };
    }
    if (args.length === 3) {
      const f = args[0].fn;
      const g = args[1].fn;
      const h = args[2].fn;
      return { type, fn: (row) => impl(f(row), g(row), h(row)) };
    }
    const fns = args.map((a) => a.fn);
    return { type, fn: (row) => impl(...fns.map((f) => f(row))) };
  }
}

/**
 * Kusto's three-valued `and` (dominant false) and `or` (dominant true): the dominant value wins
 * over null — false and null = false, true and null = null; true or null = true, false or null = null.
 */
function logical(lf: RowFn, rf: RowFn, dominant: boolean, type: KustoType): Compiled {
  return {
    type,
    fn: (row) => {
      const a = lf(row);
      if (a === dominant) return dominant;
      const b = rf(row);
      if (b === dominant) return dominant;
      return a === !dominant && b === !dominant ? !dominant : null;
    },
  };
}

export function constant(value: Value, type: KustoType): Compiled {
  return { type, fn: () => value, constant: { value } };
}

function columnRef(col: Column, def: ColumnDef): Compiled {
  return { type: def.type, fn: (row) => col.get(row) };
}

function map1(a: Compiled, type: KustoType, f: (x: Value) => Value): Compiled {
  if (a.constant) return constant(f(a.constant.value), type);
  const af = a.fn;
  return { type, fn: (row) => f(af(row)) };
}

function map2(a: Compiled, b: Compiled, type: KustoType, f: (x: Value, y: Value) => Value, keepNulls = false): Compiled {
  if (a.constant && b.constant) return constant(f(a.constant.value, b.constant.value), type);
  const af = a.fn;
  if (b.constant) {
    const bv = b.constant.value;
    return { type, fn: keepNulls ? (row) => f(af(row), bv) : (row) => f(af(row), bv) };
  }
  const bf = b.fn;
  return { type, fn: (row) => f(af(row), bf(row)) };
}

/** Property or index of a dynamic value; negative indexes count from the end. */
export function member(v: Value, key: string | number): Value {
  if (v === null || typeof v !== 'object') return null;
  if (Array.isArray(v)) {
    if (typeof key !== 'number') return null;
    const i = key < 0 ? v.length + key : key;
    return i >= 0 && i < v.length ? (v[i] as Value) : null;
  }
  const r = (v as Record<string, DynamicValue>)[String(key)];
  return r === undefined ? null : r;
}

/** The engine value as a dynamic (JSON) value: datetimes become ISO text, as in Kusto. */
export function toDynamic(v: Value, type: KustoType): DynamicValue {
  if (v === null || v === undefined) return null;
  if (type === 'datetime' || type === 'timespan') return toKustoString(v, type);
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v as DynamicValue;
}

function dynamicPrimitive(v: Value): Value {
  return v;
}

function literalValue(node: KNode): Value {
  const type = scalarType(node.ResultType);
  const kind = nodeKind(node);
  if (kind === 'DynamicExpression') {
    const text = node.LiteralValueInfo?.ValueText ?? node.LiteralValue;
    return text == null ? null : parseJson(String(text));
  }
  if (type === 'string') return String(node.LiteralValue ?? '');
  const text = String(node.LiteralValueInfo?.ValueText ?? '').trim();
  if (text === 'null' || text === '') return null;
  switch (type) {
    case 'bool':
      return text.toLowerCase() === 'true';
    case 'int':
    case 'long':
      return /^0x/i.test(text) ? Number.parseInt(text, 16) : Number(text);
    case 'real':
    case 'decimal': {
      const t = text.toLowerCase();
      if (t === 'nan') return Number.NaN;
      if (t === 'inf' || t === '+inf') return Number.POSITIVE_INFINITY;
      if (t === '-inf') return Number.NEGATIVE_INFINITY;
      return Number(text);
    }
    case 'datetime': {
      const v = parseDatetime(text);
      if (v === undefined) throw unsupported(`datetime literal ${text}`);
      return v;
    }
    case 'timespan': {
      const v = parseTimespan(text);
      if (v === undefined) throw unsupported(`timespan literal ${text}`);
      return v;
    }
    case 'guid':
      return text;
    default:
      return text;
  }
}

function isNumeric(t: KustoType): boolean {
  return t === 'int' || t === 'long' || t === 'real' || t === 'decimal';
}

function arithmetic(op: string, lt: KustoType, rt: KustoType, result: KustoType): ((a: Value, b: Value) => Value) | undefined {
  const num = (f: (a: number, b: number) => number) => (a: Value, b: Value) =>
    typeof a === 'number' && typeof b === 'number' ? f(a, b) : null;
  const integer = result === 'int' || result === 'long';
  switch (op) {
    case '+':
      return num((a, b) => a + b);
    case '-':
      return num((a, b) => a - b);
    case '*':
      return num((a, b) => (integer ? Math.trunc(a * b) : a * b));
    case '/':
      if (lt === 'timespan' && rt === 'timespan') return num((a, b) => a / b);
      if (integer && isNumeric(lt) && isNumeric(rt)) return num((a, b) => (b === 0 ? null : Math.trunc(a / b)) as number);
      return num((a, b) => a / b);
    case '%':
      return num((a, b) => (b === 0 ? null : a % b) as number);
    default:
      return undefined;
  }
}

function comparison(op: string, lt: KustoType, rt: KustoType): ((a: Value, b: Value) => Value) | undefined {
  const strings = (lt === 'string' || lt === 'guid') && (rt === 'string' || rt === 'guid');
  const eq = (a: Value, b: Value) => {
    if (strings) return a === b;
    // Kusto: null == null is null, null == value is false (so null != value is true).
    const an = isNull(a);
    const bn = isNull(b);
    if (an || bn) return an && bn ? null : false;
    if (typeof a === 'object' || typeof b === 'object') {
      // A dynamic array or bag against a string compares its JSON text: `todynamic(x) == '["all"]'`.
      if (lt === 'dynamic' && (rt === 'string' || rt === 'guid') && typeof b === 'string') return toKustoString(a, 'dynamic') === b;
      if (rt === 'dynamic' && (lt === 'string' || lt === 'guid') && typeof a === 'string') return toKustoString(b, 'dynamic') === a;
      return valueKey(a) === valueKey(b);
    }
    // dynamic vs string/number compares the underlying value
    return a === b || (typeof a !== typeof b && String(a) === String(b) && (lt === 'dynamic' || rt === 'dynamic'));
  };
  const ord = (test: (c: number) => boolean) => (a: Value, b: Value) => (isNull(a) || isNull(b) ? null : test(compareValues(a, b)));
  switch (op) {
    case '==':
      return eq;
    case '!=':
    case '<>':
      return (a, b) => {
        const r = eq(a, b);
        return r === null ? null : !r;
      };
    case '<':
      return ord((c) => c < 0);
    case '<=':
      return ord((c) => c <= 0);
    case '>':
      return ord((c) => c > 0);
    case '>=':
      return ord((c) => c >= 0);
    case '=~':
      return (a, b) => toKustoString(a, lt).toLowerCase() === toKustoString(b, rt).toLowerCase();
    case '!~':
      return (a, b) => toKustoString(a, lt).toLowerCase() !== toKustoString(b, rt).toLowerCase();
    default:
      return undefined;
  }
}

const WORD = /[A-Za-z0-9\u00C0-\uFFFF]/;

/** Kusto's `has`: the term appears with no letter or digit right before or after it. */
export function hasTerm(term: string, caseSensitive: boolean): (s: string) => boolean {
  const needle = caseSensitive ? term : term.toLowerCase();
  if (needle === '') return () => true;
  const startsWord = WORD.test(needle[0]);
  const endsWord = WORD.test(needle[needle.length - 1]);
  return (hay: string) => {
    const s = caseSensitive ? hay : hay.toLowerCase();
    let from = 0;
    for (;;) {
      const i = s.indexOf(needle, from);
      if (i < 0) return false;
      const before = i === 0 || !startsWord || !WORD.test(s[i - 1]);
      const j = i + needle.length;
      const after = j >= s.length || !endsWord || !WORD.test(s[j]);
      if (before && after) return true;
      from = i + 1;
    }
  };
}

function stringOperator(op: string, rightConstant: Value | undefined): ((a: string, b: string) => boolean) | undefined {
  const negated = op.startsWith('!');
  const base = negated ? op.slice(1) : op;
  const cs = base.endsWith('_cs');
  const name = cs ? base.slice(0, -3) : base;
  const fold = (s: string) => (cs ? s : s.toLowerCase());
  let f: ((a: string, b: string) => boolean) | undefined;
  switch (name) {
    case 'has': {
      if (typeof rightConstant === 'string') {
        const m = hasTerm(rightConstant, cs);
        f = (a) => m(a);
      } else f = (a, b) => hasTerm(b, cs)(a);
      break;
    }
    case 'hasprefix':
      f = (a, b) => new RegExp(`(^|[^A-Za-z0-9])${escapeRegex(fold(b))}`).test(fold(a));
      break;
    case 'hassuffix':
      f = (a, b) => new RegExp(`${escapeRegex(fold(b))}($|[^A-Za-z0-9])`).test(fold(a));
      break;
    case 'contains':
      f = (a, b) => fold(a).includes(fold(b));
      break;
    case 'startswith':
      f = (a, b) => fold(a).startsWith(fold(b));
      break;
    case 'endswith':
      f = (a, b) => fold(a).endsWith(fold(b));
      break;
    case 'matches regex': {
      if (negated) return undefined;
      if (typeof rightConstant === 'string') {
        const re = kustoRegex(rightConstant);
        return (a) => re.test(a);
      }
      return (a, b) => kustoRegex(b).test(a);
    }
    case 'like':
      return undefined;
    default:
      return undefined;
  }
  const g = f;
  return negated ? (a, b) => !g(a, b) : g;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** RE2 syntax as Kusto uses it, mapped to JS: inline flags `(?i)` become a flag. */
export function kustoRegex(pattern: string, flags = ''): RegExp {
  let p = pattern;
  let f = flags;
  const inline = /^\(\?([imsU]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    if (inline[1].includes('i')) f += 'i';
    if (inline[1].includes('s')) f += 's';
    if (inline[1].includes('m')) f += 'm';
  }
  try {
    return new RegExp(p, `${[...new Set(f)].join('')}u`);
  } catch {
    try {
      return new RegExp(p, [...new Set(f)].join(''));
    } catch (e) {
      throw unsupported(`regular expression ${JSON.stringify(pattern)} (${(e as Error).message})`);
    }
  }
}
