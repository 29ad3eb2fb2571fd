/**
 * `kql <file|-> [--timespan P30D] [--now <ISO>] [--json] [--out chart.png]`: runs a query against
 * the local workspace. Prints a table, or with --json the Log Analytics REST shape
 * (`{"tables":[…], "render":{…}}`, see core/result-table.ts); `--out` writes the chart PNG.
 */
import type { Clock } from '../../core/clock.ts';
import { type CommandContext, type CommandSpec, clockFlag, readTextSource, stringFlag } from '../command.ts';

export interface KqlOptions {
  /** A file path, or `-` for stdin (read it with `readTextSource(ctx.io, source, 'query file')`). */
  source: string;
  /** ISO 8601 duration (`P30D`, `PT12H`) as given; `[now − timespan, now]` on every table's TimeGenerated. */
  timespan: string | undefined;
  /** `--now` as a fixed clock, else the system clock: fixes now() and the end of the timespan. */
  clock: Clock;
  /** Path of the PNG to write when the query ends in `render`. */
  out: string | undefined;
}

/** Returns the exit code; throws ChatopsError (query_syntax, query_semantic, unsupported_query, …) on failure. */
export async function kql(ctx: CommandContext, options: KqlOptions): Promise<number> {
  // Loaded here, not at the top: `help`, `version` and `serve` must not pay for the engine and the renderer.
  const [{ runLocalQuery }, { openWorkspace }, { writeChartPng }, { formatTextTable }] = await Promise.all([
    import('../../cloud/logs/local/run-local-query.ts'),
    import('../../cloud/logs/local/workspace.ts'),
    import('../chart-file.ts'),
    import('../output/text-table.ts'),
  ]);
  const text = await readTextSource(ctx.io, options.source, 'query file');
  const workspace = await openWorkspace(ctx.config().dataDir);
  const result = runLocalQuery(workspace.table(), { kql: text, timespan: options.timespan, now: options.clock.now() });
  const chart = options.out ? await writeChartPng(result, options.out, ctx.io.cwd) : undefined;
  if (ctx.json) {
    ctx.printJson(result);
  } else {
    for (const t of result.tables) ctx.print(formatTextTable(t));
    if (chart) ctx.print(`chart written to ${chart}`);
  }
  return 0;
}

export const kqlCommand: CommandSpec = {
  name: 'kql',
  summary: 'run a KQL query against the local workspace',
  usage: '<file|-> [--timespan P30D] [--now <ISO time>] [--json] [--out chart.png]',
  details: [
    '<file|->            a file with the query, or - to read it from stdin',
    '--timespan <ISO>    query time range ending at now, e.g. P30D or PT12H (as the Log Analytics API)',
    '--now <ISO time>    fix now() and the end of the time range, e.g. 2025-01-31T00:00:00Z',
    '--json              the result as Log Analytics REST JSON, with the render hint',
    '--out <chart.png>   write the chart of a query that ends in render',
  ],
  options: { timespan: { type: 'string' }, now: { type: 'string' }, out: { type: 'string' } },
  positionals: { min: 1, max: 1, name: '<file|->' },
  run: (ctx, args) =>
    kql(ctx, { source: args.positionals[0], timespan: stringFlag(args, 'timespan'), clock: clockFlag(args), out: stringFlag(args, 'out') }),
};
