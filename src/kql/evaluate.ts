/**
 * Evaluates an analysed KQL query over in-memory tables. Output schemas (column
 * names and types, including Kusto's automatic names such as `count_`,
 * `max_TimeGenerated` or a join's `Name1`) come from the official analyser;
 * this file computes the values that go into them.
 */
import type { KustoType, RenderHint } from '../core/result-table.ts';
import { AGGREGATES, type Aggregator, createAggregator } from './aggregates.ts';
import { ArrayColumn, type Column, type ColumnDef, type DynamicValue, NumberColumn, type Table, type Value } from './columns.ts';
import { binValue } from './functions.ts';
import { elements, expressionResultName, isTabular, type KNode, nodeKind, resultColumns, scalarType } from './kusto.ts';
import { parsePlan, parseText } from './parse-operator.ts';
import { type Compiled, type Env, functionParameters, type RowFn, rowScope, ScalarCompiler } from './scalar.ts';
import { columnValues, compact, makeTable, selectRows, tableFromValues } from './tables.ts';
import { unsupported } from './unsupported.ts';
import { compareValues, formatDatetime, isNull, toKustoString, valueKey } from './values.ts';

export interface TimeRange {
  start: number;
  end: number;
}

export interface EvaluateOptions {
  now: number;
  /** Applied to TimeGenerated of every table read, as the Log Analytics API's timespan: [start, end). */
  timespan?: TimeRange;
  /** Upper bound on rows any operator may produce, so a runaway query fails instead of eating memory. */
  maxRows?: number;
}

export interface Evaluation {
  tables: Table[];
  render?: RenderHint;
}

type Binding =
  | { kind: 'scalar'; value: Value; type: KustoType }
  | { kind: 'table'; node: KNode; table?: Table }
  | { kind: 'function'; decl: KNode };

const MAX_ROWS = 50_000_000;

/** Errors thrown for a table that does not exist: the only kind of leg `union isfuzzy=true` may drop. */
const missingTables = new WeakSet<object>();

export class Evaluator implements Env {
  readonly now: number;
  private readonly source: (name: string) => Table | undefined;
  private readonly timespan: TimeRange | undefined;
  private readonly maxRows: number;
  private readonly bindings = new Map<string, Binding>();
  private readonly sourceCache = new Map<string, Table>();
  private render: RenderHint | undefined;

  constructor(source: (name: string) => Table | undefined, options: EvaluateOptions) {
    this.source = source;
    this.now = options.now;
    this.timespan = options.timespan;
    this.maxRows = options.maxRows ?? MAX_ROWS;
  }

  run(code: KNode): Evaluation {
    const block = code.Syntax;
    if (nodeKind(block) !== 'QueryBlock') throw unsupported('management commands');
    const results: Table[] = [];
    for (const statement of elements(block.Statements)) {
      const kind = nodeKind(statement);
      if (kind === 'LetStatement') this.let(statement);
      else if (kind === 'ExpressionStatement')
        results.push(this.evalTable(statement.Expression)); // read once into the result: no copy first
      else throw unsupported(`statement ${kind.replace(/Statement$/, '')}`);
    }
    return { tables: results, render: this.render };
  }

  // --- Env ---

  scalar(name: string): { value: Value; type: KustoType } | undefined {
    const b = this.bindings.get(name);
    return b?.kind === 'scalar' ? b : undefined;
  }

  table(name: string): Table | undefined {
    const b = this.bindings.get(name);
    if (b?.kind === 'table') {
      b.table ??= compact(this.evalTable(b.node));
      return b.table;
    }
    return undefined;
  }

  evalTable(node: KNode): Table {
    const kind = nodeKind(node);
    switch (kind) {
      case 'PipeExpression':
        return this.apply(node.Operator, this.evalTable(node.Expression));
      case 'ParenthesizedExpression':
      case 'MaterializeExpression':
      case 'ToTableExpression':
        return this.evalTable(node.Expression);
      case 'NameReference':
        return this.named(node);
      case 'DataTableExpression':
        return this.datatable(node);
      case 'FunctionCallExpression': {
        const b = this.bindings.get(String(node.Name.SimpleName));
        if (b?.kind === 'table' && elements(node.ArgumentList?.Expressions).length === 0) return this.table(String(node.Name.SimpleName))!;
        if (b?.kind === 'function')
          return this.callTableFunction(b.decl, String(node.Name.SimpleName), elements(node.ArgumentList?.Expressions));
        throw unsupported(`function ${node.Name.SimpleName}() as a table`);
      }
      default:
        if (kind.endsWith('Operator')) return this.apply(node, undefined);
        throw unsupported(kind === 'ExternalDataExpression' ? 'externaldata' : `tabular expression ${kind}`);
    }
  }

  userFunction(name: string): KNode | undefined {
    const b = this.bindings.get(name);
    return b?.kind === 'function' ? b.decl : undefined;
  }

