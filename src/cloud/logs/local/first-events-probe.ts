/**
 * The sandbox's first-events probe: polls the local workspace (re-read from disk at every look)
 * for `AWSCloudTrail` rows whose `RecipientAccountId` is the account, with back-off up to the
 * deadline (FIRST_EVENTS_TIMEOUT). Before each look, `beforeLook` lets the sandbox clouds deliver
 * (sandbox-feed.ts: generated CloudTrail for a connected account). Every message says "sandbox".
 */
import type {
  FirstEvent,
  FirstEventsOptions,
  FirstEventsProbe,
  FirstEventsResult,
  WorkspaceRef,
} from '../../../core/onboarding/gateways.ts';
import { type PollSettings, pollFirstEvents } from '../first-events-poll.ts';

export interface SandboxProbeOptions extends PollSettings {
  readonly dataDir: string;
  /** Called before each look (the sandbox's delivery of CloudTrail for connected accounts). */
  readonly beforeLook?: (workspace: WorkspaceRef, accountId: string) => Promise<void>;
  /** How many events to report (default 5). */
  readonly take?: number;
}

/** Back-off of the sandbox: 1, 2, 4, 8, 15 s, then every 30 s. */
export const SANDBOX_POLL_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 15_000, 30_000];

export class SandboxFirstEventsProbe implements FirstEventsProbe {
  readonly #options: SandboxProbeOptions;

  constructor(options: SandboxProbeOptions) {
    this.#options = options;
  }

  awaitFirstEvents(workspace: WorkspaceRef, accountId: string, options: FirstEventsOptions): Promise<FirstEventsResult> {
    return pollFirstEvents(
      {
        look: async () => {
          await this.#options.beforeLook?.(workspace, accountId);
          return readFirstEvents(this.#options.dataDir, accountId, this.#options.take ?? 5);
        },
        timedOut: async () => ({
          likelyCauses: [
            `sandbox: no CloudTrail events of account ${accountId} reached the local workspace in time.`,
            `sandbox: the sandbox Sentinel has no enabled connector for account ${accountId} in workspace ${workspace.name}, so nothing was delivered.`,
          ],
          healthErrors: [],
        }),
      },
      options,
      { ...this.#options, delaysMs: this.#options.delaysMs ?? SANDBOX_POLL_DELAYS_MS },
    );
  }
}

/** The account's earliest events in the local workspace (at most `take`), oldest first. */
export async function readFirstEvents(dataDir: string, accountId: string, take = 5): Promise<FirstEvent[]> {
  const [{ openWorkspace }, { formatDatetime }] = await Promise.all([import('./workspace.ts'), import('../../../kql/values.ts')]);
  const ws = await openWorkspace(dataDir, { verify: false });
  if (!ws.stats().accounts.some((a) => a.id === accountId)) return [];
  const table = ws.table();
  const col = (name: string) => {
    const i = table.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`the local workspace has no ${name} column`);
    return table.data[i];
  };
  const [account, time, eventName, eventSource, eventId] = [
    'RecipientAccountId',
    'TimeGenerated',
    'EventName',
    'EventSource',
    'AwsEventId',
  ].map(col);
  const rows: number[] = [];
  for (let r = 0; r < table.length; r++) if (account.get(r) === accountId) rows.push(r);
  rows.sort((a, b) => Number(time.get(a)) - Number(time.get(b)));
  return rows.slice(0, take).map((r) => ({
    time: formatDatetime(Number(time.get(r))),
    eventName: String(eventName.get(r) ?? ''),
    eventSource: String(eventSource.get(r) ?? ''),
    awsEventId: String(eventId.get(r) ?? ''),
  }));
}
