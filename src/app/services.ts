/**
 * The services `serve` runs alongside the HTTP server (see `Service` in server.ts): started when
 * the server starts, reported on /healthz, stopped after the server drains.
 *
 * Add yours here, e.g. the query worker (src/app/query-worker*.ts) that owns the local workspace
 * and the warmed KQL parser, and the first-run generation of a default data set when the local
 * workspace is empty.
 */
import type { Clock } from '../core/clock.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Route, Service } from './server.ts';

export interface ServiceContext {
  config: Config;
  logger: Logger;
  clock: Clock;
}

export interface Wiring {
  services: Service[];
  routes: Route[];
}

export function createServices(_ctx: ServiceContext): Wiring {
  return { services: [], routes: [] };
}