  /**
   * A tabular user function: its scalar parameters bound to the call's (constant) arguments while
   * its body's statements and expression are evaluated; the names it shadows are restored after.
   */
  private callTableFunction(decl: KNode, name: string, args: KNode[]): Table {
    const params = functionParameters(decl);
    if (params.some((p) => p.tabular)) throw unsupported(`user-defined function ${name} with a tabular parameter`);
    const values = params.map((p, i) => {
      const arg = args[i] ?? p.dflt;
      if (!arg) throw unsupported(`a call of ${name} without its argument ${p.name}`);
      const c = new ScalarCompiler(this, undefined).compile(arg);
      return { value: c.constant ? c.constant.value : c.fn(0), type: c.type };
    });
    const saved = new Map(this.bindings);
    try {
      params.forEach((p, i) => {
        this.bindings.set(p.name, { kind: 'scalar', ...values[i] });
      });
      for (const s of elements(decl.Body.Statements)) {
        if (nodeKind(s) !== 'LetStatement') throw unsupported(`statement ${nodeKind(s)} in ${name}`);
        this.let(s);
      }
      return compact(this.evalTable(decl.Body.Expression));
    } finally {
      this.bindings.clear();
      for (const [k, v] of saved) this.bindings.set(k, v);
    }
  }

  // --- statements ---

  private let(statement: KNode): void {
    const name = String(statement.Name.SimpleName);
    const expr = statement.Expression;
    const kind = nodeKind(expr);
    if (kind === 'FunctionDeclaration') {
      this.bindings.set(name, { kind: 'function', decl: expr });
      return;
    }
    if (isTabular(expr)) {
      this.bindings.set(name, { kind: 'table', node: expr });
      return;
    }
    const c = new ScalarCompiler(this, undefined).compile(expr);
    this.bindings.set(name, { kind: 'scalar', value: c.constant ? c.constant.value : c.fn(0), type: c.type });
  }

  private named(node: KNode): Table {
    const name = String(node.SimpleName);
    const bound = this.table(name);
    if (bound) return bound;
    const cached = this.sourceCache.get(name);
    if (cached) return cached;
    const base = this.source(name);
    if (!base) {
      const known = resultColumns(node);
      if (known.length === 0) {
        const err = unsupported(`table ${name}`);
        missingTables.add(err);
        throw err;
      }
      // A table the workspace knows the schema of but holds no data for (e.g. AWSGuardDuty): empty.
      return makeTable(
        known,
        known.map((c) => new ArrayColumn(c.type, [])),
        0,
      );
    }
    const t = this.withinTimespan(base);
    this.sourceCache.set(name, t);
    return t;
  }

  private withinTimespan(table: Table): Table {
    if (!this.timespan) return table;
    const i = table.columns.findIndex((c) => c.name === 'TimeGenerated' && c.type === 'datetime');
    if (i < 0) return table;
    const { start, end } = this.timespan;
    const col = table.data[i];
    const rows: number[] = [];
    if (col instanceof NumberColumn) {
      const d = col.data;
      for (let r = 0; r < d.length; r++) {
        const t = d[r];
        if (t >= start && t < end) rows.push(r);
      }
    } else {
      for (let r = 0; r < table.length; r++) {
        const t = col.get(r);
        if (typeof t === 'number' && t >= start && t < end) rows.push(r);
      }
    }
    return selectRows(table, Uint32Array.from(rows));
  }

  // --- tabular operators ---

  private apply(op: KNode, input: Table | undefined): Table {
    const kind = nodeKind(op);
    const needInput = (): Table => {
      if (!input) throw unsupported(`${kind} without input`);
      return input;
    };
    const out = (() => {
      switch (kind) {
        case 'FilterOperator':
          return this.where(op, needInput());
        case 'ExtendOperator':
          return this.extend(op, needInput(), elements(op.Expressions));
        case 'SerializeOperator':
          return this.extend(op, needInput(), elements(op.Expressions));
        case 'ProjectOperator':
          return this.project(op, needInput());
        case 'ProjectAwayOperator':
        case 'ProjectKeepOperator':
        case 'ProjectReorderOperator':
          return this.byName(resultColumns(op), needInput());
        case 'ProjectRenameOperator':
          return makeTable(resultColumns(op), needInput().data, needInput().length);
        case 'SummarizeOperator':
          return this.summarize(op, needInput());
        case 'DistinctOperator':
          return this.distinct(op, needInput());
        case 'CountOperator':
          return tableFromValues(resultColumns(op), [[needInput().length]], 1);
        case 'TakeOperator':
          return this.take(op, needInput());
        case 'SortOperator':
          return this.sort(needInput(), elements(op.Expressions));
        case 'TopOperator':
          return this.top(op, needInput());
        case 'RenderOperator':
          this.render = renderHint(op);
          return needInput();
        case 'UnionOperator':
          return this.union(op, input);
        case 'JoinOperator':
          return this.join(op, needInput(), joinKind(op, 'innerunique'));
        case 'LookupOperator':
          return this.join(op, needInput(), joinKind(op, 'leftouter'));
        case 'MvExpandOperator':
          return this.mvExpand(op, needInput());
        case 'MakeSeriesOperator':
          return this.makeSeries(op, needInput());
        case 'RangeOperator':
          return this.range(op);
        case 'PrintOperator':
          return this.extend(op, makeTable([], [], 1), elements(op.Expressions), true);
        case 'ParseOperator':
          return this.parse(op, needInput());
        case 'AsOperator':
          return needInput();
        default:
          throw unsupported(`operator ${operatorName(op)}`);
      }
    })();
    if (out.length > this.maxRows) throw unsupported(`results over ${this.maxRows} rows`);
    return out;
  }

