/**
 * Composes the KQL text of a catalog entry from a spec: three shapes (a zero-filled time series,
 * a ranking of groups, a table of groups), all with the same frame:
 *
 *   let Start = datetime(…); let End = datetime(…); let PrevStart = datetime(…);   explicit instants
 *   let Events = AWSCloudTrail | where <time> | where <kind> | where <filters>…     every branch reads this
 *       | project TimeGenerated, <only the columns the result needs>;
 *   let CurrentEvents = …;  let PreviousEvents = …;                                [Start, End), [PrevStart, Start)
 *   let WindowTotal = toscalar(CurrentEvents | count);
 *   let PreviousTotal = toscalar(PreviousEvents | count);
 *   <primary table> | project …, WindowTotal, PreviousTotal
 *   | render <chart> with (title=…, xtitle=…, ytitle=…, …)
 *
 * Nothing here writes user text except through kql-literal.ts.
 */
import type { TimeWindow } from '../intent.ts';
import { type ColumnName, column, datetimeLiteral, intLiteral, stringLiteral, timespanLiteral } from '../kql-literal.ts';

export type ChartKind = 'timechart' | 'columnchart' | 'barchart' | 'piechart' | 'table' | 'linechart' | 'areachart';

/** The instants a query covers, resolved from the intent's window. */
export interface QueryFrame {
  start: number;
  end: number;
  /** start − (end − start): the previous period of the same length. */
  prevStart: number;
  bin: number;
  binOrigin: number;
  /** For "new X" kinds: how far before each period a value must be absent. */
  lookback?: number;
}

export function frameOf(window: TimeWindow, lookback?: number): QueryFrame {
  return {
    start: window.start,
    end: window.end,
    prevStart: window.start - (window.end - window.start),
    bin: window.bin,
    binOrigin: window.binOrigin,
    lookback,
  };
}

/** The earliest instant the query reads: the query time range must cover [earliest, end). */
export function earliestOf(f: QueryFrame): number {
  return f.prevStart - (f.lookback ?? 0);
}

/** Start of the bin (aligned to `origin`) that holds `t`. */
export function binAt(t: number, bin: number, origin: number): number {
  return origin + Math.floor((t - origin) / bin) * bin;
}

/** Identity of the caller: user name, else the role of an assumed-role session, else the last part of the ARN, else the AWS service. */
export const IDENTITY_EXPR =
  'coalesce(UserIdentityUserName, SessionIssuerUserName, tostring(split(UserIdentityArn, "/")[-1]), UserIdentityInvokedBy)';

export interface Labels {
  title: string;
  xtitle: string;
  ytitle: string;
}

interface Common {
  /** Conditions of the kind (fixed text), joined with `and` in one `where`. */
  predicate: readonly string[];
  /** Conditions from the question's filters (built with literals), one `where` each. */
  filters: readonly string[];
  labels: Labels;
}

/** A zero-filled time series: one row per bin (and per series), sorted by time. */
export interface SeriesSpec extends Common {
  shape: 'series';
  chart: 'timechart' | 'linechart' | 'areachart' | 'columnchart';
  legend:
    | { kind: 'constant'; value: string }
    /** A fixed set of series; the predicate must keep only events whose `expr` is one of them. */
    | { kind: 'fixed'; expr: string; values: readonly string[] }
    /** The `limit` busiest values of a column in the window. */
    | { kind: 'top'; column: ColumnName; limit: number };
}

/** Groups ranked by their count in the window: `summarize Count = count() by <group>`, the top `limit`. */
export interface RankSpec extends Common {
  shape: 'rank';
  chart: 'columnchart' | 'barchart' | 'piechart' | 'table';
  group: ColumnName;
  limit: number;
  /** Count only events whose `group` value was absent in the `lookback` before each period. */
  novelty?: boolean;
}

/** A table of event groups with first and last time seen, busiest first. */
export interface TableSpec extends Common {
  shape: 'table';
  chart: 'table';
  groups: readonly ColumnName[];
  limit: number;
}

export type QuerySpec = SeriesSpec | RankSpec | TableSpec;

const INDENT = '    ';

