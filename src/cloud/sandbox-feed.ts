/**
 * Sandbox clouds' "CloudTrail delivery": once an AWS account is connected to a sandbox Sentinel
 * workspace (an enabled connector in the sandbox Sentinel), the local workspace receives generated
 * CloudTrail for that account (the last `days` days up to now, deterministic for the account), so
 * the first chart after onboarding shows data.
 *
 * Exactly once per account: an account that already has rows in the local workspace gets nothing
 * more, and a workspace commit is atomic (segment, then manifest), so a crash mid-feed leaves
 * either nothing or everything. Event IDs are unique in the workspace, so even a repeat adds no
 * duplicates.
 */
import type { SandboxConnector } from './sentinel/connector-sandbox.ts';

export interface SandboxFeedOptions {
  /** The data directory of the local workspace. */
  readonly dataDir: string;
  /** `Config.localWorkspaceId`: the TenantId of the rows. */
  readonly tenantId: string;
  /** Days of history up to now (default 7). */
  readonly days?: number;
  /** Average events per day (default 400). */
  readonly eventsPerDay?: number;
}

export interface FeedResult {
  readonly accountId: string;
  /** Rows added now (0 when the account had rows already). */
  readonly imported: number;
}

/** The connected accounts of a sandbox workspace (enabled CloudTrail connectors). */
export function connectedAccounts(connectors: readonly SandboxConnector[], workspaceId: string): Set<string> {
  return new Set(
    connectors.filter((c) => c.logsState === 'Enabled' && c.workspace.workspaceId === workspaceId.toLowerCase()).map((c) => c.accountId),
  );
}

/** Feeds are serialized in this process: the local workspace takes one commit at a time. */
let queue: Promise<unknown> = Promise.resolve();

/** Writes generated CloudTrail for `accountId` into the local workspace unless it has rows of that account already. */
export function feedSandboxAccount(options: SandboxFeedOptions, accountId: string, now: number): Promise<FeedResult> {
  const run = queue.then(() => feed(options, accountId, now));
  queue = run.catch(() => {});
  return run;
}

async function feed(options: SandboxFeedOptions, accountId: string, now: number): Promise<FeedResult> {
  const [{ openWorkspace }, { generateIntoWorkspace }, { hash32 }] = await Promise.all([
    import('./logs/local/workspace.ts'),
    import('./logs/local/generate-into-workspace.ts'),
    import('./logs/local/prng.ts'),
  ]);
  const ws = await openWorkspace(options.dataDir);
  if (ws.stats().accounts.some((a) => a.id === accountId)) return { accountId, imported: 0 };
  const r = await generateIntoWorkspace(ws, {
    now,
    days: options.days ?? 7,
    eventsPerDay: options.eventsPerDay ?? 400,
    seed: hash32(`sandbox-feed:${accountId}`),
    accounts: [accountId],
    tenantId: options.tenantId,
  });
  return { accountId, imported: r.imported };
}