  /** Rows keep their order through every operator here, so row_number() is the row index everywhere. */
  private compiler(table: Table): ScalarCompiler {
    const scope = rowScope(table);
    scope.rowNumber = (row) => row;
    return new ScalarCompiler(this, scope);
  }

  private where(op: KNode, input: Table): Table {
    const pred = this.compiler(input).compile(op.Condition);
    if (pred.constant) return pred.constant.value === true ? input : selectRows(input, new Uint32Array(0));
    const f = pred.fn;
    const rows = new Uint32Array(input.length);
    let n = 0;
    for (let r = 0; r < input.length; r++) if (f(r) === true) rows[n++] = r;
    return selectRows(input, rows.subarray(0, n));
  }

  /**
   * extend, serialize and print: computed columns added or replaced in place. Every expression reads the input
   * columns, as in Kusto: in `extend A = f(A), B = g(A)`, g sees the old A (a column declared in the same extend is
   * not visible to the others at all; the analyser rejects that).
   */
  private extend(op: KNode, input: Table, exprs: KNode[], replaceAll = false): Table {
    const schema = resultColumns(op);
    const comp = this.compiler(input);
    let current = replaceAll ? makeTable([], [], input.length) : input;
    for (const expr of exprs) {
      const c = comp.compile(expr);
      const name = this.nameOf(expr, current, schema);
      const col = materialize(c, current.length);
      const i = current.columns.findIndex((x) => x.name === name);
      const columns = [...current.columns];
      const data = [...current.data];
      if (i >= 0) {
        columns[i] = { name, type: c.type };
        data[i] = col;
      } else {
        columns.push({ name, type: c.type });
        data.push(col);
      }
      current = makeTable(columns, data, current.length);
    }
    return this.byName(schema, current);
  }

  /** The column name an expression in a projection gets. */
  private nameOf(expr: KNode, current: Table, schema: ColumnDef[]): string {
    if (nodeKind(expr) === 'SimpleNamedExpression') return String(expr.Name.SimpleName);
    const derived = expressionResultName(expr);
    if (derived) return derived;
    const fresh = schema.find((c) => !current.columns.some((x) => x.name === c.name));
    if (!fresh) throw unsupported('an unnamed expression here');
    return fresh.name;
  }

  private project(op: KNode, input: Table): Table {
    const schema = resultColumns(op);
    const exprs = elements(op.Expressions);
    if (exprs.length !== schema.length) return this.byName(schema, input); // wildcards
    const comp = this.compiler(input);
    const data = exprs.map((e) => {
      if (nodeKind(e) === 'NameReference') {
        const i = input.columns.findIndex((c) => c.name === e.SimpleName);
        if (i >= 0) return input.data[i];
      }
      return materialize(comp.compile(e), input.length);
    });
    return makeTable(schema, data, input.length);
  }

  /** The columns of `schema`, taken by name from `input`. */
  private byName(schema: ColumnDef[], input: Table): Table {
    const data = schema.map((c) => {
      const i = findColumn(input.columns, c.name, c.type);
      if (i < 0) return new ArrayColumn(c.type, new Array(input.length).fill(c.type === 'string' ? '' : null));
      return input.data[i];
    });
    return makeTable(schema, data, input.length);
  }

  private take(op: KNode, input: Table): Table {
    const n = this.scalarArg(op.Expression, input);
    if (typeof n !== 'number' || n < 0) throw unsupported('take with a non-numeric count');
    if (n >= input.length) return input;
    return selectRows(
      input,
      Uint32Array.from({ length: n }, (_, i) => i),
    );
  }

  private scalarArg(node: KNode, input?: Table): Value {
    const c = new ScalarCompiler(this, input ? rowScope(input) : undefined).compile(node);
    return c.constant ? c.constant.value : c.fn(0);
  }

  private sort(input: Table, orderings: KNode[]): Table {
    const comp = this.compiler(input);
    const keys = orderings.map((o) => {
      const isOrdered = nodeKind(o) === 'OrderedExpression';
      const expr = isOrdered ? o.Expression : o;
      const dir = isOrdered && o.Ordering?.AscOrDescKeyword ? String(o.Ordering.AscOrDescKeyword.Text).toLowerCase() : 'desc';
      const nullsText =
        isOrdered && o.Ordering?.NullsClause ? String(o.Ordering.NullsClause.FirstOrLastKeyword.Text).toLowerCase() : undefined;
      const asc = dir === 'asc';
      // Kusto: ascending puts nulls first, descending puts them last, unless told otherwise.
      const nullsFirst = nullsText ? nullsText === 'first' : asc;
      const values = columnValues(materialize(comp.compile(expr), input.length), input.length);
      return { values, sign: asc ? 1 : -1, nullsFirst };
    });
    const order = Uint32Array.from({ length: input.length }, (_, i) => i);
    order.sort((a, b) => {
      for (const k of keys) {
        const x = k.values[a];
        const y = k.values[b];
        const xn = isNull(x);
        const yn = isNull(y);
        if (xn || yn) {
          if (xn && yn) continue;
          return xn === k.nullsFirst ? -1 : 1;
        }
        const c = compareValues(x, y);
        if (c !== 0) return c * k.sign;
      }
      return a - b;
    });
    return selectRows(input, order);
  }

