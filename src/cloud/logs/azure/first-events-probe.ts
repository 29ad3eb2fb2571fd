/**
 * The real first-events probe: polls the Log Analytics workspace through a LogsGateway,
 *
 *   AWSCloudTrail | where RecipientAccountId == "<account>" | take 5 | project …
 *
 * (the account as an escaped string literal), with back-off up to the deadline
 * (FIRST_EVENTS_TIMEOUT). Failing looks that are worth retrying (throttling, unavailable) count
 * as "nothing yet"; others (forbidden, a bad query) fail the step at once.
 *
 * At the deadline it reports the likely causes and any `SentinelHealth` errors of the CloudTrail
 * connector (the table exists only when health monitoring is on: `union isfuzzy=true` keeps a
 * missing table from failing the query). The legacy connector (kind `AmazonWebServicesCloudTrail`)
 * reads the account's CloudTrail management events with the role; it needs no S3 bucket or SQS
 * queue (those are the S3-based connector's), so the causes are: the role's trust policy (external
 * ID = the workspace ID, Microsoft's account as principal), its permissions, no CloudTrail activity
 * in the account, and ingestion delay (first events often take 5-30 minutes).
 */
import type {
  FirstEvent,
  FirstEventsOptions,
  FirstEventsProbe,
  FirstEventsResult,
  WorkspaceRef,
} from '../../../core/onboarding/gateways.ts';
import type { LogsGateway } from '../../../core/questions/logs-gateway.ts';
import type { ResultTable, WireValue } from '../../../core/result-table.ts';
import { type PollSettings, pollFirstEvents } from '../first-events-poll.ts';

export interface LogAnalyticsProbeOptions extends PollSettings {
  /** The logs gateway of a workspace (the app builds a LogAnalyticsGateway per workspace ID). */
  logsFor(workspace: WorkspaceRef): LogsGateway;
  /** How far back a look searches (default P1D: events arrive after the connector is enabled). */
  readonly timespan?: string;
}

/** A KQL string literal: double-quoted, with backslash and quote escaped, control characters refused. */
export function kqlStringLiteral(value: string): string {
  if ([...value].some((c) => c.charCodeAt(0) < 0x20)) throw new RangeError('a KQL string literal here may not contain control characters');
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function firstEventsQuery(accountId: string, take = 5): string {
  return [
    'AWSCloudTrail',
    `| where RecipientAccountId == ${kqlStringLiteral(accountId)}`,
    `| take ${take}`,
    '| project TimeGenerated, EventName, EventSource, AwsEventId',
  ].join('\n');
}

export const SENTINEL_HEALTH_QUERY = [
  'union isfuzzy=true',
  '  (datatable(TimeGenerated: datetime, SentinelResourceName: string, Status: string, Description: string)[]),',
  '  (SentinelHealth',
  '   | where SentinelResourceKind == "AmazonWebServicesCloudTrail" and Status != "Success"',
  '   | project TimeGenerated, SentinelResourceName, Status, Description)',
  '| sort by TimeGenerated desc',
  '| take 10',
].join('\n');

export function likelyCauses(workspace: WorkspaceRef, accountId: string): string[] {
  return [
    `The role's trust policy does not let Microsoft Sentinel assume it: the external ID must be the workspace ID ${workspace.workspaceId} (not the resource ID), and the principal Microsoft's account 197857026523.`,
    'The role lacks read access to CloudTrail: attach the AWS managed policy AWSCloudTrail_ReadOnlyAccess.',
    `There is no CloudTrail activity to read in account ${accountId} (no management events since the connector was enabled, or no trail logging in the account's regions).`,
    'The data has not arrived yet: first events often take 5-30 minutes, and only activity after the connector was enabled is collected.',
    'The legacy connector reads CloudTrail management events with the role and needs no S3 bucket or SQS queue; for S3/SQS delivery (and AWS GovCloud) use the S3-based connector instead.',
  ];
}

export class LogAnalyticsFirstEventsProbe implements FirstEventsProbe {
  readonly #options: LogAnalyticsProbeOptions;

  constructor(options: LogAnalyticsProbeOptions) {
    this.#options = options;
  }

  awaitFirstEvents(workspace: WorkspaceRef, accountId: string, options: FirstEventsOptions): Promise<FirstEventsResult> {
    const logs = this.#options.logsFor(workspace);
    return pollFirstEvents(
      {
        look: async () => {
          const r = await logs.query({ kql: firstEventsQuery(accountId), timespan: this.#options.timespan ?? 'P1D' });
          return toFirstEvents(r.tables[0]);
        },
        timedOut: async (lastError) => {
          const causes = likelyCauses(workspace, accountId);
          if (lastError instanceof Error) causes.push(`The last query of the workspace failed: ${lastError.message}`);
          return { likelyCauses: causes, healthErrors: await healthErrors(logs) };
        },
      },
      options,
      this.#options,
    );
  }
}

/** The connector's SentinelHealth failures, as sentences; none when the table is missing or the query fails. */
async function healthErrors(logs: LogsGateway): Promise<string[]> {
  try {
    const r = await logs.query({ kql: SENTINEL_HEALTH_QUERY, timespan: 'P1D' });
    const t = r.tables[0];
    if (t === undefined) return [];
    const at = (name: string) => t.columns.findIndex((c) => c.name === name);
    const [time, name, status, description] = ['TimeGenerated', 'SentinelResourceName', 'Status', 'Description'].map(at);
    return t.rows.map(
      (row) => `${row[time]} ${row[name] ?? 'connector'}: ${row[status]}${row[description] ? `: ${row[description]}` : ''}`,
    );
  } catch {
    return [];
  }
}

function toFirstEvents(t: ResultTable | undefined): FirstEvent[] {
  if (t === undefined) return [];
  const at = (name: string) => t.columns.findIndex((c) => c.name === name);
  const [time, eventName, eventSource, id] = ['TimeGenerated', 'EventName', 'EventSource', 'AwsEventId'].map(at);
  const s = (v: WireValue | undefined) => (v === null || v === undefined ? '' : String(v));
  return t.rows.map((row) => ({
    time: s(row[time]),
    eventName: s(row[eventName]),
    eventSource: s(row[eventSource]),
    awsEventId: s(row[id]),
  }));
}
