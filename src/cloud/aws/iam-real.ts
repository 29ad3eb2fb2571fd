/**
 * The IAM gateway for real AWS accounts, with `@aws-sdk/client-iam` and `@aws-sdk/client-sts`.
 *
 * Credentials for the target account: with a provisioning role name configured
 * (AWS_PROVISIONING_ROLE_NAME), the bot assumes `arn:aws:iam::<account>:role/<name>` through STS
 * with its own credentials (the SDK's default chain unless given); without one, it uses the
 * default chain directly (which must then act in the target account). Endpoints can be moved the
 * SDK's standard way (AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL_STS) or with `endpoint`/`stsEndpoint`.
 *
 * Idempotency: `ensureRole` calls CreateRole with the planned tags and the owner tag
 * (`sentinel-chatops:onboarding` = the onboarding); when IAM answers EntityAlreadyExists, it reads
 * the existing role (GetRole, ListAttachedRolePolicies, ListRoleTags) and compares it with the plan.
 * The same trust policy, path, tag values and no other managed policy: the role is accepted, after
 * attaching any planned policy and adding any planned tag that is missing (AttachRolePolicy and
 * TagRole are idempotent), which finishes a role left half-done by a crash. `created` is true when
 * the role carries this onboarding's owner tag (an earlier attempt made it), false for someone
 * else's identical role (which the owner tag is never added to, so rollback leaves it alone).
 * Anything else: ChatopsError('conflict') naming each difference, and the role is left unchanged.
 *
 * IAM is eventually consistent: a role just created may answer NoSuchEntity for a few seconds.
 * Calls that address a role retry NoSuchEntity with a doubling back-off (injected `sleep` for
 * tests); the SDK's own retries (throttling, transient faults) come first, per call.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  type IAMClientConfig,
  paginateListAttachedRolePolicies,
  paginateListRoleTags,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { type Clock, systemClock } from '../../core/clock.ts';
import { ChatopsError } from '../../core/errors.ts';
import type { DeleteResult, IamGateway, ObservedRole, RoleRef, RoleSpec, RoleTag } from '../../core/onboarding/gateways.ts';
import { isAwsError, mapAwsError, retryable } from './iam-errors.ts';
import { requireRoleArn, roleArn } from './role-arn.ts';
import { compareRole } from './role-compare.ts';

export interface DeleteRoleResult extends DeleteResult {
  /** Managed policies detached first. */
  readonly detached: readonly string[];
}

export type AwsCredentials = IAMClientConfig['credentials'];

export interface RealIamOptions {
  /** AWS_PROVISIONING_ROLE_NAME: the role to assume in each target account; unset: use the base credentials there. */
  readonly provisioningRoleName?: string;
  /** The bot's own credentials (default: the SDK's default chain). */
  readonly credentials?: AwsCredentials;
  /** IAM endpoint override (default: the SDK's, which honours AWS_ENDPOINT_URL_IAM). */
  readonly endpoint?: string;
  /** STS endpoint override (default: the SDK's, which honours AWS_ENDPOINT_URL_STS). */
  readonly stsEndpoint?: string;
  /** Region for signing and for STS (IAM is global). Default us-east-1. */
  readonly region?: string;
  /** Attempts per call that the SDK makes (throttling, transient faults). Default: the SDK's (3). */
  readonly maxAttempts?: number;
  /** Session name of the assumed provisioning role (visible in CloudTrail). Default `sentinel-chatops`. */
  readonly sessionName?: string;
  /** Waiting for IAM's eventual consistency: attempts and doubling delay (defaults 6, 500 ms, at most 8 s). */
  readonly consistency?: { readonly attempts?: number; readonly firstDelayMs?: number; readonly maxDelayMs?: number };
  readonly sleep?: (ms: number) => Promise<void>;
  readonly clock?: Clock;
}