  private top(op: KNode, input: Table): Table {
    const n = this.scalarArg(op.Expression, input);
    if (typeof n !== 'number' || n < 0) throw unsupported('top with a non-numeric count');
    const sorted = this.sort(input, [op.ByExpression]);
    return n >= sorted.length
      ? sorted
      : selectRows(
          sorted,
          Uint32Array.from({ length: n }, (_, i) => i),
        );
  }

  // --- grouping ---

  /** Assigns each row a group by the values of `keys`; returns the group of each row and one representative row per group. */
  private group(keys: RowFn[], length: number): { groupOf: Uint32Array; firstRow: number[] } {
    const groupOf = new Uint32Array(length);
    const firstRow: number[] = [];
    if (keys.length === 0) {
      if (length > 0) firstRow.push(0);
      return { groupOf, firstRow };
    }
    const map = new Map<unknown, number>();
    const single = keys.length === 1 ? keys[0] : undefined;
    for (let r = 0; r < length; r++) {
      let k: unknown;
      if (single) k = valueKey(single(r));
      else {
        let s = '';
        for (const f of keys) {
          const v = valueKey(f(r));
          s += `${typeof v}:${String(v)}\u0000`;
        }
        k = s;
      }
      let g = map.get(k);
      if (g === undefined) {
        g = firstRow.length;
        map.set(k, g);
        firstRow.push(r);
      }
      groupOf[r] = g;
    }
    return { groupOf, firstRow };
  }

  private summarize(op: KNode, input: Table): Table {
    const schema = resultColumns(op);
    const comp = this.compiler(input);
    const byExprs = op.ByClause ? elements(op.ByClause.Expressions) : [];
    const by = byExprs.map((e) => comp.compile(e));
    const { groupOf, firstRow } = this.group(
      by.map((b) => b.fn),
      input.length,
    );
    const aggregators: Aggregator[] = [];
    const outputs: ((g: number) => Value)[] = [];
    for (const expr of elements(op.Aggregates)) this.aggregateOutputs(expr, input, comp, aggregators, outputs);
    // Kusto: summarize without `by` over no rows still gives one row (count() = 0).
    const groups = byExprs.length === 0 ? 1 : firstRow.length;
    for (let r = 0; r < input.length; r++) {
      const g = groupOf[r];
      for (const a of aggregators) a.add(g, r);
    }
    const columns: Value[][] = [];
    by.forEach((b) => {
      columns.push(firstRow.map((r) => b.fn(r)));
    });
    for (const o of outputs) columns.push(Array.from({ length: groups }, (_, g) => o(g)));
    if (columns.length !== schema.length) throw unsupported('this summarize shape');
    return tableFromValues(schema, columns, groups);
  }

  /** Adds the output columns of one summarize aggregate expression (a tuple-valued aggregate adds several). */
  private aggregateOutputs(
    expr: KNode,
    input: Table,
    comp: ScalarCompiler,
    aggregators: Aggregator[],
    outputs: ((g: number) => Value)[],
  ): void {
    const inner = nodeKind(expr) === 'SimpleNamedExpression' ? expr.Expression : expr;
    if (nodeKind(inner) === 'FunctionCallExpression' && AGGREGATES.has(String(inner.Name.SimpleName).toLowerCase())) {
      const agg = this.aggregator(inner, input, comp);
      aggregators.push(agg);
      const width = Math.max(1, resultColumns(inner).length);
      for (let i = 0; i < width; i++) outputs.push((g) => agg.results(g)[i]);
      return;
    }
    // An expression over aggregates, e.g. round(100.0 * countif(x) / count(), 2).
    const slots: Aggregator[] = [];
    let group = 0;
    const outer = new ScalarCompiler(this, undefined, (node, name) => {
      if (!AGGREGATES.has(name.toLowerCase())) return undefined;
      const agg = this.aggregator(node, input, comp);
      slots.push(agg);
      aggregators.push(agg);
      return { type: scalarType(node.ResultType), fn: () => agg.results(group)[0] };
    }).compile(inner);
    outputs.push((g) => {
      group = g;
      return outer.fn(g);
    });
  }

  private aggregator(call: KNode, input: Table, comp: ScalarCompiler): Aggregator {
    const name = String(call.Name.SimpleName).toLowerCase();
    const argNodes = elements(call.ArgumentList?.Expressions);
    const unwrap = (n: KNode) => (nodeKind(n) === 'SimpleNamedExpression' ? n.Expression : n);
    const args = argNodes
      .filter((n) => nodeKind(n) !== 'StarExpression')
      .slice(0, name.startsWith('arg_') || name === 'take_any' || name === 'any' ? 1 : undefined)
      .map((n) => comp.compile(unwrap(n)));
    let extra: RowFn[] = [];
    if (name.startsWith('arg_') || name === 'take_any' || name === 'any') {
      const rest = argNodes.slice(1);
      if (rest.some((n) => nodeKind(n) === 'StarExpression')) {
        extra = resultColumns(call)
          .slice(1)
          .map((c) => {
            let i = findColumn(input.columns, c.name, c.type);
            if (i < 0) i = findColumn(input.columns, c.name.replace(/\d+$/, ''), c.type);
            if (i < 0) throw unsupported(`column ${c.name} in ${name}()`);
            const col = input.data[i];
            return (row: number) => col.get(row);
          });
      } else extra = rest.map((n) => comp.compile(unwrap(n)).fn);
    }
    return createAggregator(name, { args, extra, resultType: scalarType(call.ResultType) });
  }

