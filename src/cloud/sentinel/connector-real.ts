/**
 * The Sentinel gateway for real workspaces: the legacy AWS CloudTrail data connector (kind
 * `AmazonWebServicesCloudTrail`, `awsRoleArn`, `dataTypes.logs.state`) over Azure Resource Manager
 * with `@azure/arm-securityinsight`, API version pinned (2024-09-01, not the package's preview
 * default). The endpoint comes from AZURE_RESOURCE_MANAGER_ENDPOINT (public or US Government).
 *
 * Idempotency: the connector ID is a UUID derived from the onboarding's operation id, and ARM's PUT
 * is create-or-replace, so repeating `ensureConnector` converges on one connector. 409 Conflict is
 * retried a bounded number of times (after Retry-After when ARM sends one); 429 with Retry-After and
 * 5xx are retried by the SDK pipeline (at most `maxRetries`); what remains is mapped to a
 * ChatopsError that says what to do (403: the Microsoft Sentinel Contributor role; 404: which
 * subscription, resource group or workspace is wrong). A 400 that says the role cannot be assumed
 * is marked `retryable` (a role just created may not be assumable for seconds); that ARM words it
 * so is an assumption, untested against Azure.
 *
 * The workspace ID (customerId) is read from `Microsoft.OperationalInsights/workspaces/{name}` with
 * the same credential, so real mode can refuse a configured workspace ID that ARM contradicts.
 */
import { type AwsCloudTrailDataConnector, SecurityInsights } from '@azure/arm-securityinsight';
import type { TokenCredential } from '@azure/identity';
import { ChatopsError } from '../../core/errors.ts';
import type {
  ConnectorInfo,
  ConnectorRef,
  ConnectorSpec,
  DeleteResult,
  SentinelGateway,
  WorkspaceRef,
} from '../../core/onboarding/gateways.ts';
import { retryable } from '../aws/iam-errors.ts';
import { requireRoleArn } from '../aws/role-arn.ts';
import {
  type ArmCallContext,
  armStatus,
  describeWorkspace,
  isWorkspaceMissing,
  mapArmError,
  type SentinelWorkspaceRef,
} from './arm-errors.ts';
import { armGetJson } from './arm-get.ts';
import { connectorIdFor } from './connector-id.ts';

export type { SentinelWorkspaceRef } from './arm-errors.ts';

export const SENTINEL_API_VERSION = '2024-09-01';
/** Microsoft.OperationalInsights/workspaces, GA version. */
export const WORKSPACES_API_VERSION = '2022-10-01';
export const CLOUDTRAIL_CONNECTOR_KIND = 'AmazonWebServicesCloudTrail';
const DEFAULT_ENDPOINT = 'https://management.azure.com';

/** A connector as ARM reports it, with what the onboarding interface does not need. */
export interface ArmConnectorInfo extends ConnectorInfo {
  /** The data connector kind (`AmazonWebServicesCloudTrail`, or another for a foreign connector). */
  readonly kind: string;
  readonly etag: string | undefined;
}

export interface ArmConnectorRef extends ArmConnectorInfo, ConnectorRef {}

export interface RealSentinelOptions {
  readonly credential: TokenCredential;
  /** AZURE_RESOURCE_MANAGER_ENDPOINT (default https://management.azure.com). */
  readonly resourceManagerEndpoint?: string;
  /** Pinned; override only with a version known to serve this connector kind. */
  readonly apiVersion?: string;
  /** How messages name the bot's Azure identity when ARM does not (default "the bot's Azure identity"). */
  readonly identity?: string;
  /** Extra trusted CA certificates for ARM (tests); otherwise Node's store, which includes NODE_EXTRA_CA_CERTS. */
  readonly ca?: string | Buffer;
  /** Retries of the SDK pipeline (429 with Retry-After, 5xx, transport errors). Default 3. */
  readonly maxRetries?: number;
  /** PUT attempts while ARM answers 409 Conflict, and the doubling delay between them (defaults 5, 2 s, at most 30 s). */
  readonly conflict?: { readonly attempts?: number; readonly firstDelayMs?: number; readonly maxDelayMs?: number };
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RealSentinelGateway implements SentinelGateway {
  readonly #options: RealSentinelOptions;
  readonly #endpoint: string;
  readonly #clients = new Map<string, SecurityInsights>();
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: RealSentinelOptions) {
    this.#options = options;
    this.#endpoint = (options.resourceManagerEndpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
    this.#sleep = options.sleep ?? defaultSleep;
  }

