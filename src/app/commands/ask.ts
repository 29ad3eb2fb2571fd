/**
 * `ask "<question>" [--now ISO] [--tz ZONE] [--json] [--out chart.png] [--workspace NAME]`:
 * a question in plain words (English or Chinese) → the KQL it ran, a summary, and the chart.
 * Sandbox mode answers from the local workspace; real mode from the configured Log Analytics
 * workspace, with links that run the same query in the Azure and Defender portals.
 */
import type { Clock } from '../../core/clock.ts';
import { ChatopsError } from '../../core/errors.ts';
import { type CommandContext, type CommandSpec, clockFlag, stringFlag } from '../command.ts';

export interface AskOptions {
  question: string;
  clock: Clock;
  timeZone: string | undefined;
  out: string | undefined;
  workspace: string | undefined;
}

export async function ask(ctx: CommandContext, options: AskOptions): Promise<number> {
  // Loaded here, not at the top: other commands must not pay for the engine and the renderer.
  const [{ answerQuestion }, { isTimeZone }, { questionLogs }, { kqlValidator }, { renderPng }, { writeFile }, { resolve }] =
    await Promise.all([
      import('../../core/questions/answer.ts'),
      import('../../core/questions/time-window.ts'),
      import('../question-logs.ts'),
      import('../../kql/validator.ts'),
      import('../../render/render-png.ts'),
      import('node:fs/promises'),
      import('node:path'),
    ]);
  const timeZone = options.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone))
    throw new ChatopsError('bad_input', `--tz expects an IANA time zone such as UTC, Europe/Berlin or Asia/Shanghai, got "${timeZone}"`);
  const { logs, portal } = await questionLogs(ctx.config(), options.workspace);
  try {
    const outcome = await answerQuestion(
      { question: options.question, now: options.clock.now(), timeZone },
      { logs, validator: kqlValidator, renderPng, portal },
    );
    if (!outcome.ok) {
      if (ctx.json)
        ctx.printJson({
          question: outcome.question,
          error: { code: 'bad_input', message: outcome.reason },
          suggestions: outcome.suggestions,
        });
      else ctx.io.stderr.write(`${[outcome.reason, ...outcome.suggestions.map((s) => `  • ${s}`)].join('\n')}\n`);
      return 1;
    }
    const a = outcome.answer;
    let written: string | undefined;
    if (options.out) {
      if (!a.png) throw new ChatopsError('bad_input', `${a.summary} There is no chart to write.`);
      written = resolve(ctx.io.cwd, options.out);
      await writeFile(written, a.png);
    }
    if (ctx.json) {
      ctx.printJson({
        question: a.question,
        intent: a.intent,
        kql: a.kql,
        timespan: a.timespan,
        queryEnd: a.queryEnd,
        tables: a.tables,
        render: a.render,
        title: a.title,
        summary: a.summary,
        altText: a.altText,
        links: a.links,
        warnings: a.warnings,
        chart: written,
      });
    } else {
      ctx.print(a.title);
      ctx.print(a.summary);
      for (const w of a.warnings) ctx.print(`warning: ${w}`);
      ctx.print(`\nKQL (timespan ${a.timespan} ending ${a.queryEnd}):\n${a.kql}`);
      if (a.links) ctx.print(`\nRun it in the Azure portal: ${a.links.azurePortal}\nor the Defender portal: ${a.links.defenderPortal}`);
      if (written) ctx.print(`\nchart written to ${written}`);
    }
    return 0;
  } finally {
    await logs.close();
  }
}

export const askCommand: CommandSpec = {
  name: 'ask',
  summary: 'answer a question in plain words (English or Chinese) with KQL, a summary and a chart',
  usage: '"<question>" [--now <ISO time>] [--tz <zone>] [--json] [--out chart.png] [--workspace <name>]',
  details: [
    '"<question>"         e.g. "AWS activity last 30 days", "过去7天失败的控制台登录", "top 5 event names this week"',
    '--now <ISO time>     fix now: the end of "last N days" and the reference for "today", "this week"',
    '--tz <zone>          IANA time zone for calendar words and chart axes (default UTC)',
    '--json               {question, intent, kql, timespan, tables, render, summary, …}',
    '--out <chart.png>    write the chart',
    '--workspace <name>   in real mode, which configured workspace to query (default: the first)',
  ],
  options: { now: { type: 'string' }, tz: { type: 'string' }, out: { type: 'string' }, workspace: { type: 'string' } },
  positionals: { min: 1, max: 1, name: '"<question>"' },
  run: (ctx, args) =>
    ask(ctx, {
      question: args.positionals[0],
      clock: clockFlag(args),
      timeZone: stringFlag(args, 'tz'),
      out: stringFlag(args, 'out'),
      workspace: stringFlag(args, 'workspace'),
    }),
};