  private distinct(op: KNode, input: Table): Table {
    const schema = resultColumns(op);
    const exprs = elements(op.Expressions);
    const comp = this.compiler(input);
    const keys =
      exprs.length === 1 && nodeKind(exprs[0]) === 'StarExpression'
        ? input.data.map((c) => (row: number) => c.get(row))
        : exprs.map((e) => comp.compile(e).fn);
    const { firstRow } = this.group(keys, input.length);
    return tableFromValues(
      schema,
      keys.map((k) => firstRow.map((r) => k(r))),
      firstRow.length,
    );
  }

  // --- combining tables ---

  private union(op: KNode, input: Table | undefined): Table {
    const schema = resultColumns(op);
    const params = parameters(op);
    const fuzzy = params.get('isfuzzy') === 'true';
    const withSource = params.get('withsource');
    const legs: { name: string; table: Table }[] = [];
    if (input) legs.push({ name: 'union_arg0', table: input });
    for (const e of elements(op.Expressions)) {
      try {
        legs.push({ name: nodeKind(e) === 'NameReference' ? String(e.SimpleName) : `union_arg${legs.length}`, table: this.evalTable(e) });
      } catch (err) {
        // isfuzzy drops legs whose table does not resolve; any other failure (an unsupported operator) is never a silent gap.
        if (!fuzzy || !missingTables.has(err as object)) throw err;
      }
    }
    const total = legs.reduce((n, l) => n + l.table.length, 0);
    const columns: Value[][] = schema.map(() => new Array<Value>(total));
    let offset = 0;
    for (const leg of legs) {
      const t = leg.table;
      schema.forEach((c, ci) => {
        const target = columns[ci];
        if (withSource && c.name === withSource && ci === 0) {
          target.fill(leg.name, offset, offset + t.length);
          return;
        }
        let i = t.columns.findIndex((x) => x.name === c.name && x.type === c.type);
        if (i < 0) i = t.columns.findIndex((x) => `${x.name}_${x.type}` === c.name);
        if (i < 0) i = t.columns.findIndex((x) => x.name === c.name);
        const src = i >= 0 ? t.data[i] : undefined;
        const empty = c.type === 'string' ? '' : null;
        for (let r = 0; r < t.length; r++) target[offset + r] = src ? src.get(r) : empty;
      });
      offset += t.length;
    }
    return tableFromValues(schema, columns, total);
  }

  private join(op: KNode, left: Table, kind: string): Table {
    const schema = resultColumns(op);
    const right = this.evalTable(op.Expression);
    const clause = op.ConditionClause ?? op.LookupClause;
    if (!clause || nodeKind(clause) !== 'JoinOnClause') throw unsupported('join without an on clause (join ... where)');
    const pairs = elements(clause.Expressions).map(joinKeyPair);
    const keyFn = (t: Table, names: string[]) => {
      const cols = names.map((n) => {
        const i = t.columns.findIndex((c) => c.name === n);
        if (i < 0) throw unsupported(`join key ${n}`);
        return t.data[i];
      });
      return (row: number): unknown => {
        if (cols.length === 1) return valueKey(cols[0].get(row));
        let s = '';
        for (const c of cols) s += `${String(valueKey(c.get(row)))}\u0000`;
        return s;
      };
    };
    const lk = keyFn(
      left,
      pairs.map((p) => p[0]),
    );
    const rk = keyFn(
      right,
      pairs.map((p) => p[1]),
    );
    const rightIndex = new Map<unknown, number[]>();
    for (let r = 0; r < right.length; r++) {
      const k = rk(r);
      if (k === null) continue;
      const list = rightIndex.get(k);
      if (list) list.push(r);
      else rightIndex.set(k, [r]);
    }
    const leftRows: number[] = [];
    const rightRows: number[] = [];
    const rightMatched = new Uint8Array(right.length);
    const seenLeftKeys = new Set<unknown>();
    for (let l = 0; l < left.length; l++) {
      const k = lk(l);
      if (kind === 'innerunique') {
        if (seenLeftKeys.has(k)) continue;
        seenLeftKeys.add(k);
      }
      const matches = k === null ? undefined : rightIndex.get(k);
      switch (kind) {
        case 'leftanti':
        case 'leftantisemi':
          if (!matches) leftRows.push(l);
          break;
        case 'leftsemi':
          if (matches) leftRows.push(l);
          break;
        case 'rightanti':
        case 'rightantisemi':
        case 'rightsemi':
          if (matches) for (const r of matches) rightMatched[r] = 1;
          break;
        default:
          if (matches) {
            for (const r of matches) {
              leftRows.push(l);
              rightRows.push(r);
              rightMatched[r] = 1;
            }
          } else if (kind === 'leftouter' || kind === 'fullouter') {
            leftRows.push(l);
            rightRows.push(-1);
          }
      }
    }
    if (kind === 'rightanti' || kind === 'rightantisemi' || kind === 'rightsemi') {
      const want = kind === 'rightsemi' ? 1 : 0;
      const rows: number[] = [];
      for (let r = 0; r < right.length; r++) if (rightMatched[r] === want) rows.push(r);
      return makeTable(schema, selectRows(right, Uint32Array.from(rows)).data, rows.length);
    }
    if (kind === 'leftanti' || kind === 'leftantisemi' || kind === 'leftsemi') {
      return makeTable(schema, selectRows(left, Uint32Array.from(leftRows)).data, leftRows.length);
    }
    if (kind === 'rightouter' || kind === 'fullouter') {
      for (let r = 0; r < right.length; r++) {
        if (!rightMatched[r]) {
          leftRows.push(-1);
          rightRows.push(r);
        }
      }
    }
    const isLookup = nodeKind(op) === 'LookupOperator';
    const rightKeys = new Set(pairs.filter((p) => p[0] === p[1]).map((p) => p[1]));
    const rightCols = right.columns.map((c, i) => ({ c, i })).filter(({ c }) => !(isLookup && rightKeys.has(c.name)));
    const sources: { table: Table; col: number; rows: number[] }[] = [
      ...left.columns.map((_, i) => ({ table: left, col: i, rows: leftRows })),
      ...rightCols.map(({ i }) => ({ table: right, col: i, rows: rightRows })),
    ];
    if (sources.length !== schema.length) throw unsupported(`this join shape (kind=${kind})`);
    const n = leftRows.length;
    const data: Column[] = sources.map((s, ci) => {
      const col = s.table.data[s.col];
      const type = schema[ci].type;
      const values = new Array<Value>(n);
      for (let r = 0; r < n; r++) {
        const row = s.rows[r];
        values[r] = row < 0 ? (type === 'string' ? '' : null) : col.get(row);
      }
      // lookup and outer joins fill a missing left key from the right side
      return new ArrayColumn(type, values);
    });
    if (isLookup) {
      // lookup has one key column: a row with no left side still shows its key there. (rightouter and fullouter keep
      // both key columns, Key empty and Key1 set, as Kusto documents: unmatched cells are null.)
      pairs.forEach(([ln, rn]) => {
        const li = left.columns.findIndex((c) => c.name === ln);
        const ri = right.columns.findIndex((c) => c.name === rn);
        const target = data[li] as ArrayColumn;
        for (let r = 0; r < n; r++) if (leftRows[r] < 0) target.values[r] = right.data[ri].get(rightRows[r]);
      });
    }
    return makeTable(schema, data, n);
  }

