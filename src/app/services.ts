/**
 * The services `serve` runs alongside the HTTP server (see `Service` in server.ts): started when
 * the server starts, reported on /healthz, stopped after the server drains.
 *
 * Add yours here, e.g. the query worker (src/app/query-worker*.ts) that owns the local workspace
 * and the warmed KQL parser, and the first-run generation of a default data set when the local
 * workspace is empty.
 */
import type { LocalLogsGateway } from '../cloud/logs/local/local-logs-gateway.ts';
import type { Clock } from '../core/clock.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { onboardingService } from './onboarding-wiring.ts';
import type { Route, Service, ServiceHealth } from './server.ts';

export interface ServiceContext {
  config: Config;
  logger: Logger;
  clock: Clock;
}

export interface Wiring {
  services: Service[];
  routes: Route[];
}

export function createServices(ctx: ServiceContext): Wiring {
  const local = localWorkspaceService(ctx);
  // Onboarding starts after the local workspace (its first-run data set and the sandbox feed both
  // write the workspace), and a sandbox feed makes the query worker re-read it.
  const onboarding = onboardingService(ctx, {
    after: () => local.started(),
    onFed: () =>
      void local
        .gateway()
        ?.reload()
        .catch((err: unknown) => ctx.logger.warn({ err: (err as Error).message }, 'query worker reload failed')),
  });
  return { services: [local, onboarding], routes: [] };
}

/**
 * The local workspace: on first run (empty), a default synthetic data set so the first chart
 * shows data; then the query worker, which loads the data and warms the Kusto parser off the
 * event loop. Loaded lazily so the server listens before any of it is read.
 */
function localWorkspaceService(ctx: ServiceContext): Service & { gateway(): LocalLogsGateway | undefined; started(): Promise<void> } {
  let gateway: LocalLogsGateway | undefined;
  let rows = 0;
  let state: ServiceHealth = { status: 'starting' };
  let stopped = false;
  let starting: Promise<void> | undefined;
  let markSettled!: () => void;
  /** Resolves once start() has finished, whether it worked or not. */
  const settled = new Promise<void>((resolve) => {
    markSettled = resolve;
  });
  const start = async () => {
    const [{ openWorkspace, workspaceRows }, { generateIntoWorkspace }, { LocalLogsGateway }] = await Promise.all([
      import('../cloud/logs/local/workspace.ts'),
      import('../cloud/logs/local/generate-into-workspace.ts'),
      import('../cloud/logs/local/local-logs-gateway.ts'),
    ]);
    // The manifest says whether the workspace is empty; the worker loads the data, once.
    if ((await workspaceRows(ctx.config.dataDir)) === 0 && !stopped) {
      const ws = await openWorkspace(ctx.config.dataDir);
      const r = await generateIntoWorkspace(ws, { now: ctx.clock.now(), tenantId: ctx.config.localWorkspaceId, seed: 1 });
      ctx.logger.info({ rows: r.imported }, 'the local workspace was empty: generated 30 days of synthetic CloudTrail');
    }
    if (stopped) return;
    gateway = new LocalLogsGateway(ctx.config.dataDir);
    rows = await gateway.ready();
    state = { status: 'ok', rows };
    ctx.logger.info({ rows }, 'local workspace ready (query worker warm)');
  };
  return {
    name: 'local-workspace',
    gateway: () => gateway,
    started: () => settled,
    start() {
      starting = start()
        .catch((e: unknown) => {
          state = { status: 'down', detail: (e as Error).message };
          throw e;
        })
        .finally(markSettled);
      return starting;
    },
    health: () => state,
    async stop() {
      // A stop that comes while starting waits for the start, so no worker outlives the server.
      stopped = true;
      await starting?.catch(() => {});
      await gateway?.close();
    },
  };
}