  /** The connector ID `ensureConnector` uses for `opId`. */
  connectorIdFor(opId: string): string {
    return connectorIdFor(opId);
  }

  /** Creates or replaces the CloudTrail connector for `opId` with `roleArn`, logs enabled. Safe to repeat. */
  async ensureConnector(spec: ConnectorSpec, opId: string): Promise<ArmConnectorRef> {
    requireRoleArn(spec.roleArn, 'role ARN ');
    const connectorId = connectorIdFor(opId);
    const { workspace } = spec;
    const client = this.#client(workspace.subscriptionId);
    const body: AwsCloudTrailDataConnector = {
      kind: CLOUDTRAIL_CONNECTOR_KIND,
      awsRoleArn: spec.roleArn,
      dataTypes: { logs: { state: 'Enabled' } },
    };
    const ctx = this.#ctx(
      `create the AWS CloudTrail data connector ${connectorId}`,
      'Microsoft.SecurityInsights/dataConnectors/write',
      workspace,
    );
    const attempts = Math.max(1, this.#options.conflict?.attempts ?? 5);
    const maxDelay = this.#options.conflict?.maxDelayMs ?? 30_000;
    let delay = this.#options.conflict?.firstDelayMs ?? 2000;
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      try {
        const out = await client.dataConnectors.createOrUpdate(workspace.resourceGroup, workspace.workspaceName, connectorId, body, {
          onResponse: (raw) => {
            status = raw.status;
          },
        });
        return { ...toInfo(out, connectorId), created: status === 201 };
      } catch (err) {
        if (armStatus(err) === 409 && attempt < attempts) {
          await this.#sleep(Math.min(maxDelay, Math.max(delay, retryAfterMs(responseHeader(err, 'retry-after')) ?? 0)));
          delay = Math.min(delay * 2, maxDelay);
          continue;
        }
        const mapped = mapArmError(err, { ...ctx, conflictAttempts: attempt });
        // Sentinel may refuse a role it cannot assume yet (IAM is eventually consistent): worth retrying.
        throw armStatus(err) === 400 && mentionsAssumeRole(err) ? retryable(mapped) : mapped;
      }
    }
  }

  /** The connector, or undefined when there is none with that ID. A missing workspace is a not_found error. */
  async getConnector(workspace: WorkspaceRef | SentinelWorkspaceRef, connectorId: string): Promise<ArmConnectorInfo | undefined> {
    const client = this.#client(workspace.subscriptionId);
    try {
      const out = await client.dataConnectors.get(workspace.resourceGroup, workspace.workspaceName, connectorId);
      return toInfo(out, connectorId);
    } catch (err) {
      if (armStatus(err) === 404 && !isWorkspaceMissing(err)) return undefined;
      throw mapArmError(
        err,
        this.#ctx(`read the data connector ${connectorId}`, 'Microsoft.SecurityInsights/dataConnectors/read', workspace),
      );
    }
  }

  /** Deletes the connector; `{ deleted: false }` when it was not there. */
  async deleteConnector(workspace: WorkspaceRef | SentinelWorkspaceRef, connectorId: string, opId?: string): Promise<DeleteResult> {
    void opId;
    const client = this.#client(workspace.subscriptionId);
    let status = 0;
    try {
      await client.dataConnectors.delete(workspace.resourceGroup, workspace.workspaceName, connectorId, {
        onResponse: (raw) => {
          status = raw.status;
        },
      });
      return { deleted: status === 200 || status === 202 };
    } catch (err) {
      if (armStatus(err) === 404 && !isWorkspaceMissing(err)) return { deleted: false };
      throw mapArmError(
        err,
        this.#ctx(`delete the data connector ${connectorId}`, 'Microsoft.SecurityInsights/dataConnectors/delete', workspace),
      );
    }
  }

  /** The workspace ID (customerId GUID) that ARM reports for the workspace, lower case. */
  async readWorkspaceId(workspace: SentinelWorkspaceRef): Promise<string> {
    const path =
      `/subscriptions/${encodeURIComponent(workspace.subscriptionId)}/resourceGroups/${encodeURIComponent(workspace.resourceGroup)}` +
      `/providers/Microsoft.OperationalInsights/workspaces/${encodeURIComponent(workspace.workspaceName)}`;
    let body: unknown;
    try {
      body = await armGetJson(path, WORKSPACES_API_VERSION, {
        credential: this.#options.credential,
        endpoint: this.#endpoint,
        ca: this.#options.ca,
        maxRetries: this.#options.maxRetries,
        sleep: this.#sleep,
      });
    } catch (err) {
      throw mapArmError(err, this.#ctx('read the Log Analytics workspace', 'Microsoft.OperationalInsights/workspaces/read', workspace));
    }
    const id = (body as { properties?: { customerId?: unknown } } | undefined)?.properties?.customerId;
    if (typeof id !== 'string' || id === '')
      throw new ChatopsError(
        'unavailable',
        `Azure Resource Manager answered without a workspace ID (customerId) for ${describeWorkspace(workspace)}`,
      );
    return id.toLowerCase();
  }

  /**
   * Refuses a configured workspace whose workspace ID is not the one ARM reports (a wrong ID would
   * become a wrong external ID in the trust policy). ChatopsError('config') naming both.
   */
  async verifyWorkspaceId(workspace: SentinelWorkspaceRef & { readonly workspaceId: string }): Promise<void> {
    const actual = await this.readWorkspaceId(workspace);
    if (actual !== workspace.workspaceId.toLowerCase())
      throw new ChatopsError(
        'config',
        `SENTINEL_WORKSPACES: ${workspace.name ?? workspace.workspaceName} has workspaceId ${workspace.workspaceId}, but Azure reports ` +
          `${actual} for ${describeWorkspace(workspace)}; set workspaceId to the workspace ID shown on the workspace's Overview page`,
      );
  }

  #ctx(what: string, permission: string, workspace: SentinelWorkspaceRef): ArmCallContext {
    return {
      what,
      permission,
      workspace,
      identity: this.#options.identity ?? "the bot's Azure identity",
      attempts: (this.#options.maxRetries ?? 3) + 1,
    };
  }

  #client(subscriptionId: string): SecurityInsights {
    let client = this.#clients.get(subscriptionId);
    if (client === undefined) {
      const endpoint = this.#endpoint;
      client = new SecurityInsights(this.#options.credential, subscriptionId, {
        $host: endpoint,
        endpoint,
        credentialScopes: [`${endpoint}/.default`],
        apiVersion: this.#options.apiVersion ?? SENTINEL_API_VERSION,
        retryOptions: { maxRetries: this.#options.maxRetries ?? 3 },
        ...(this.#options.ca === undefined ? {} : { tlsOptions: { ca: this.#options.ca } }),
      });
      this.#clients.set(subscriptionId, client);
    }
    return client;
  }
}

function toInfo(out: { kind: string; id?: string; name?: string; etag?: string }, connectorId: string): ArmConnectorInfo {
  const aws = out.kind === CLOUDTRAIL_CONNECTOR_KIND ? (out as AwsCloudTrailDataConnector) : undefined;
  const state = aws?.dataTypes?.logs?.state;
  return {
    connectorId: out.name ?? connectorId,
    resourceId: out.id ?? '',
    kind: out.kind,
    roleArn: aws?.awsRoleArn,
    logsState: state === 'Enabled' || state === 'Disabled' ? state : undefined,
    etag: out.etag,
  };
}

function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const s = Number(value);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function mentionsAssumeRole(err: unknown): boolean {
  return err instanceof Error && /assume|external ?id|trust relationship/i.test(err.message);
}

function responseHeader(err: unknown, name: string): string | undefined {
  const response = (err as { response?: { headers?: { get(n: string): string | undefined } } }).response;
  return response?.headers?.get(name) ?? undefined;
}