  // --- reshaping ---

  private mvExpand(op: KNode, input: Table): Table {
    const params = parameters(op);
    for (const k of params.keys()) if (k !== 'kind' && k !== 'bagexpansion') throw unsupported(`mv-expand ${k}`);
    if (params.get('bagexpansion') === 'array' || params.get('kind') === 'array') throw unsupported('mv-expand bagexpansion=array');
    const schema = resultColumns(op);
    const comp = this.compiler(input);
    const limitNode = op.RowLimitClause?.RowLimit;
    // The legacy `mvexpand` spelling keeps its old default of 128 rows per input row.
    const legacy = String(op.GetFirstToken().Text).toLowerCase() === 'mvexpand';
    const limit = limitNode ? Number(this.scalarArg(limitNode)) : legacy ? 128 : Number.POSITIVE_INFINITY;
    const targets = elements(op.Expressions).map((me) => {
      const expr = me.Expression;
      const name = nodeKind(expr) === 'SimpleNamedExpression' ? String(expr.Name.SimpleName) : (expressionResultName(expr) ?? '');
      const c = comp.compile(nodeKind(expr) === 'SimpleNamedExpression' ? expr.Expression : expr);
      const typeNode = me.ToTypeOf?.Types ? elements(me.ToTypeOf.Types)[0] : me.ToTypeOf?.Type;
      const to: KustoType | undefined = typeNode ? (String(typeNode.Type?.Text ?? typeNode.GetFirstToken().Text) as KustoType) : undefined;
      return { name, c, to };
    });
    const rowsOut: number[] = [];
    const expanded: Value[][] = targets.map(() => []);
    for (let r = 0; r < input.length; r++) {
      const lists = targets.map((t) => expandValue(t.c.fn(r), t.c.type));
      const n = Math.min(limit, Math.max(...lists.map((l) => l.length)));
      for (let k = 0; k < n; k++) {
        rowsOut.push(r);
        lists.forEach((l, ti) => {
          expanded[ti].push(k < l.length ? l[k] : null);
        });
      }
    }
    const base = selectRows(input, Uint32Array.from(rowsOut));
    const data = schema.map((c) => {
      const ti = targets.findIndex((t) => t.name === c.name);
      if (ti >= 0)
        return new ArrayColumn(
          c.type,
          expanded[ti].map((v) => convertTo(v, c.type)),
        );
      const i = findColumn(base.columns, c.name, c.type);
      if (i < 0) throw unsupported(`mv-expand column ${c.name}`);
      return base.data[i];
    });
    return makeTable(schema, data, rowsOut.length);
  }

