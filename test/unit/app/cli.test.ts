import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { main } from '../../../src/app/cli.ts';
import type { CliIo } from '../../../src/app/command.ts';
import { COMMANDS } from '../../../src/app/commands/index.ts';

const root = mkdtempSync(join(tmpdir(), 'cli-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], io: Partial<CliIo> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const cwd = join(root, `run${n++}`);
  mkdirSync(cwd);
  const code = await main(argv, {
    cwd,
    env: { LOG_LEVEL: 'silent' },
    stdin: Readable.from([]),
    ...io,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

describe('cli: help and version', () => {
  it('help lists every command, including the ones others fill in', async () => {
    const r = await run(['help']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    for (const c of ['serve', 'workspace import', 'workspace generate', 'workspace stats', 'kql', 'ask', 'help', 'version']) {
      assert.ok(
        COMMANDS.some((spec) => spec.name === c),
        c,
      );
    }
    for (const spec of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${spec.name}\\b`, 'm'), spec.name);
    assert.match(r.stdout, /--timespan P30D/);
    assert.match(r.stdout, /Exit codes/);
  });

  it('prints usage with no command, and per-command help with --help anywhere', async () => {
    assert.match((await run([])).stdout, /^Usage: sentinel-chatops/m);
    const kql = await run(['kql', '--help']);
    assert.equal(kql.code, 0);
    assert.match(kql.stdout, /^Usage: sentinel-chatops kql <file\|-> \[--timespan P30D\]/);
    assert.match((await run(['--help', 'workspace', 'generate'])).stdout, /--events-per-day/);
    assert.match((await run(['workspace', '--help'])).stdout, /<import\|generate\|stats>/);
    assert.match((await run(['help', 'workspace', 'import'])).stdout, /<file\|dir>\.\.\./);
  });

  it('prints the version, as JSON with --json', async () => {
    assert.match((await run(['version'])).stdout, /^sentinel-chatops \d+\.\d+\.\d+/);
    assert.match((await run(['--version'])).stdout, /^sentinel-chatops \d+\.\d+\.\d+/);
    const v = JSON.parse((await run(['version', '--json'])).stdout);
    assert.equal(v.name, 'sentinel-chatops');
  });
});

describe('cli: errors', () => {
  it('an unknown command exits 1 with one line and a usage hint', async () => {
    const r = await run(['frobnicate']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, "error: unknown command 'frobnicate'; see 'sentinel-chatops help'\n");
  });

  it('bad flags, missing arguments and bad values exit 1', async () => {
    const cases: [string[], RegExp][] = [
      [['kql', 'q.kql', '--bogus'], /^error: unknown option '--bogus'; see 'sentinel-chatops help kql'\n$/],
      [['--bogus', 'help'], /^error: unknown option '--bogus'/],
      [['kql'], /^error: kql needs <file\|->; see 'sentinel-chatops help kql'\n$/],
      [['kql', 'a.kql', 'b.kql'], /^error: unexpected argument 'b\.kql' for kql/],
      [['kql', 'q.kql', '--timespan'], /^error: option '--timespan' needs a value/],
      [['workspace'], /^error: 'workspace' needs a subcommand: import, generate, stats/],
      [['workspace', 'delete'], /^error: unknown command 'workspace delete'/],
      [['workspace', 'generate', '--days', 'ten'], /^error: --days expects a whole number from 1 to 3660, got "ten"\n$/],
      [['workspace', 'generate', '--now', 'yesterday'], /^error: --now expects an ISO 8601 time/],
      [['workspace', 'import'], /^error: workspace import needs <file\|dir>/],
      [['version', 'extra'], /^error: unexpected argument 'extra'/],
    ];
    for (const [argv, stderr] of cases) {
      const r = await run(argv);
      assert.equal(r.code, 1, argv.join(' '));
      assert.match(r.stderr, stderr, argv.join(' '));
      assert.equal(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
    }
  });

  it('with --json, also prints {"error":{"code","message"}} on stdout', async () => {
    const r = await run(['kql', '--json', 'q.kql', '--bogus']);
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), {
      error: { code: 'bad_input', message: "unknown option '--bogus'; see 'sentinel-chatops help kql'" },
    });
    assert.match(r.stderr, /^error: unknown option/);
  });

  it('bad configuration exits 2, one line per bad variable', async () => {
    const r = await run(['serve', '--json'], { env: { PORT: 'x', LOG_LEVEL: 'loud' } });
    assert.equal(r.code, 2);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[1], /^error: PORT: expected a TCP port number/);
    assert.match(lines[2], /^error: LOG_LEVEL: expected one of/);
    const json = JSON.parse(r.stdout);
    assert.equal(json.error.code, 'config');
    assert.match(json.error.message, /PORT: .*; LOG_LEVEL: /);
  });

  it('a data directory locked by a live process exits 2 and says so', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const dataDir = join(root, 'locked-data');
      mkdirSync(dataDir);
      writeFileSync(
        join(dataDir, '.lock'),
        JSON.stringify({ pid: child.pid, hostname: hostname(), startedAt: '2025-01-31T00:00:00.000Z' }),
      );
      const r = await run(['serve', '--data-dir', dataDir, '--json'], { env: { LOG_LEVEL: 'silent', PORT: '0' } });
      assert.equal(r.code, 2);
      assert.equal(
        r.stderr,
        `error: data directory ${dataDir} is in use by process ${child.pid} since 2025-01-31T00:00:00.000Z; stop it or use --data-dir\n`,
      );
      assert.equal(JSON.parse(r.stdout).error.code, 'locked');
    } finally {
      child.kill();
    }
  });
});

/** /healthz answers 503 while services start (first-run data, the query worker warming): poll until 200. */
async function waitForHealthy(url: string, timeoutMs = 60_000): Promise<unknown> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${url}/healthz`);
    if (res.status === 200) return res.json();
    if (Date.now() > until) throw new Error(`not healthy after ${timeoutMs} ms: ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('cli: serve', () => {
  it('starts with no configuration, answers /healthz, and drains on shutdown', async () => {
    const shutdown = new AbortController();
    let stdout = '';
    let announced!: (line: string) => void;
    const listening = new Promise<string>((r) => {
      announced = r;
    });
    const cwd = join(root, 'serve');
    mkdirSync(cwd);
    const done = main(['serve', '--json'], {
      cwd,
      env: { PORT: '0', LOG_LEVEL: 'silent' },
      shutdownSignal: shutdown.signal,
      stdout: {
        write: (s: string) => {
          stdout += s;
          if (stdout.includes('\n')) announced(stdout.split('\n')[0]);
        },
      },
      stderr: { write: () => true },
    });
    const info = JSON.parse(await Promise.race([listening, done.then((code) => `exited ${code}`)]));
    assert.equal(info.mode, 'sandbox');
    assert.deepEqual(info.workspaces, ['sandbox']);
    assert.equal(info.dataDir, join(cwd, '.data'));
    assert.ok(existsSync(join(cwd, '.data', '.lock')), 'serve holds the data directory lock');
    const health = (await waitForHealthy(info.url)) as { status: string; mode: string; checks: Record<string, { rows: number }> };
    assert.equal(health.status, 'ok');
    assert.ok(health.checks['local-workspace'].rows > 10_000, 'an empty local workspace gets a default data set on first run');
    assert.equal(health.mode, 'sandbox');
    shutdown.abort();
    assert.equal(await done, 0);
    assert.ok(!existsSync(join(cwd, '.data', '.lock')), 'the lock is released');
  });

  it('as a process: prints where it listens, and SIGTERM drains, exits 0 and releases the lock', async () => {
    const cwd = join(root, 'serve-process');
    mkdirSync(cwd);
    const cli = new URL('../../../src/app/cli.ts', import.meta.url).href;
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', `process.exitCode = await (await import(${JSON.stringify(cli)})).main(['serve'])`],
      {
        cwd,
        env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /listening on (http:\/\/\S+) \(sandbox mode/.exec(stdout);
        if (m) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    await waitForHealthy(url);
    assert.ok(existsSync(join(cwd, '.data', '.lock')));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.ok(!existsSync(join(cwd, '.data', '.lock')));
  });
});
