import { ChatopsError } from '../../core/errors.ts';
import { type CommandContext, type CommandSpec, usageHint } from '../command.ts';

const GLOBAL_FLAGS = [
  ['--data-dir <dir>', 'data directory (default: DATA_DIR, else ./.data)'],
  ['--json', 'machine-readable output; errors also as {"error":{"code","message"}} on stdout'],
  ['-h, --help', 'help for a command'],
  ['--version', 'print the version'],
] as const;

export function usageText(commands: readonly CommandSpec[]): string {
  const rows = commands.map((c) => [`${c.name}${c.usage ? ` ${c.usage}` : ''}`, c.summary] as const);
  return [
    'sentinel-chatops: a Slack/Teams bot for Microsoft Sentinel and AWS CloudTrail',
    '',
    'Usage: sentinel-chatops [--data-dir <dir>] [--json] <command> [arguments]',
    '',
    'Commands:',
    ...columns(rows),
    '',
    'Global options:',
    ...columns(GLOBAL_FLAGS),
    '',
    'Exit codes: 0 success; 1 bad input or unsupported query; 2 environment (configuration,',
    'unreachable service, data directory in use); 3 a bug.',
    'Configuration comes from environment variables or a .env file: see README.md.',
  ].join('\n');
}

export function commandHelpText(spec: CommandSpec): string {
  return [
    `Usage: sentinel-chatops ${spec.name}${spec.usage ? ` ${spec.usage}` : ''}`,
    '',
    `${spec.summary[0].toUpperCase()}${spec.summary.slice(1)}.`,
    ...(spec.details && spec.details.length > 0 ? ['', ...spec.details.map((d) => `  ${d}`)] : []),
    '',
    'Global options:',
    ...columns(GLOBAL_FLAGS),
  ].join('\n');
}

export function groupHelpText(commands: readonly CommandSpec[], group: string): string {
  const subs = commands.filter((c) => c.name.startsWith(`${group} `));
  return [
    `Usage: sentinel-chatops ${group} <${subs.map((c) => c.name.slice(group.length + 1)).join('|')}> [arguments]`,
    '',
    ...columns(subs.map((c) => [`${c.name}${c.usage ? ` ${c.usage}` : ''}`, c.summary] as const)),
  ].join('\n');
}

/** `help [command...]`: the command list, or one command's (or group's) usage. */
export async function help(ctx: CommandContext, commands: readonly CommandSpec[], topic: readonly string[]): Promise<number> {
  const name = topic.join(' ');
  const spec = commands.find((c) => c.name === name);
  if (name === '') ctx.print(usageText(commands));
  else if (spec) ctx.print(commandHelpText(spec));
  else if (commands.some((c) => c.name.startsWith(`${name} `))) ctx.print(groupHelpText(commands, name));
  else throw new ChatopsError('bad_input', `unknown command '${name}'; ${usageHint()}`);
  return 0;
}

/** The help command over a command list (a function, so that the registry can include it). */
export function makeHelpCommand(commands: () => readonly CommandSpec[]): CommandSpec {
  return {
    name: 'help',
    summary: 'list the commands, or show how to use one',
    usage: '[command]',
    positionals: { max: 2 },
    run: (ctx, args) => help(ctx, commands(), args.positionals),
  };
}

function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.min(48, Math.max(...rows.map(([left]) => left.length)));
  return rows.map(([left, right]) =>
    left.length > width ? `  ${left}\n  ${' '.repeat(width)}  ${right}` : `  ${left.padEnd(width)}  ${right}`,
  );
}