const ASSUMED_SESSION_SECONDS = 900;
const REFRESH_BEFORE_MS = 120_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RealIamGateway implements IamGateway {
  readonly #options: RealIamOptions;
  readonly #clients = new Map<string, IAMClient>();
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #clock: Clock;
  #sts: STSClient | undefined;

  constructor(options: RealIamOptions = {}) {
    this.#options = options;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#clock = options.clock ?? systemClock;
  }

  /** Who acts in `accountId`, for messages. */
  identityFor(accountId: string): string {
    const name = this.#options.provisioningRoleName;
    return name === undefined ? 'the default AWS credentials' : `the provisioning role ${roleArn(accountId, name)}`;
  }

  /**
   * Creates the planned role, or accepts an identical existing one. Safe to repeat: a second call
   * (after a crash, or a lost answer) finds the role, sees the owner tag and returns
   * `{ created: true }` again. `opId` identifies the step for the caller's journal; the role name
   * is what makes IAM refuse a duplicate.
   */
  async ensureRole(spec: RoleSpec, opId: string): Promise<RoleRef> {
    void opId;
    const path = spec.path ?? '/';
    const arn = roleArn(spec.accountId, spec.roleName, path);
    const iam = this.#client(spec.accountId);
    const identity = this.identityFor(spec.accountId);
    const trustPolicy = typeof spec.trustPolicy === 'string' ? spec.trustPolicy : JSON.stringify(spec.trustPolicy);

    let created = false;
    try {
      await iam.send(
        new CreateRoleCommand({
          RoleName: spec.roleName,
          Path: path,
          AssumeRolePolicyDocument: trustPolicy,
          Description: spec.description,
          Tags: [...spec.tags, spec.ownerTag].map((t) => ({ Key: t.key, Value: t.value })),
        }),
      );
      created = true;
    } catch (err) {
      if (!isAwsError(err, 'EntityAlreadyExists')) throw mapAwsError(err, { action: 'iam:CreateRole', resource: arn, identity });
    }

    if (created) {
      for (const policyArn of spec.managedPolicyArns) await this.#attach(spec.accountId, spec.roleName, arn, policyArn);
      return { arn, created: true };
    }

    const existing = await this.#observe(spec.accountId, spec.roleName, arn);
    if (existing === undefined)
      throw new ChatopsError(
        'unavailable',
        `IAM says a role named ${spec.roleName} exists in account ${spec.accountId}, but GetRole cannot find it; try again in a minute`,
      );
    const cmp = compareRole(spec, existing);
    if (cmp.mismatches.length > 0)
      throw new ChatopsError(
        'conflict',
        `a role named ${spec.roleName} already exists in account ${spec.accountId} (${existing.arn}) and is not the planned role; ` +
          'nothing was changed. Choose another role name, or delete or fix the existing role:',
        { details: cmp.mismatches.map((m) => `- ${m}`) },
      );
    for (const policyArn of cmp.missingPolicies) await this.#attach(spec.accountId, existing.roleName, existing.arn, policyArn);
    if (cmp.missingTags.length > 0) await this.#tag(spec.accountId, existing.roleName, existing.arn, cmp.missingTags);
    return { arn: existing.arn, created: isOwnedBy(existing, spec.ownerTag) };
  }

  /**
   * Reads a role by ARN: trust policy, attached managed policies, tags. Undefined when it does not
   * exist (after waiting out IAM's eventual consistency). The ARN's path must match the role's.
   */
  async inspectRole(arn: string): Promise<ObservedRole | undefined> {
    const parts = requireRoleArn(arn, 'role ARN ');
    const role = await this.#observe(parts.accountId, parts.roleName, arn);
    if (role === undefined || role.path !== parts.path) return undefined;
    return role;
  }

  /**
   * Detaches the role's managed policies and deletes it. Idempotent: a role that is gone already
   * gives `{ deleted: false }`. Inline policies or instance profiles (never created by the bot) make
   * IAM refuse with DeleteConflict, reported as a conflict.
   */
  async deleteRole(arn: string, opId: string): Promise<DeleteRoleResult> {
    void opId;
    const { accountId, roleName } = requireRoleArn(arn, 'role ARN ');
    const iam = this.#client(accountId);
    const identity = this.identityFor(accountId);
    let attached: string[];
    try {
      attached = await this.#attachedPolicies(iam, roleName);
    } catch (err) {
      if (isAwsError(err, 'NoSuchEntity')) return { deleted: false, detached: [] };
      throw mapAwsError(err, { action: 'iam:ListAttachedRolePolicies', resource: arn, identity });
    }
    for (const policyArn of attached) {
      try {
        await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
      } catch (err) {
        if (!isAwsError(err, 'NoSuchEntity')) throw mapAwsError(err, { action: 'iam:DetachRolePolicy', resource: arn, identity });
      }
    }
    try {
      await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
    } catch (err) {
      if (isAwsError(err, 'NoSuchEntity')) return { deleted: false, detached: attached };
      throw mapAwsError(err, { action: 'iam:DeleteRole', resource: arn, identity });
    }
    return { deleted: true, detached: attached };
  }

  /** Releases the SDK clients' sockets. */
  close(): void {
    for (const c of this.#clients.values()) c.destroy();
    this.#clients.clear();
    this.#sts?.destroy();
    this.#sts = undefined;
  }

  async #attach(accountId: string, roleName: string, arn: string, policyArn: string): Promise<void> {
    const iam = this.#client(accountId);
    await this.#whileInvisible(
      roleName,
      () => iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn })),
      (err) =>
        isAwsError(err, 'NoSuchEntity') && !isRoleMissing(err, roleName)
          ? new ChatopsError(
              'not_found',
              `the managed policy ${policyArn} does not exist or cannot be attached; check the plan's policy ARN`,
              {
                cause: err,
              },
            )
          : mapAwsError(err, { action: 'iam:AttachRolePolicy', resource: arn, identity: this.identityFor(accountId) }),
    );
  }

  async #tag(accountId: string, roleName: string, arn: string, tags: readonly RoleTag[]): Promise<void> {
    const iam = this.#client(accountId);
    await this.#whileInvisible(
      roleName,
      () => iam.send(new TagRoleCommand({ RoleName: roleName, Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) })),
      (err) => mapAwsError(err, { action: 'iam:TagRole', resource: arn, identity: this.identityFor(accountId) }),
    );
  }

  /** GetRole + ListAttachedRolePolicies + ListRoleTags; undefined when the role does not exist. */
  async #observe(accountId: string, roleName: string, arn: string): Promise<ObservedRole | undefined> {
    const iam = this.#client(accountId);
    const identity = this.identityFor(accountId);
    let action = 'iam:GetRole';
    try {
      return await this.#whileInvisible(
        roleName,
        async () => {
          action = 'iam:GetRole';
          const out = await iam.send(new GetRoleCommand({ RoleName: roleName }));
          const role = out.Role;
          if (role?.Arn === undefined || role.RoleName === undefined)
            throw new ChatopsError('unavailable', `IAM answered GetRole for ${arn} without a role`);
          action = 'iam:ListAttachedRolePolicies';
          const managedPolicyArns = await this.#attachedPolicies(iam, role.RoleName);
          action = 'iam:ListRoleTags';
          const tags: RoleTag[] = [];
          for await (const page of paginateListRoleTags({ client: iam }, { RoleName: role.RoleName }))
            for (const t of page.Tags ?? []) tags.push({ key: t.Key ?? '', value: t.Value ?? '' });
          return {
            arn: role.Arn,
            accountId,
            roleName: role.RoleName,
            path: role.Path ?? '/',
            trustPolicyJson: decodePolicy(role.AssumeRolePolicyDocument),
            managedPolicyArns,
            tags,
          };
        },
        (err) => err,
      );
    } catch (err) {
      if (isAwsError(err, 'NoSuchEntity')) return undefined;
      throw mapAwsError(err, { action, resource: arn, identity });
    }
  }

  async #attachedPolicies(iam: IAMClient, roleName: string): Promise<string[]> {
    const out: string[] = [];
    for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }))
      for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn !== undefined) out.push(p.PolicyArn);
    return out;
  }

  /**
   * Runs `call`, retrying while IAM says the role does not exist yet; other errors go through
   * `mapError`. When the role stays invisible, the error is marked retryable for the runner.
   */
  async #whileInvisible<T>(roleName: string, call: () => Promise<T>, mapError: (err: unknown) => unknown): Promise<T> {
    const attempts = Math.max(1, this.#options.consistency?.attempts ?? 6);
    const maxDelay = this.#options.consistency?.maxDelayMs ?? 8000;
    let delay = this.#options.consistency?.firstDelayMs ?? 500;
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (attempt < attempts && isRoleMissing(err, roleName)) {
          await this.#sleep(delay);
          delay = Math.min(delay * 2, maxDelay);
          continue;
        }
        const mapped = mapError(err);
        throw isRoleMissing(err, roleName) && mapped instanceof ChatopsError ? retryable(mapped) : mapped;
      }
    }
  }

  #client(accountId: string): IAMClient {
    let client = this.#clients.get(accountId);
    if (client === undefined) {
      const o = this.#options;
      const config: IAMClientConfig = { region: o.region ?? 'us-east-1' };
      if (o.endpoint !== undefined) config.endpoint = o.endpoint;
      if (o.maxAttempts !== undefined) config.maxAttempts = o.maxAttempts;
      const credentials =
        o.provisioningRoleName === undefined ? o.credentials : this.#assumedCredentials(accountId, o.provisioningRoleName);
      if (credentials !== undefined) config.credentials = credentials;
      client = new IAMClient(config);
      this.#clients.set(accountId, client);
    }
    return client;
  }

  #stsClient(): STSClient {
    if (this.#sts === undefined) {
      const o = this.#options;
      this.#sts = new STSClient({
        region: o.region ?? 'us-east-1',
        ...(o.stsEndpoint === undefined ? {} : { endpoint: o.stsEndpoint }),
        ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
        ...(o.credentials === undefined ? {} : { credentials: o.credentials }),
      });
    }
    return this.#sts;
  }

  /** A credential provider for the provisioning role in `accountId`, refreshed before it expires. */
  #assumedCredentials(accountId: string, provisioningRoleName: string) {
    const arn = roleArn(accountId, provisioningRoleName);
    const sessionName = this.#options.sessionName ?? 'sentinel-chatops';
    type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };
    let cached: Creds | undefined;
    let pending: Promise<Creds> | undefined;
    const assume = async (): Promise<Creds> => {
      try {
        const out = await this.#stsClient().send(
          new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: sessionName, DurationSeconds: ASSUMED_SESSION_SECONDS }),
        );
        const c = out.Credentials;
        if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined)
          throw new ChatopsError('unavailable', `AWS STS answered AssumeRole for ${arn} without credentials`);
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      } catch (err) {
        const mapped = mapAwsError(err, { action: 'sts:AssumeRole', resource: arn, identity: "the bot's AWS credentials" });
        if (mapped.code === 'forbidden' || mapped.code === 'not_found')
          throw new ChatopsError(
            'forbidden',
            `${mapped.message}. The provisioning role ${arn} (AWS_PROVISIONING_ROLE_NAME) must exist in account ${accountId} ` +
              "and trust the bot's identity, and the bot's identity must be allowed sts:AssumeRole on it",
            { cause: err },
          );
        throw mapped;
      }
    };
    return async (): Promise<Creds> => {
      const now = this.#clock.now();
      if (cached !== undefined && (cached.expiration === undefined || cached.expiration.getTime() - REFRESH_BEFORE_MS > now)) return cached;
      pending ??= assume().finally(() => {
        pending = undefined;
      });
      cached = await pending;
      return cached;
    };
  }
}

/** IAM answers the trust policy URL-encoded (RFC 3986); a document that is not is returned as is. */
export function decodePolicy(doc: string | undefined): string {
  if (doc === undefined) return '';
  try {
    return decodeURIComponent(doc);
  } catch {
    return doc;
  }
}

/** True when the role carries the owner tag of this onboarding: an earlier attempt created it. */
export function isOwnedBy(role: ObservedRole, ownerTag: RoleTag): boolean {
  return role.tags.some((t) => t.key === ownerTag.key && t.value === ownerTag.value);
}

/** NoSuchEntity about the role itself (not about a policy that does not exist). */
function isRoleMissing(err: unknown, roleName: string): boolean {
  if (!isAwsError(err, 'NoSuchEntity')) return false;
  const message = err instanceof Error ? err.message : '';
  return !/polic/i.test(message) || message.includes(roleName);
}
