/**
 * Builds the onboarding runner for a configuration: the SQLite store under the data directory
 * (with the audit HMAC key, and every new audit anchor written to the log), the gateways of the
 * cloud mode, and the approval policies of the configured workspaces.
 *
 * - sandbox: SandboxIamGateway + SandboxSentinelGateway (state under `<dataDir>/sandbox/`) + the
 *   local workspace's first-events probe, which first delivers generated CloudTrail for an account
 *   that the sandbox Sentinel has connected (sandbox-feed.ts), so the first chart shows data;
 * - real: RealIamGateway (assuming AWS_PROVISIONING_ROLE_NAME in the target account, or the default
 *   credential chain) + RealSentinelGateway and the Log Analytics first-events probe, both with
 *   DefaultAzureCredential for the configured Azure cloud.
 *
 * Everything heavy (node:sqlite, the cloud SDKs, the local workspace) is imported when called, so
 * importing this module costs nothing (commands and services.ts import it at the top).
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeedResult } from '../cloud/sandbox-feed.ts';
import type { Clock } from '../core/clock.ts';
import { ChatopsError } from '../core/errors.ts';
import type { ApprovalPolicies, Principals } from '../core/onboarding/approval-policy.ts';
import type { Notifier } from '../core/onboarding/gateways.ts';
import type { OnboardingRepository } from '../core/onboarding/repository.ts';
import type { OnboardingRunner, RunnerGateways } from '../core/onboarding/runner.ts';
import type { LogsGateway } from '../core/questions/logs-gateway.ts';
import type { SqliteOnboardingStore } from '../store/onboarding-store.ts';
import { ANYONE, AUDIT_KEY_FILE_NAME, auditKeyBytes, type Config, type PrincipalList } from './config.ts';
import type { Logger } from './logger.ts';
import type { Service, ServiceHealth } from './server.ts';

export interface OnboardingWiringOptions {
  /** Waits of the runner's retries and the probes' polling (default: timers). Tests pass their own. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly retryDelaysMs?: readonly number[];
  /** Waits between looks of the first-events probe (default: the probe's). */
  readonly pollDelaysMs?: readonly number[];
  /** Chat notifications (none from the CLI). */
  readonly notifier?: Notifier;
  /** Wraps the store as the runner sees it (tests: a crash hook after a chosen commit). */
  readonly wrapRepository?: (repository: OnboardingRepository) => OnboardingRepository;
  /** Told when the sandbox delivered generated CloudTrail into the local workspace (reload a query worker). */
  readonly onFed?: (result: FeedResult) => void;
  /** Sandbox feed size (default 7 days of about 400 events a day). */
  readonly feed?: { readonly days?: number; readonly eventsPerDay?: number };
}

export interface Onboarding {
  readonly runner: OnboardingRunner;
  readonly store: SqliteOnboardingStore;
  readonly gateways: RunnerGateways;
  /** Stops the runner (effects not finished stay intended for the next start) and closes the store. */
  close(graceMs?: number): Promise<void>;
}

function principals(list: PrincipalList): Principals {
  return { users: [...list.users], groups: [...list.groups] };
}

/** The approval policies of the configured workspaces, by short name. */
export function approvalPolicies(config: Pick<Config, 'workspaces'>): ApprovalPolicies {
  const out: Record<string, ApprovalPolicies[string]> = {};
  for (const w of config.workspaces) {
    const a = w.approval;
    out[w.name] = {
      ...(a.requesters === undefined || a.requesters.users.includes(ANYONE) ? {} : { requesters: principals(a.requesters) }),
      approvers: principals(a.approvers),
      twoPersonRule: a.twoPersonRule,
      approvalTtlMs: a.approvalExpiryMs,
    };
  }
  return out;
}

/**
 * The audit HMAC key: AUDIT_HMAC_KEY, or in sandbox mode the key kept in `<dataDir>/audit.key`
 * (generated on first use, mode 0600).
 */
