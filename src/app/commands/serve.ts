/**
 * `serve`: runs the bot until SIGINT or SIGTERM (or `io.shutdownSignal`), then drains.
 * A second signal drops open connections at once.
 */
import { systemClock } from '../../core/clock.ts';
import type { CliIo, CommandContext, CommandSpec } from '../command.ts';
import { displayPath } from '../config.ts';
import { startServer } from '../server.ts';
import { createServices } from '../services.ts';
import { VERSION } from '../version.ts';

export async function serve(ctx: CommandContext): Promise<number> {
  const config = ctx.config();
  const logger = ctx.logger();
  const wiring = createServices({ config, logger, clock: systemClock });
  const server = await startServer(config, { logger, version: VERSION, ...wiring });
  const workspaces = config.workspaces.map((w) => w.name);
  if (ctx.json) ctx.printJson({ url: server.url, port: server.port, mode: config.cloudMode, workspaces, dataDir: config.dataDir });
  else
    ctx.print(
      `sentinel-chatops ${VERSION} listening on ${server.url} (${config.cloudMode} mode, workspace${workspaces.length === 1 ? '' : 's'} ${workspaces.join(', ')}, data in ${displayPath(config.dataDir, ctx.io.cwd)}); health: ${server.url}/healthz; Ctrl-C stops`,
    );
  logger.info({ url: server.url, mode: config.cloudMode, workspaces }, 'listening');

  const shutdown = shutdownRequests(ctx.io);
  try {
    const reason = await shutdown.next();
    logger.info({ reason }, 'shutting down');
    void shutdown.next().then((again) => {
      logger.warn({ reason: again }, 'second shutdown request: dropping open connections');
      server.forceClose();
    });
    await server.close();
  } finally {
    shutdown.dispose();
  }
  return 0;
}

/** Successive shutdown requests: SIGINT/SIGTERM, or the abort of `io.shutdownSignal`. */
function shutdownRequests(io: CliIo): { next(): Promise<string>; dispose(): void } {
  const waiting: ((reason: string) => void)[] = [];
  const fire = (reason: string) => {
    for (const w of waiting.splice(0)) w(reason);
  };
  if (io.shutdownSignal) {
    const signal = io.shutdownSignal;
    let asked = false;
    return {
      // One request only: an AbortSignal cannot ask twice.
      next: () =>
        new Promise((r) => {
          if (asked) return;
          asked = true;
          if (signal.aborted) r('abort');
          else signal.addEventListener('abort', () => r('abort'), { once: true });
        }),
      dispose: () => {},
    };
  }
  const onSignal = (sig: NodeJS.Signals) => fire(sig);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    next: () => new Promise((r) => waiting.push(r)),
    dispose: () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

export const serveCommand: CommandSpec = {
  name: 'serve',
  summary: 'run the bot: HTTP server on PORT (default 3978) with /healthz',
  usage: '',
  details: ['With no configuration it runs in sandbox mode on the local workspace. Stop with Ctrl-C (SIGINT) or SIGTERM.'],
  positionals: { max: 0 },
  writesDataDir: true,
  run: (ctx) => serve(ctx),
};
