/**
 * Turns Azure Resource Manager failures (the SDK's RestError, or our own REST reads) into
 * ChatopsErrors that say what failed, where, and what to do. The pipeline has already retried what
 * it retries (429 with Retry-After, 5xx, transport errors) by the time an error gets here.
 */
import { asChatopsError, ChatopsError, type ErrorCode } from '../../core/errors.ts';

/** Where a Sentinel call acted. */
export interface SentinelWorkspaceRef {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly workspaceName: string;
  /** The configured short name, for messages. */
  readonly name?: string;
  /** The Log Analytics workspace ID (GUID), when configured. */
  readonly workspaceId?: string;
}

export interface ArmCallContext {
  /** What the bot tried, as a phrase: "create the data connector 1234…". */
  readonly what: string;
  /** The ARM permission it needs: `Microsoft.SecurityInsights/dataConnectors/write`. */
  readonly permission: string;
  readonly workspace: SentinelWorkspaceRef;
  /** Who called, when ARM does not say (a configured description of the bot's identity). */
  readonly identity: string;
  /** Requests the SDK pipeline makes per call (1 + its retries), for throttling messages. */
  readonly attempts?: number;
  /** PUT attempts made while ARM answered 409, for conflict messages. */
  readonly conflictAttempts?: number;
}

/** The fields of an Azure RestError (from @azure/core-rest-pipeline) that we read. */
export interface ArmFailure {
  name: string;
  message: string;
  statusCode?: number;
  code?: string;
}

export function isArmFailure(err: unknown): err is ArmFailure {
  return err instanceof Error && err.name === 'RestError';
}

export function armStatus(err: unknown): number | undefined {
  return isArmFailure(err) ? err.statusCode : undefined;
}

/** 404 codes that mean the subscription, resource group or workspace is missing, not the child resource. */
const PARENT_MISSING = new Set(['SubscriptionNotFound', 'ResourceGroupNotFound', 'WorkspaceNotFound', 'ParentResourceNotFound']);

/** True when a 404 is about the workspace (or its resource group or subscription), not the data connector. */
export function isWorkspaceMissing(err: unknown): boolean {
  if (!isArmFailure(err) || err.statusCode !== 404) return false;
  if (err.code !== undefined && PARENT_MISSING.has(err.code)) return true;
  return err.code === 'ResourceNotFound' && /Microsoft\.OperationalInsights\/workspaces\/[^/']+'/i.test(err.message);
}

export function describeWorkspace(w: SentinelWorkspaceRef): string {
  const label = w.name === undefined || w.name === w.workspaceName ? '' : ` (${w.name})`;
  return `workspace ${w.workspaceName}${label} in resource group ${w.resourceGroup} of subscription ${w.subscriptionId}`;
}

const CLIENT_IN_MESSAGE = /The client '([^']+)' with object id '([^']+)'/;

export function mapArmError(err: unknown, ctx: ArmCallContext): ChatopsError {
  if (err instanceof ChatopsError) return err;
  const where = describeWorkspace(ctx.workspace);
  const make = (code: ErrorCode, message: string) => new ChatopsError(code, message, { cause: err });
  if (err instanceof Error && (err.name === 'CredentialUnavailableError' || err.name === 'AuthenticationError'))
    return make(
      'unauthenticated',
      `no Azure credentials to ${ctx.what}: ${firstLine(err.message)}; sign the bot in (managed identity, workload identity, ` +
        'AZURE_CLIENT_ID/AZURE_TENANT_ID with a secret or certificate, or az login)',
    );
  if (!isArmFailure(err)) return asChatopsError(err);
  const said = err.message ? ` (Azure said: ${firstLine(err.message)})` : '';
  const status = err.statusCode;
  if (status === undefined) {
    if (err.code === 'REQUEST_SEND_ERROR' || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|certificate/i.test(err.message))
      return make(
        'unavailable',
        `Azure Resource Manager could not be reached to ${ctx.what}${said}; check AZURE_RESOURCE_MANAGER_ENDPOINT and the network`,
      );
    return asChatopsError(err);
  }
  if (status === 401)
    return make(
      'unauthenticated',
      `Azure Resource Manager rejected the bot's token when trying to ${ctx.what}${said}; check the bot's Azure identity and tenant`,
    );
  if (status === 403) {
    const m = CLIENT_IN_MESSAGE.exec(err.message);
    const who = m === null ? ctx.identity : `the identity ${m[1]} (object id ${m[2]})`;
    return make(
      'forbidden',
      `${who} may not ${ctx.what} in ${where}: it lacks ${ctx.permission}. Assign it the Microsoft Sentinel Contributor role ` +
        `on resource group ${ctx.workspace.resourceGroup} (or the workspace)${said}`,
    );
  }
  if (status === 404)
    return make(
      'not_found',
      `${where} was not found when trying to ${ctx.what}${said}; check subscriptionId, resourceGroup and workspaceName in SENTINEL_WORKSPACES`,
    );
  if (status === 409)
    return make(
      'conflict',
      `Azure answered 409 Conflict${ctx.conflictAttempts ? ` ${ctx.conflictAttempts} times` : ''} when trying to ${ctx.what} in ${where}${said}; ` +
        'another change is in progress, try again shortly',
    );
  if (status === 429)
    return make(
      'throttled',
      `Azure Resource Manager throttled the request to ${ctx.what}${ctx.attempts ? ` and ${ctx.attempts} attempts ran out` : ''}; try again in a minute`,
    );
  if (status === 400 || status === 422) return make('bad_input', `Azure refused to ${ctx.what} in ${where}${said}`);
  if (status >= 500) return make('unavailable', `Azure Resource Manager failed to ${ctx.what} (HTTP ${status})${said}; try again later`);
  return asChatopsError(err);
}

function firstLine(s: string): string {
  const line = s.split('\n')[0].trim();
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}
