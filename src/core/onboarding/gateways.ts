/**
 * The outside world of the onboarding workflow, as small interfaces. Core only declares them;
 * `src/cloud/aws`, `src/cloud/sentinel` and `src/cloud/logs` implement each one twice (real and
 * sandbox), and `src/app` picks one per interface at start. A provider that is not configured gets
 * an implementation whose every method throws a ChatopsError('config') saying what to set, never
 * `undefined`.
 *
 * Rules for every implementation:
 * - **Idempotent on `opId`.** The runner journals an effect before it calls the gateway and may call
 *   again with the same `opId` after a crash or a lost answer (`resume()`). A repeated call must
 *   converge on the same single resource, never create a second one.
 * - **Failures are ChatopsErrors** with a code from `src/core/errors.ts` and a sentence that says
 *   what to do. The runner retries with back-off what is worth retrying: codes `unavailable` and
 *   `throttled`, and any error with `retryable: true` (set it for IAM's eventual consistency, e.g.
 *   ARM refusing a role that Sentinel cannot assume *yet*). Everything else fails the step at once,
 *   and the message reaches the people in the chat as it is.
 * - **No state of their own** that the workflow depends on: what they return is journalled.
 *
 * Shapes follow what IAM and ARM say (role ARNs, tag `key`/`value`, connector IDs), in plain JSON
 * values, because results are stored in the effect journal.
 */

/** An IAM tag. Keys are unique regardless of case; `aws:` keys are reserved (see validate.ts). */
export interface RoleTag {
  readonly key: string;
  readonly value: string;
}

/** The role the plan asks for, in one AWS account: exactly what was shown to the approvers. */
export interface RoleSpec {
  /** 12 digits, a string (leading zeros count). */
  readonly accountId: string;
  /** 1-64 characters of `[A-Za-z0-9+=,.@_-]`. */
  readonly roleName: string;
  /** `/` or `/a/b/`. */
  readonly path: string;
  /** The trust policy, JSON text (trust-policy.ts builds it). */
  readonly trustPolicy: string;
  /** Managed policies to attach: `arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess`. */
  readonly managedPolicyArns: readonly string[];
  /** Planned tags. An existing identical role may get the missing ones added. */
  readonly tags: readonly RoleTag[];
  /**
   * Marks the role as made by this onboarding: `sentinel-chatops:onboarding` = the onboarding id.
   * Set by CreateRole together with `tags`, and NEVER added to a role that existed before: it is how
   * a repeated `ensureRole` tells "an earlier attempt of mine created it" (so rollback may delete it)
   * from "someone else's identical role" (which rollback must leave alone).
   */
  readonly ownerTag: RoleTag;
  readonly description?: string;
}

/** The role `ensureRole` ended with. */
export interface RoleRef {
  readonly arn: string;
  /**
   * True when the role did not exist before this operation: this call created it, or an earlier call
   * did (the existing role carries `spec.ownerTag`). False when an identical role was there already;
   * the bot then never deletes it.
   */
  readonly created: boolean;
}

/** A role as IAM reports it (GetRole, ListAttachedRolePolicies, ListRoleTags). */
export interface ObservedRole {
  readonly arn: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly path: string;
  /** The trust policy JSON, URL-decoded (GetRole returns it URL-encoded). */
  readonly trustPolicyJson: string;
  /** ARNs of the attached managed policies. */
  readonly managedPolicyArns: readonly string[];
  readonly tags: readonly RoleTag[];
}

export interface DeleteResult {
  /** False when there was nothing to delete (deleting is idempotent). */
  readonly deleted: boolean;
}

/** IAM in the onboarded AWS account (credentials: the provisioning role via STS, or the default chain). */
export interface IamGateway {
  /**
   * Creates the role (CreateRole with the trust policy, `tags` and `ownerTag`; AttachRolePolicy for
   * each managed policy). When IAM answers EntityAlreadyExists, reads the existing role and compares
   * it with `spec`: the same trust policy, path and managed policies (attaching missing planned ones
   * and adding missing planned tags is fine) → returns it; anything else → ChatopsError('conflict')
   * naming each difference, and the existing role is left unchanged. Safe to repeat with one `opId`.
   */
  ensureRole(spec: RoleSpec, opId: string): Promise<RoleRef>;
  /**
   * Reads a role by ARN, for validating a role the requester created (self-service mode).
   * `undefined` when there is no such role (after waiting out IAM's eventual consistency).
   * ChatopsError('forbidden') when the bot may not read IAM in that account: the workflow then
   * goes on with the ARN checked for format and account only, and says so to the approvers.
   */
  inspectRole(arn: string): Promise<ObservedRole | undefined>;
  /**
   * Detaches the role's managed policies and deletes it (rollback and disconnect of a role the bot
   * created). A role that is already gone gives `{ deleted: false }`.
   */
  deleteRole(arn: string, opId: string): Promise<DeleteResult>;
}