export function composeQuery(spec: QuerySpec, f: QueryFrame): string {
  const lines: string[] = [];
  lines.push(`let Start = ${datetimeLiteral(f.start)};`);
  lines.push(`let End = ${datetimeLiteral(f.end)};`);
  lines.push(`let PrevStart = ${datetimeLiteral(f.prevStart)};`);
  const novelty = spec.shape === 'rank' && spec.novelty === true;
  if (novelty) {
    if (f.lookback === undefined) throw new Error('composeQuery: a novelty query needs a lookback');
    lines.push(`let Lookback = ${timespanLiteral(f.lookback)};`);
  }
  if (spec.shape === 'series') {
    lines.push(`let BinSize = ${timespanLiteral(f.bin)};`);
    lines.push(`let BinOrigin = ${datetimeLiteral(f.binOrigin)};`);
  }
  lines.push(...eventsLet(spec, novelty ? 'PrevStart - Lookback' : 'PrevStart'));
  if (novelty) {
    const g = column((spec as RankSpec).group);
    lines.push(`let KnownBefore = Events | where TimeGenerated >= Start - Lookback and TimeGenerated < Start | distinct ${g};`);
    lines.push(`let KnownBeforePrevious = Events | where TimeGenerated < PrevStart | distinct ${g};`);
    lines.push(`let CurrentEvents = Events | where TimeGenerated >= Start | join kind=leftanti KnownBefore on ${g};`);
    lines.push(
      `let PreviousEvents = Events | where TimeGenerated >= PrevStart and TimeGenerated < Start | join kind=leftanti KnownBeforePrevious on ${g};`,
    );
  } else {
    lines.push('let CurrentEvents = Events | where TimeGenerated >= Start;');
    lines.push('let PreviousEvents = Events | where TimeGenerated < Start;');
  }
  lines.push('let WindowTotal = toscalar(CurrentEvents | count);');
  lines.push('let PreviousTotal = toscalar(PreviousEvents | count);');
  switch (spec.shape) {
    case 'series':
      lines.push(...seriesBody(spec, f));
      break;
    case 'rank':
      lines.push(...rankBody(spec));
      break;
    case 'table':
      lines.push(...tableBody(spec));
      break;
  }
  return lines.join('\n');
}

function eventsLet(spec: QuerySpec, from: string): string[] {
  const out = ['let Events = AWSCloudTrail', `| where TimeGenerated >= ${from} and TimeGenerated < End`];
  if (spec.predicate.length > 0) out.push(`| where ${spec.predicate.join('\n    and ')}`);
  for (const filter of spec.filters) out.push(`| where ${filter}`);
  out.push(`| project ${['TimeGenerated', ...projection(spec)].join(', ')};`);
  return out;
}

/** Besides TimeGenerated, only what the rest of the query reads (computed columns computed here, once). */
function projection(spec: QuerySpec): string[] {
  const keep = (c: ColumnName) => (c === 'Identity' ? `${column('Identity')} = ${IDENTITY_EXPR}` : column(c));
  switch (spec.shape) {
    case 'series':
      if (spec.legend.kind === 'constant') return [];
      if (spec.legend.kind === 'fixed') return [`${column('Legend')} = ${spec.legend.expr}`];
      return [keep(spec.legend.column)];
    case 'rank':
      return [keep(spec.group)];
    case 'table':
      return [...spec.groups.map(keep), column('ErrorCode')];
  }
}

