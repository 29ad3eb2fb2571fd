/**
 * `sentinel-chatops <command>`: finds the command (commands/index.ts), parses its flags with
 * node:util parseArgs, holds the data directory lock for commands that write it, runs it, and
 * turns any failure into the error contract (DESIGN.md): exit 1 (bad input, unsupported query),
 * 2 (environment) or 3 (a bug), one line per problem on stderr saying what is wrong and what to
 * do, and with --json also `{"error":{"code","message"}}` on stdout.
 */
import { parseArgs } from 'node:util';
import { asChatopsError, ChatopsError, exitCodeFor } from '../core/errors.ts';
import { type CliIo, type CommandArgs, type CommandContext, type CommandSpec, usageHint } from './command.ts';
import { commandHelpText, groupHelpText, usageText } from './commands/help.ts';
import { COMMANDS } from './commands/index.ts';
import { type Config, loadConfig } from './config.ts';
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts';
import { createLogger, type Logger } from './logger.ts';
import { secretValuesFromEnv } from './redact.ts';

const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const fullIo: CliIo = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    stdin: io.stdin ?? process.stdin,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
    shutdownSignal: io.shutdownSignal,
  };
  const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const json = beforeDashes.includes('--json');
  let lock: DataDirLock | undefined;
  try {
    const invocation = resolveCommand(argv);
    if (invocation.kind === 'text') {
      fullIo.stdout.write(`${invocation.text}\n`);
      return 0;
    }
    const { spec, args } = invocation;
    const ctx = createContext(fullIo, json, stringValue(args.values['data-dir']), () => lock);
    if (spec.writesDataDir) {
      lock = await lockDataDir(ctx.config().dataDir, { command: spec.name, cwd: fullIo.cwd });
    }
    return await spec.run(ctx, args);
  } catch (err) {
    return reportError(err, fullIo, json);
  } finally {
    await lock?.release();
  }
}

type Invocation = { kind: 'text'; text: string } | { kind: 'run'; spec: CommandSpec; args: CommandArgs };

/** Global flags may come before the command; the command's own flags (and globals) after it. */
function resolveCommand(argv: readonly string[]): Invocation {
  let i = 0;
  for (; i < argv.length; i++) {
    const t = argv[i];
    if (t === '--data-dir') i++;
    else if (t.startsWith('--data-dir=') || t === '--json' || t === '--help' || t === '-h' || t === '--version') continue;
    else if (t.startsWith('-')) throw new ChatopsError('bad_input', `unknown option '${t}'; ${usageHint()}`);
    else break;
  }
  const leading = argv.slice(0, Math.min(i, argv.length));
  if (i >= argv.length) {
    if (leading.includes('--version')) return run(findSpec('version'), leading, []);
    return { kind: 'text', text: usageText(COMMANDS) };
  }

  const first = argv[i];
  let name = first;
  let rest = argv.slice(i + 1);
  const isGroup = COMMANDS.some((c) => c.name.startsWith(`${first} `));
  if (isGroup) {
    const sub = rest[0];
    const wantsHelp = [...leading, ...rest].some((t) => t === '--help' || t === '-h');
    if (sub === undefined || sub.startsWith('-')) {
      if (wantsHelp) return { kind: 'text', text: groupHelpText(COMMANDS, first) };
      throw new ChatopsError('bad_input', `'${first}' needs a subcommand: ${subcommands(first).join(', ')}; ${usageHint(first)}`);
    }
    name = `${first} ${sub}`;
    rest = rest.slice(1);
    if (findSpecOrUndefined(name) === undefined) {
      throw new ChatopsError(
        'bad_input',
        `unknown command '${name}'; '${first}' has ${subcommands(first).join(', ')}; ${usageHint(first)}`,
      );
    }
  }
  const spec = findSpecOrUndefined(name);
  if (spec === undefined) throw new ChatopsError('bad_input', `unknown command '${name}'; ${usageHint()}`);
  return run(spec, leading, rest);
}

function run(spec: CommandSpec, leading: readonly string[], rest: readonly string[]): Invocation {
  const options = { ...GLOBAL_OPTIONS, ...spec.options };
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...leading, ...rest], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ChatopsError('bad_input', `${describeParseError(err)}; ${usageHint(spec.name)}`, { cause: err });
  }
  if (parsed.values.help) return { kind: 'text', text: commandHelpText(spec) };
  const { min = 0, max = Number.POSITIVE_INFINITY, name = 'argument' } = spec.positionals ?? {};
  const n = parsed.positionals.length;
  if (n < min) throw new ChatopsError('bad_input', `${spec.name} needs ${name}; ${usageHint(spec.name)}`);
  if (n > max)
    throw new ChatopsError('bad_input', `unexpected argument '${parsed.positionals[max]}' for ${spec.name}; ${usageHint(spec.name)}`);
  return { kind: 'run', spec, args: { values: parsed.values as CommandArgs['values'], positionals: parsed.positionals } };
}

function describeParseError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(e.message ?? '')?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${quoted ?? '?'}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return quoted ? `option '${quoted.split(' ')[0]}' needs a value` : (e.message ?? 'invalid option value');
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted ?? '?'}'`;
    default:
      return e.message ?? String(err);
  }
}

function findSpecOrUndefined(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function findSpec(name: string): CommandSpec {
  const spec = findSpecOrUndefined(name);
  if (spec === undefined) throw new ChatopsError('internal', `command '${name}' is not registered`);
  return spec;
}

function subcommands(group: string): string[] {
  return COMMANDS.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.slice(group.length + 1));
}

function stringValue(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function createContext(io: CliIo, json: boolean, dataDirFlag: string | undefined, lock: () => DataDirLock | undefined): CommandContext {
  let config: Config | undefined;
  let logger: Logger | undefined;
  const ctx: CommandContext = {
    io,
    json,
    config() {
      if (config === undefined) {
        config = loadConfig(io.env, { dataDir: dataDirFlag, cwd: io.cwd });
        // Variables from .env are also for the cloud SDKs, which read process.env themselves.
        if (config.envFile && io.env === process.env) process.loadEnvFile(config.envFile);
      }
      return config;
    },
    logger() {
      logger ??= createLogger({ level: ctx.config().logLevel, secrets: secretValuesFromEnv(io.env) });
      return logger;
    },
    get lock() {
      return lock();
    },
    print(text) {
      io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    printJson(value) {
      io.stdout.write(`${JSON.stringify(value)}\n`);
    },
  };
  return ctx;
}

function reportError(err: unknown, io: CliIo, json: boolean): number {
  const e = asChatopsError(err);
  const lines = e.userText.split('\n');
  io.stderr.write(lines.map((line) => `error: ${line}\n`).join(''));
  if (e.code === 'internal' && /^(debug|trace)$/i.test(io.env.LOG_LEVEL ?? '')) {
    const cause = e.cause instanceof Error ? e.cause : e;
    io.stderr.write(`${cause.stack ?? String(cause)}\n`);
  }
  if (json) {
    const message = e.details.length > 0 ? `${e.message.replace(/:$/, '')}: ${e.details.join('; ')}` : e.message;
    const error: Record<string, unknown> = { code: e.code, message };
    if (e.details.length > 0) error.details = e.details;
    if (e.reference) error.reference = e.reference;
    io.stdout.write(`${JSON.stringify({ error })}\n`);
  }
  return exitCodeFor(e);
}