  private parse(op: KNode, input: Table): Table {
    const params = parameters(op);
    for (const k of params.keys()) if (k !== 'kind' && k !== 'flags') throw unsupported(`parse ${k}`);
    const plan = parsePlan(elements(op.Patterns), (params.get('kind') ?? 'simple').toLowerCase(), params.get('flags') ?? '');
    const source = this.compiler(input).compile(op.Expression);
    const values: Value[][] = plan.columns.map(() => new Array<Value>(input.length));
    for (let r = 0; r < input.length; r++) {
      const parsed = parseText(plan, toKustoString(source.fn(r), source.type));
      parsed.forEach((v, i) => {
        values[i][r] = v;
      });
    }
    const extended = makeTable(
      [...input.columns.filter((c) => !plan.columns.some((p) => p.name === c.name)), ...plan.columns],
      [
        ...input.data.filter((_, i) => !plan.columns.some((p) => p.name === input.columns[i].name)),
        ...plan.columns.map((c, i) => new ArrayColumn(c.type, values[i])),
      ],
      input.length,
    );
    return this.byName(resultColumns(op), extended);
  }

  private makeSeries(op: KNode, input: Table): Table {
    const schema = resultColumns(op);
    const comp = this.compiler(input);
    const on = comp.compile(op.OnClause.Expression);
    const range = op.RangeClause;
    let startNode: KNode;
    let endNode: KNode;
    let stepNode: KNode;
    if (nodeKind(range) === 'MakeSeriesInRangeClause') [startNode, endNode, stepNode] = elements(range.Arguments.Expressions);
    else if (nodeKind(range) === 'MakeSeriesFromToStepClause') {
      startNode = range.MakeSeriesFromClause?.Expression;
      endNode = range.MakeSeriesToClause?.Expression;
      stepNode = range.MakeSeriesStepClause?.Expression;
    } else throw unsupported('make-series without a step');
    const step = Number(this.scalarArg(stepNode));
    if (!(step > 0)) throw unsupported('make-series with a non-positive step');
    const onValues = columnValues(materialize(on, input.length), input.length);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of onValues) {
      if (typeof v !== 'number') continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const present = lo <= hi;
    // Without `from`/`to`, the series runs from the first bin that has data to the end of the last one (bins of `step`).
    const start = startNode ? Number(this.scalarArg(startNode)) : present ? (binValue(lo, step) as number) : 0;
    const end = endNode ? Number(this.scalarArg(endNode)) : present ? (binValue(hi, step, start) as number) + step : start;
    const bins = Math.max(0, Math.ceil((end - start) / step));
    if (bins > 100_000) throw unsupported('make-series with more than 100000 bins');
    const byExprs = op.ByClause ? elements(op.ByClause.Expressions) : [];
    const by = byExprs.map((e) => comp.compile(e));
    const { groupOf, firstRow } = this.group(
      by.map((b) => b.fn),
      input.length,
    );
    const aggs = elements(op.Aggregates).map((me) => {
      const e = nodeKind(me.Expression) === 'SimpleNamedExpression' ? me.Expression.Expression : me.Expression;
      if (nodeKind(e) !== 'FunctionCallExpression') throw unsupported('make-series with an expression over aggregates');
      const dflt = me.DefaultExpression ? this.scalarArg(me.DefaultExpression.Value ?? me.DefaultExpression.Expression) : 0;
      return { agg: this.aggregator(e, input, comp), dflt, filled: new Set<number>() };
    });
    for (let r = 0; r < input.length; r++) {
      const t = onValues[r];
      if (typeof t !== 'number' || t < start || t >= end) continue;
      const slot = groupOf[r] * bins + Math.floor((t - start) / step);
      for (const a of aggs) {
        a.agg.add(slot, r);
        a.filled.add(slot);
      }
    }
    const groups = byExprs.length === 0 ? (input.length > 0 ? 1 : 0) : firstRow.length;
    const columns: Value[][] = by.map((b) => firstRow.map((r) => b.fn(r)));
    for (const a of aggs) {
      columns.push(
        Array.from({ length: groups }, (_, g) =>
          Array.from({ length: bins }, (_, b) => {
            const slot = g * bins + b;
            return (a.filled.has(slot) ? a.agg.results(slot)[0] : a.dflt) as DynamicValue;
          }),
        ),
      );
    }
    const axis = Array.from({ length: bins }, (_, b) => (on.type === 'datetime' ? formatDatetime(start + b * step) : start + b * step));
    columns.push(Array.from({ length: groups }, () => axis));
    if (columns.length !== schema.length) throw unsupported('this make-series shape');
    return tableFromValues(schema, columns, groups);
  }

  private range(op: KNode): Table {
    const schema = resultColumns(op);
    const from = this.scalarArg(op.From);
    const to = this.scalarArg(op.To);
    const step = this.scalarArg(op.Step);
    if (typeof from !== 'number' || typeof to !== 'number' || typeof step !== 'number' || step === 0) {
      throw unsupported('range with these bounds');
    }
    const n = Math.floor((to - from) / step) + 1;
    if (n > this.maxRows) throw unsupported(`range of more than ${this.maxRows} rows`);
    const values = new Float64Array(Math.max(0, n));
    for (let i = 0; i < values.length; i++) values[i] = from + i * step;
    return makeTable(schema, [new NumberColumn(schema[0].type, values)], values.length);
  }