function seriesBody(spec: SeriesSpec, f: QueryFrame): string[] {
  const first = binAt(f.start, f.bin, f.binOrigin);
  const last = binAt(f.end - 1, f.bin, f.binOrigin);
  const out: string[] = [];
  out.push(`let FirstBin = ${datetimeLiteral(first)};`);
  out.push(`let LastBin = ${datetimeLiteral(last)};`);
  const bin = 'bin_at(TimeGenerated, BinSize, BinOrigin)';
  const legend = spec.legend;
  const render = renderClause(spec.chart, spec.labels, { xcolumn: 'Time', ycolumns: 'Value', series: 'Legend' });
  if (legend.kind === 'constant') {
    out.push('range TimeGenerated from FirstBin to LastBin step BinSize');
    out.push('| extend Count = long(0)');
    out.push(`| union isfuzzy=true (CurrentEvents\n${INDENT}| summarize Count = count() by ${bin})`);
    out.push(`| summarize Count = max(Count) by ${bin}`);
    out.push('| sort by TimeGenerated asc');
    out.push(`| project Time = TimeGenerated, Legend = ${stringLiteral(legend.value)}, Value = Count, WindowTotal, PreviousTotal`);
    out.push(render);
    return out;
  }
  let legendValues: string;
  let counted: string;
  if (legend.kind === 'fixed') {
    legendValues = `dynamic([${legend.values.map(stringLiteral).join(', ')}])`;
    counted = `CurrentEvents\n${INDENT}| summarize Count = count() by ${bin}, Legend`;
  } else {
    const c = column(legend.column);
    out.push(
      `let SeriesList = toscalar(CurrentEvents | summarize Count = count() by ${c} | sort by Count desc, ${c} asc | take ${intLiteral(legend.limit, 1, 50)} | summarize make_list(${c}));`,
    );
    // No event in the window: one empty series, so that the rows (and the totals they carry) are still there.
    legendValues = 'iff(array_length(SeriesList) == 0, dynamic([""]), SeriesList)';
    counted = `CurrentEvents\n${INDENT}| where set_has_element(SeriesList, ${c})\n${INDENT}| summarize Count = count() by ${bin}, Legend = ${c}`;
  }
  out.push('range TimeGenerated from FirstBin to LastBin step BinSize');
  out.push(`| extend Count = long(0), Legend = ${legendValues}`);
  out.push('| mv-expand Legend to typeof(string)');
  out.push(`| union isfuzzy=true (${counted})`);
  out.push(`| summarize Count = max(Count) by ${bin}, Legend`);
  out.push('| sort by TimeGenerated asc, Legend asc');
  out.push('| project Time = TimeGenerated, Legend, Value = Count, WindowTotal, PreviousTotal');
  out.push(render);
  return out;
}

function rankBody(spec: RankSpec): string[] {
  const g = column(spec.group);
  const props = spec.chart === 'table' ? {} : { xcolumn: g, ycolumns: 'Count' };
  return [
    'CurrentEvents',
    `| summarize Count = count() by ${g}`,
    // No event in the window: one placeholder row (empty group, Count 0), so that the totals are still there.
    `| union (print ${g} = "", Count = long(0) | where WindowTotal == 0)`,
    `| sort by Count desc, ${g} asc`,
    `| take ${intLiteral(spec.limit, 1, 50)}`,
    `| project ${g}, Count, WindowTotal, PreviousTotal`,
    renderClause(spec.chart, spec.labels, props),
  ];
}

function tableBody(spec: TableSpec): string[] {
  const gs = spec.groups.map(column);
  const empty = gs.map((g) => `${g} = ""`).join(', ');
  return [
    'CurrentEvents',
    `| summarize Count = count(), Failed = countif(isnotempty(ErrorCode)), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by ${gs.join(', ')}`,
    `| union (print ${empty}, Count = long(0), Failed = long(0), FirstSeen = datetime(null), LastSeen = datetime(null) | where WindowTotal == 0)`,
    `| sort by Count desc, ${gs.map((g) => `${g} asc`).join(', ')}`,
    `| take ${intLiteral(spec.limit, 1, 50)}`,
    `| project ${gs.join(', ')}, Count, Failed, FirstSeen, LastSeen, WindowTotal, PreviousTotal`,
    renderClause('table', spec.labels, {}),
  ];
}

/** `render <chart> with (title=…, xtitle=…, ytitle=…, <column properties>)`; titles are string literals. */
function renderClause(chart: ChartKind, labels: Labels, columns: { xcolumn?: string; ycolumns?: string; series?: string }): string {
  const props = [`title=${stringLiteral(labels.title)}`];
  if (chart !== 'table') props.push(`xtitle=${stringLiteral(labels.xtitle)}`, `ytitle=${stringLiteral(labels.ytitle)}`);
  if (columns.xcolumn) props.push(`xcolumn=${columns.xcolumn}`);
  if (columns.ycolumns) props.push(`ycolumns=${columns.ycolumns}`);
  if (columns.series) props.push(`series=${columns.series}`);
  return `| render ${chart} with (${props.join(', ')})`;
}