export async function auditKey(config: Config, logger?: Logger): Promise<Uint8Array> {
  const configured = config.onboarding.auditHmacSecret;
  if (configured !== undefined) {
    const bytes = auditKeyBytes(configured);
    if (bytes === undefined) throw new ChatopsError('config', 'AUDIT_HMAC_KEY: expected at least 32 hex characters or 16 bytes in base64');
    return bytes;
  }
  if (config.cloudMode === 'real')
    throw new ChatopsError('config', 'AUDIT_HMAC_KEY: required when CLOUD_MODE=real; generate one with `openssl rand -hex 32`');
  const path = join(config.dataDir, AUDIT_KEY_FILE_NAME);
  try {
    const bytes = auditKeyBytes(await readFile(path, 'utf8'));
    if (bytes === undefined)
      throw new ChatopsError('config', `${path} does not hold a valid audit key; set AUDIT_HMAC_KEY or restore the file`);
    return bytes;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(config.dataDir, { recursive: true });
  const { randomBytes } = await import('node:crypto');
  const hex = randomBytes(32).toString('hex');
  try {
    await writeFile(path, `${hex}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(path, 0o600);
    logger?.info({ path }, 'sandbox: generated the audit HMAC key (set AUDIT_HMAC_KEY to choose your own)');
  } catch (err) {
    // Another process made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return auditKey(config, logger);
  }
  return auditKeyBytes(hex) as Uint8Array;
}

/** Opens the store only (for `onboarding list|show`, `audit verify|export`). */
export async function openOnboardingStore(config: Config, logger?: Logger): Promise<SqliteOnboardingStore> {
  const { SqliteOnboardingStore } = await import('../store/onboarding-store.ts');
  return new SqliteOnboardingStore({
    dataDir: config.dataDir,
    auditKey: await auditKey(config, logger),
    onAnchor: (anchor) => logger?.info({ audit: { seq: anchor.seq, hash: anchor.hash, mac: anchor.mac } }, 'audit anchor'),
  });
}

export async function createOnboarding(
  config: Config,
  logger: Logger,
  clock: Clock,
  options: OnboardingWiringOptions = {},
): Promise<Onboarding> {
  const { OnboardingRunner } = await import('../core/onboarding/runner.ts');
  const store = await openOnboardingStore(config, logger);
  const closers: (() => Promise<void>)[] = [];
  let gateways: RunnerGateways;
  try {
    gateways =
      config.cloudMode === 'sandbox'
        ? await sandboxGateways(config, logger, clock, options)
        : await realGateways(config, clock, options, closers);
  } catch (err) {
    store.close();
    throw err;
  }
  if (options.notifier !== undefined) gateways = { ...gateways, notifier: options.notifier };
  const repository = options.wrapRepository ? options.wrapRepository(store) : store;
  const runner = new OnboardingRunner({
    repository,
    gateways,
    workspaces: config.workspaces,
    policies: approvalPolicies(config),
    clock,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.retryDelaysMs === undefined ? {} : { retryDelaysMs: options.retryDelaysMs }),
    verifyTimeoutMs: config.onboarding.firstEventsTimeoutMs,
    onEffectError: (effect, err) =>
      logger.warn({ onboardingId: effect.onboardingId, effect: effect.kind, err: (err as Error)?.message }, 'onboarding step failed'),
  });
  let closed: Promise<void> | undefined;
  return {
    runner,
    store,
    gateways,
    close(graceMs) {
      closed ??= (async () => {
        await runner.stop(graceMs);
        for (const c of closers) await c().catch(() => {});
        store.close();
      })();
      return closed;
    },
  };
}

async function sandboxGateways(config: Config, logger: Logger, clock: Clock, options: OnboardingWiringOptions): Promise<RunnerGateways> {
  const [{ SandboxIamGateway }, { SandboxSentinelGateway }, { SandboxFirstEventsProbe }, { connectedAccounts, feedSandboxAccount }] =
    await Promise.all([
      import('../cloud/aws/iam-sandbox.ts'),
      import('../cloud/sentinel/connector-sandbox.ts'),
      import('../cloud/logs/local/first-events-probe.ts'),
      import('../cloud/sandbox-feed.ts'),
    ]);
  const now = () => new Date(clock.now());
  const iam = new SandboxIamGateway({ dataDir: config.dataDir, now });
  const sentinel = new SandboxSentinelGateway({ dataDir: config.dataDir, workspaces: config.workspaces, now });
  const firstEvents = new SandboxFirstEventsProbe({
    dataDir: config.dataDir,
    clock,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.pollDelaysMs === undefined ? {} : { delaysMs: options.pollDelaysMs }),
    beforeLook: async (workspace, accountId) => {
      if (!connectedAccounts(await sentinel.listConnectors(workspace), workspace.workspaceId).has(accountId)) return;
      const r = await feedSandboxAccount(
        { dataDir: config.dataDir, tenantId: config.localWorkspaceId, ...options.feed },
        accountId,
        clock.now(),
      );
      if (r.imported > 0) {
        logger.info(
          { accountId, rows: r.imported },
          'sandbox: the local workspace received generated CloudTrail for the connected account',
        );
        options.onFed?.(r);
      }
    },
  });
  return { iam, sentinel, firstEvents };
}

async function realGateways(
  config: Config,
  clock: Clock,
  options: OnboardingWiringOptions,
  closers: (() => Promise<void>)[],
): Promise<RunnerGateways> {
  const [
    { RealIamGateway },
    { RealSentinelGateway },
    { DefaultAzureCredential },
    { LogAnalyticsGateway },
    { LogAnalyticsFirstEventsProbe },
  ] = await Promise.all([
    import('../cloud/aws/iam-real.ts'),
    import('../cloud/sentinel/connector-real.ts'),
    import('@azure/identity'),
    import('../cloud/logs/azure/log-analytics-gateway.ts'),
    import('../cloud/logs/azure/first-events-probe.ts'),
  ]);
  const credential = new DefaultAzureCredential({ authorityHost: config.azure.authorityHost });
  const iam = new RealIamGateway({
    ...(config.aws.provisioningRoleName === undefined ? {} : { provisioningRoleName: config.aws.provisioningRoleName }),
    clock,
  });
  const sentinel = new RealSentinelGateway({ credential, resourceManagerEndpoint: config.azure.resourceManagerEndpoint });
  const logs = new Map<string, LogsGateway>();
  closers.push(async () => {
    for (const g of logs.values()) await g.close();
  });
  const firstEvents = new LogAnalyticsFirstEventsProbe({
    clock,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.pollDelaysMs === undefined ? {} : { delaysMs: options.pollDelaysMs }),
    logsFor: (workspace) => {
      let g = logs.get(workspace.workspaceId);
      if (g === undefined) {
        g = new LogAnalyticsGateway({
          credential,
          workspaceId: workspace.workspaceId,
          workspaceName: workspace.name,
          endpoint: config.azure.logsEndpoint,
          clock,
        });
        logs.set(workspace.workspaceId, g);
      }
      return g;
    },
  });
  return { iam, sentinel, firstEvents };
}

/** EXPIRY_SWEEP_MS: how often serve expires requests nobody decided on. */
export const EXPIRY_SWEEP_MS = 60_000;

/**
 * The onboarding workflow as a serve service: resumes interrupted steps at start, expires
 * undecided requests every minute, and stops (leaving unfinished steps for the next start) on
 * shutdown.
 */
export function onboardingService(
  ctx: {
    config: Config;
    logger: Logger;
    clock: Clock;
  },
  options: OnboardingWiringOptions & {
    /** Resolves when it is safe to start: the local workspace must not have two writers at once. */
    after?: () => Promise<unknown>;
  } = {},
): Service & { onboarding(): Onboarding | undefined } {
  let onboarding: Onboarding | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let state: ServiceHealth = { status: 'starting' };
  return {
    name: 'onboarding',
    onboarding: () => onboarding,
    async start() {
      try {
        await options.after?.();
        onboarding = await createOnboarding(ctx.config, ctx.logger, ctx.clock, options);
        const resumed = await onboarding.runner.resume();
        if (resumed > 0) ctx.logger.info({ resumed }, 'onboarding: resumed interrupted steps');
        const sweep = () =>
          onboarding?.runner.expireDue().then(
            (n) => n > 0 && ctx.logger.info({ expired: n }, 'onboarding: expired undecided requests'),
            (err: unknown) => ctx.logger.warn({ err: (err as Error).message }, 'onboarding: expiry sweep failed'),
          );
        void sweep();
        timer = setInterval(sweep, EXPIRY_SWEEP_MS);
        timer.unref?.();
        state = { status: 'ok', mode: ctx.config.cloudMode };
      } catch (err) {
        state = { status: 'down', detail: (err as Error).message };
        throw err;
      }
    },
    health: () => state,
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      await onboarding?.close();
    },
  };
}