  private datatable(node: KNode): Table {
    const schema = resultColumns(node);
    const values = elements(node.Values).map((v) => this.scalarArg(v));
    const width = schema.length;
    const rows = Math.floor(values.length / width);
    return tableFromValues(
      schema,
      schema.map((_, ci) => Array.from({ length: rows }, (_, r) => values[r * width + ci])),
      rows,
    );
  }
}

function materialize(c: Compiled, length: number): Column {
  if (c.constant) return new ArrayColumn(c.type, new Array(length).fill(c.constant.value));
  const values = new Array<Value>(length);
  const f = c.fn;
  for (let r = 0; r < length; r++) values[r] = f(r);
  return new ArrayColumn(c.type, values);
}

function findColumn(columns: readonly ColumnDef[], name: string, type?: KustoType): number {
  const i = columns.findIndex((c) => c.name === name && (type === undefined || c.type === type));
  return i >= 0 ? i : columns.findIndex((c) => c.name === name);
}

function expandValue(v: Value, type: KustoType): Value[] {
  if (type !== 'dynamic') return [v];
  if (Array.isArray(v)) return v as Value[];
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => ({ [k]: x }) as Value);
  return [v];
}

function convertTo(v: Value, type: KustoType): Value {
  if (v === null) return type === 'string' ? '' : null;
  switch (type) {
    case 'string':
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'long':
    case 'int':
    case 'real': {
      const n = Number(v);
      return Number.isNaN(n) ? null : type === 'real' ? n : Math.trunc(n);
    }
    case 'bool':
      return typeof v === 'boolean' ? v : String(v).toLowerCase() === 'true';
    case 'dynamic':
      return v;
    default:
      return v;
  }
}

function parameters(op: KNode): Map<string, string> {
  const out = new Map<string, string>();
  const list = op.Parameters;
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) {
    const p = list.getItem(i);
    const name = String(p.Name.SimpleName).toLowerCase();
    const e = p.Expression;
    const value = e.LiteralValue !== undefined && e.LiteralValue !== null ? String(e.LiteralValue) : String(e.GetFirstToken().Text);
    out.set(name, value.toLowerCase() === 'true' || value === 'True' ? 'true' : value);
  }
  return out;
}

const JOIN_KINDS = new Set([
  'innerunique',
  'inner',
  'leftouter',
  'rightouter',
  'fullouter',
  'leftanti',
  'rightanti',
  'leftsemi',
  'rightsemi',
  'leftantisemi',
  'rightantisemi',
  'anti',
]);

function joinKind(op: KNode, dflt: string): string {
  const params = parameters(op);
  for (const k of params.keys()) if (k !== 'kind' && !k.startsWith('hint.')) throw unsupported(`join parameter ${k}`);
  const kind = (params.get('kind') ?? dflt).toLowerCase();
  if (!JOIN_KINDS.has(kind)) throw unsupported(`join kind=${kind}`);
  return kind === 'anti' ? 'leftanti' : kind;
}

/** `on Key` or `on $left.A == $right.B` → [left column, right column]. */
function joinKeyPair(e: KNode): [string, string] {
  const kind = nodeKind(e);
  if (kind === 'NameReference') return [String(e.SimpleName), String(e.SimpleName)];
  if (kind === 'BinaryExpression' && String(e.Operator.Text) === '==') {
    const side = (p: KNode): [string, string] | undefined =>
      nodeKind(p) === 'PathExpression' ? [String(p.Expression.SimpleName), String(p.Selector.SimpleName)] : undefined;
    const a = side(e.Left);
    const b = side(e.Right);
    if (a && b) {
      const left = a[0] === '$left' ? a[1] : b[1];
      const right = a[0] === '$right' ? a[1] : b[1];
      return [left, right];
    }
  }
  throw unsupported('this join condition (use on Column or $left.A == $right.B)');
}

function operatorName(op: KNode): string {
  try {
    // `evaluate bag_unpack(x)` names its plugin, so the error says which one.
    if (nodeKind(op) === 'EvaluateOperator' && op.FunctionCall) return `evaluate ${op.FunctionCall.Name.SimpleName}`;
    return String(op.GetFirstToken().Text);
  } catch {
    return nodeKind(op);
  }
}

/** The render operator's chart kind and its with(...) properties, as the API returns them. */
function renderHint(op: KNode): RenderHint {
  const hint: RenderHint = { visualization: String(op.ChartType.Text) };
  const props = op.WithClause ? elements(op.WithClause.Properties) : [];
  for (const p of props) {
    const name = String(p.Name.SimpleName);
    const e = p.Expression;
    const kind = nodeKind(e);
    let value: unknown;
    if (kind === 'NameReferenceList') value = elements(e.Names).map((n) => String(n.SimpleName));
    else if (kind === 'NameReference') value = [String(e.SimpleName)];
    else if (e.LiteralValue !== undefined && e.LiteralValue !== null)
      value = typeof e.LiteralValue === 'object' ? e.LiteralValueInfo?.ValueText : e.LiteralValue;
    else value = String(e.LiteralValueInfo?.ValueText ?? e.GetFirstToken().Text);
    if (name === 'xcolumn' && Array.isArray(value)) value = value[0];
    if (typeof value === 'string' && /^(ymin|ymax|xmin|xmax)$/.test(name) && !Number.isNaN(Number(value))) value = Number(value);
    hint[name] = value;
  }
  return hint;
}
