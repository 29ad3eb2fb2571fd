/**
 * A question in plain words → a chart and a short summary. The pipeline, one named stage each:
 *
 *   parse (parse-question.ts) → build KQL (build-kql.ts, validated by the official parser)
 *   → run (a LogsGateway: the local workspace or Log Analytics) → summary (summary.ts)
 *   → chart spec (core/charts) → PNG (the injected renderer, off the event loop)
 *
 * `answerQuestion` returns the intermediate values (intent, KQL, timespan, tables) as well, for
 * `ask --json`, tests and a "show query" button.
 */
import type { TopLevelSpec } from 'vega-lite';
import { buildChart, type ChartAttachment } from '../charts/chart-spec.ts';
import { SUMMARY_COLUMNS, WINDOW_TOTAL_COLUMN } from '../charts/columns.ts';
import type { QueryResult, RenderHint, ResultTable } from '../result-table.ts';
import { buildKql } from './build-kql.ts';
import type { Intent, Language } from './intent.ts';
import type { KqlValidator } from './kql-validator.ts';
import type { LogsGateway } from './logs-gateway.ts';
import { parseQuestion } from './parse-question.ts';
import { type PortalLinks, portalLinks, type WorkspaceRef } from './portal-links.ts';
import { summarize } from './summary.ts';

export interface AnswerDeps {
  logs: LogsGateway;
  validator: KqlValidator;
  /** vega-lite spec → PNG bytes (src/render, in worker threads when serving chat). */
  renderPng(spec: TopLevelSpec): Promise<Uint8Array>;
  /** A real workspace: answers carry links that run the same query in the portals. */
  portal?: { workspace: WorkspaceRef; cloud: 'public' | 'usgov' };
}

export interface AnswerRequest {
  question: string;
  /** ms since the epoch: "last 30 days" ends here. */
  now: number;
  /** IANA zone for calendar words ("today", "this week") and axis labels; default UTC. */
  timeZone?: string;
}

export interface Answer {
  question: string;
  intent: Intent;
  kql: string;
  /** ISO 8601 duration the query ran with, ending at `queryEnd`. */
  timespan: string;
  queryEnd: string;
  tables: ResultTable[];
  render?: RenderHint;
  title: string;
  summary: string;
  altText: string;
  /** Absent when nothing matched: there is nothing to draw. */
  png?: Uint8Array;
  /** E.g. the full table as CSV when the image shows only its top rows. */
  attachments: ChartAttachment[];
  links?: PortalLinks;
  warnings: string[];
}

export type AnswerOutcome =
  | { ok: true; answer: Answer }
  | { ok: false; question: string; language: Language; reason: string; suggestions: string[] };

export async function answerQuestion(req: AnswerRequest, deps: AnswerDeps): Promise<AnswerOutcome> {
  const timeZone = req.timeZone ?? 'UTC';
  // 1. parse
  const parsed = parseQuestion(req.question, { now: req.now, timeZone });
  if (!parsed.ok)
    return { ok: false, question: req.question, language: parsed.language, reason: parsed.reason, suggestions: parsed.suggestions };
  const intent = parsed.intent;
  // 2. build and validate
  const built = buildKql(intent, deps.validator);
  // 3. run
  const result = await deps.logs.query({ kql: built.kql, timespan: built.timespan, now: built.now });
  const table = result.tables[0];
  // 4. summary
  const { text, altText } = summarize(table, {
    language: intent.language,
    timeZone,
    windowLabel: intent.window.label,
    chart: built.chart,
    title: built.title,
    render: result.render,
  });
  // 5-6. chart and PNG, unless nothing matched
  const chart =
    windowTotal(table) === 0 || !result.render ? undefined : await drawChart(table, result.render, timeZone, intent.language, deps);
  return {
    ok: true,
    answer: {
      question: req.question,
      intent,
      kql: built.kql,
      timespan: built.timespan,
      queryEnd: new Date(built.now).toISOString(),
      tables: result.tables,
      render: result.render,
      title: built.title,
      summary: text,
      altText,
      png: chart?.png,
      attachments: chart?.attachments ?? [],
      links: deps.portal ? portalLinks(deps.portal.workspace, built.kql, built.timespan, deps.portal.cloud) : undefined,
      warnings: warningsOf(result),
    },
  };
}

async function drawChart(table: ResultTable, render: RenderHint, timeZone: string, language: Language, deps: AnswerDeps) {
  const drawn = render.visualization === 'table' ? withoutSummaryColumns(table) : table;
  const built = buildChart(drawn, render, { timeZone, language });
  return { png: await deps.renderPng(built.spec), attachments: built.attachments };
}

/** The catalog's queries carry the window's total in every row (build-kql.ts); other results have none. */
function windowTotal(table: ResultTable | undefined): number | undefined {
  if (!table) return 0;
  const i = table.columns.findIndex((c) => c.name === WINDOW_TOTAL_COLUMN);
  if (i < 0) return undefined;
  return table.rows.length === 0 ? 0 : Number(table.rows[0][i]);
}

function withoutSummaryColumns(table: ResultTable): ResultTable {
  const keep = table.columns.map((c, i) => (SUMMARY_COLUMNS.includes(c.name) ? -1 : i)).filter((i) => i >= 0);
  return { name: table.name, columns: keep.map((i) => table.columns[i]), rows: table.rows.map((r) => keep.map((i) => r[i])) };
}

function warningsOf(result: QueryResult): string[] {
  return result.warnings ?? [];
}