/** Where a Log Analytics workspace with Sentinel lives. `WorkspaceConfig` (src/app/config.ts) fits. */
export interface WorkspaceRef {
  /** The configured short name (`prod-sec`), for messages. */
  readonly name: string;
  /** The Log Analytics workspace ID, a GUID: the trust policy's external ID. */
  readonly workspaceId: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly workspaceName: string;
}

export interface ConnectorSpec {
  readonly workspace: WorkspaceRef;
  /** The IAM role Sentinel assumes (the ARN approved in the second approval). */
  readonly roleArn: string;
}

/** The AWS CloudTrail data connector (kind `AmazonWebServicesCloudTrail`) as ARM reports it. */
export interface ConnectorInfo {
  readonly connectorId: string;
  /** The ARM resource ID. */
  readonly resourceId: string;
  /** `awsRoleArn`; undefined for a connector of another kind. */
  readonly roleArn: string | undefined;
  /** `dataTypes.logs.state`. */
  readonly logsState: 'Enabled' | 'Disabled' | undefined;
}

export interface ConnectorRef extends ConnectorInfo {
  /** True when this PUT created the connector (ARM 201), false when it replaced the same one (200). */
  readonly created: boolean;
}

/** Sentinel data connectors over Azure Resource Manager. */
export interface SentinelGateway {
  /**
   * The connector ID that `ensureConnector` uses for `opId`: deterministic (a name-based UUID), so
   * that a repeated PUT addresses the same connector, and so that rollback can delete a connector
   * whose creation never answered.
   */
  connectorIdFor(opId: string): string;
  /** PUT of the connector `connectorIdFor(opId)` with `spec.roleArn`, logs enabled. Create-or-replace: safe to repeat. */
  ensureConnector(spec: ConnectorSpec, opId: string): Promise<ConnectorRef>;
  /** The connector, or `undefined` when there is none with that ID (a missing workspace is an error). */
  getConnector(workspace: WorkspaceRef, connectorId: string): Promise<ConnectorInfo | undefined>;
  /** Deletes the connector; `{ deleted: false }` when it was not there. */
  deleteConnector(workspace: WorkspaceRef, connectorId: string, opId: string): Promise<DeleteResult>;
}

/** One of the first CloudTrail events of the account in the workspace. */
export interface FirstEvent {
  /** TimeGenerated, ISO 8601 UTC. */
  readonly time: string;
  readonly eventName: string;
  readonly eventSource: string;
  /** AwsEventId: identifies an event (duplicates can appear). */
  readonly awsEventId: string;
}

export type FirstEventsResult =
  /** Events of the account arrived: the connection works. */
  | { readonly timedOut: false; readonly events: readonly FirstEvent[] }
  /** None by the deadline: what probably went wrong, and any SentinelHealth errors of the connector. */
  | { readonly timedOut: true; readonly likelyCauses: readonly string[]; readonly healthErrors: readonly string[] };

export interface FirstEventsOptions {
  /** Give up at this instant (ms since the epoch). Journalled with the effect, so a resumed wait keeps it. */
  readonly deadline: number;
  /** Aborted when the process shuts down; reject with the signal's reason then. */
  readonly signal?: AbortSignal;
}

/** Waits for the first `AWSCloudTrail` rows of an account (logs gateway, polling with back-off). */
export interface FirstEventsProbe {
  /**
   * Polls the workspace for `AWSCloudTrail` rows whose `RecipientAccountId` is `accountId`, with
   * back-off, until some arrive or `deadline` passes. Logs only cover activity after the connector
   * is enabled, and the first events often take 5-30 minutes. Read-only, so repeating is harmless.
   */
  awaitFirstEvents(workspace: WorkspaceRef, accountId: string, options: FirstEventsOptions): Promise<FirstEventsResult>;
}

/** What a notification is about; the chat surface renders it from the onboarding (text.ts). */
export type NotificationTopic =
  | 'plan_ready'
  | 'role_needed'
  | 'role_rejected'
  | 'arn_ready'
  | 'connected'
  | 'failed'
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'disconnect_requested'
  | 'disconnected';

/** Who should hear about it. */
export type NotificationAudience = 'requester' | 'approvers';

export interface Notification {
  readonly onboardingId: string;
  readonly topic: NotificationTopic;
  readonly audience: NotificationAudience;
  /** The sentence to show (text.ts), in the onboarding's language. */
  readonly text: string;
  /** The surface's own data given with the request (channel, thread), passed back unchanged. */
  readonly origin: Readonly<Record<string, string>>;
}

/** Posts to the chat (surfaces implement it). Failing to notify never fails the workflow. */
export interface Notifier {
  /** Posts `notification`. Repeating with the same `opId` may post again; surfaces may dedupe on it. */
  notify(notification: Notification, opId: string): Promise<void>;
}

/** True for an error the runner should retry with back-off (see the rules at the top). */
export function isRetryable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; retryable?: unknown };
  return e.retryable === true || e.code === 'unavailable' || e.code === 'throttled';
}
