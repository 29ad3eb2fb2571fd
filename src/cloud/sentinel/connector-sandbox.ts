/**
 * The sandbox Sentinel for the embedded default (CLOUD_MODE=sandbox): it records AWS CloudTrail
 * data connectors per workspace in `<data dir>/sandbox/sentinel.json` (written atomically, so they
 * survive restarts), with the same contract as the real gateway: connector IDs derived from the
 * operation id, PUT semantics (create or replace), idempotent deletes. It checks what ARM would:
 * the role ARN's format (commercial partition), and, when the sandbox's workspaces are given, that
 * the workspace is one of them. Every message starts with "sandbox Sentinel:".
 *
 * `listConnectors` tells the app which AWS accounts are connected, so that the local workspace can
 * receive generated events for them.
 */
import { join } from 'node:path';
import { ChatopsError } from '../../core/errors.ts';
import type {
  ConnectorInfo,
  ConnectorRef,
  ConnectorSpec,
  DeleteResult,
  SentinelGateway,
  WorkspaceRef,
} from '../../core/onboarding/gateways.ts';
import { JsonStateFile } from '../aws/json-state-file.ts';
import { requireRoleArn } from '../aws/role-arn.ts';
import { connectorIdFor } from './connector-id.ts';

export const SANDBOX_SENTINEL_FILE = join('sandbox', 'sentinel.json');
const KIND = 'AmazonWebServicesCloudTrail';

/** Where a connector lives: the parts of a workspace that ARM addresses. */
type WorkspaceAddress = Pick<WorkspaceRef, 'subscriptionId' | 'resourceGroup' | 'workspaceName'> & Partial<Pick<WorkspaceRef, 'name'>>;

export interface SandboxConnector {
  readonly connectorId: string;
  readonly resourceId: string;
  readonly kind: typeof KIND;
  readonly roleArn: string;
  /** The AWS account of the role (the account whose CloudTrail flows). */
  readonly accountId: string;
  readonly logsState: 'Enabled' | 'Disabled';
  /** The workspace's configured short name and workspace ID, as given when it was created. */
  readonly workspace: { readonly name: string; readonly workspaceId: string };
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface State {
  version: 1;
  /** workspace key (lower-case resource path) → connector ID → connector */
  workspaces: Record<string, Record<string, SandboxConnector>>;
}

export interface SandboxSentinelOptions {
  /** The data directory; the state goes to `<dataDir>/sandbox/sentinel.json`. */
  readonly dataDir: string;
  /** The sandbox's workspaces; when given, any other workspace is not found. */
  readonly workspaces?: readonly WorkspaceRef[];
  readonly now?: () => Date;
}

export class SandboxSentinelGateway implements SentinelGateway {
  readonly #file: JsonStateFile<State>;
  readonly #workspaces: readonly WorkspaceRef[] | undefined;
  readonly #now: () => Date;

  constructor(options: SandboxSentinelOptions) {
    this.#file = new JsonStateFile<State>(join(options.dataDir, SANDBOX_SENTINEL_FILE), () => ({ version: 1, workspaces: {} }), checkState);
    this.#workspaces = options.workspaces;
    this.#now = options.now ?? (() => new Date());
  }

  get file(): string {
    return this.#file.path;
  }

  connectorIdFor(opId: string): string {
    return connectorIdFor(opId);
  }

  async ensureConnector(spec: ConnectorSpec, opId: string): Promise<ConnectorRef> {
    const { accountId } = requireRoleArn(spec.roleArn, 'sandbox Sentinel: role ARN ');
    this.#known(spec.workspace);
    const connectorId = connectorIdFor(opId);
    const at = this.#now().toISOString();
    return this.#file.update((s) => {
      const key = workspaceKey(spec.workspace);
      s.workspaces[key] ??= {};
      const connectors = s.workspaces[key];
      const existing = connectors[connectorId];
      const stored: SandboxConnector = {
        connectorId,
        resourceId: `${resourcePath(spec.workspace)}/providers/Microsoft.SecurityInsights/dataConnectors/${connectorId}`,
        kind: KIND,
        roleArn: spec.roleArn,
        accountId,
        logsState: 'Enabled',
        workspace: { name: spec.workspace.name, workspaceId: spec.workspace.workspaceId.toLowerCase() },
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      };
      connectors[connectorId] = stored;
      return { ...toInfo(stored), created: existing === undefined };
    });
  }

  async getConnector(workspace: WorkspaceAddress, connectorId: string): Promise<ConnectorInfo | undefined> {
    this.#known(workspace);
    return this.#file.view((s) => {
      const c = s.workspaces[workspaceKey(workspace)]?.[connectorId];
      return c === undefined ? undefined : toInfo(c);
    });
  }

  async deleteConnector(workspace: WorkspaceAddress, connectorId: string, opId?: string): Promise<DeleteResult> {
    void opId;
    this.#known(workspace);
    return this.#file.update((s) => {
      const connectors = s.workspaces[workspaceKey(workspace)];
      if (connectors?.[connectorId] === undefined) return { deleted: false };
      delete connectors[connectorId];
      return { deleted: true };
    });
  }

  /** Every connector, or those of one workspace: which AWS accounts send CloudTrail where. */
  async listConnectors(workspace?: WorkspaceAddress): Promise<SandboxConnector[]> {
    return this.#file.view((s) => {
      const groups = workspace === undefined ? Object.values(s.workspaces) : [s.workspaces[workspaceKey(workspace)] ?? {}];
      return groups.flatMap((g) => Object.values(g)).map((c) => structuredClone(c));
    });
  }

  /** The workspace ID of a sandbox workspace (what ARM would report as its customerId). */
  async readWorkspaceId(workspace: WorkspaceAddress & { readonly workspaceId?: string }): Promise<string> {
    const known = this.#known(workspace);
    const id = known?.workspaceId ?? workspace.workspaceId;
    if (id === undefined) throw new ChatopsError('not_found', `sandbox Sentinel: no workspace ID is known for ${describe(workspace)}`);
    return id.toLowerCase();
  }

  /** Throws not_found for a workspace that is not one of the sandbox's (when they were given). */
  #known(workspace: WorkspaceAddress): WorkspaceRef | undefined {
    if (this.#workspaces === undefined) return undefined;
    const key = workspaceKey(workspace);
    const found = this.#workspaces.find((w) => workspaceKey(w) === key);
    if (found === undefined)
      throw new ChatopsError(
        'not_found',
        `sandbox Sentinel: ${describe(workspace)} is not a sandbox workspace (known: ${this.#workspaces.map((w) => w.name).join(', ') || 'none'})`,
      );
    return found;
  }
}

function toInfo(c: SandboxConnector): ConnectorInfo {
  return { connectorId: c.connectorId, resourceId: c.resourceId, roleArn: c.roleArn, logsState: c.logsState };
}

function resourcePath(w: WorkspaceAddress): string {
  return `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${w.workspaceName}`;
}

/** ARM resource names are case-insensitive. */
function workspaceKey(w: WorkspaceAddress): string {
  return resourcePath(w).toLowerCase();
}

function describe(w: WorkspaceAddress): string {
  return `workspace ${w.workspaceName}${w.name && w.name !== w.workspaceName ? ` (${w.name})` : ''} in resource group ${w.resourceGroup} of subscription ${w.subscriptionId}`;
}

function checkState(raw: unknown): State {
  const s = raw as Partial<State> | null;
  if (typeof s !== 'object' || s === null || s.version !== 1 || typeof s.workspaces !== 'object' || s.workspaces === null)
    throw new TypeError('not a sandbox Sentinel state (version 1)');
  return s as State;
}
