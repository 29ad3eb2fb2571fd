/**
 * The sandbox IAM for the embedded default (CLOUD_MODE=sandbox): an in-process IAM that validates
 * like IAM, so that a plan which works here would pass IAM's own checks, and a bad one fails with the
 * message IAM would give. Every message starts with "sandbox IAM:" so nobody mistakes it for AWS.
 *
 * `SandboxIam` offers IAM's operations (CreateRole, GetRole, AttachRolePolicy, DetachRolePolicy,
 * TagRole, ListAttachedRolePolicies, ListRoleTags, DeleteRole) with IAM's rules:
 * - role names: 1-64 characters of A-Z a-z 0-9 + = , . @ _ -, unique in the account regardless of
 *   case (EntityAlreadyExists); paths: `/` or `/…/` of printable ASCII, at most 512 characters;
 * - trust policies: JSON with Version (2012-10-17 or 2008-10-17) and Statement, each statement with
 *   Effect, Principal, an sts action and no Resource; at most 2048 characters without white space;
 * - managed policies: only AWS managed policies it knows (including AWSCloudTrail_ReadOnlyAccess;
 *   the old name AWSCloudTrailReadOnlyAccess is refused with the new one named); at most 10 per role;
 * - tags: at most 50, keys 1-128 and values 0-256 characters of IAM's tag character set, no `aws:`
 *   prefix, keys unique regardless of case;
 * - DeleteRole refuses while managed policies are attached (DeleteConflict);
 * - at most 1000 roles per account.
 * State lives in `<data dir>/sandbox/iam.json`, written atomically, so it survives restarts.
 *
 * `SandboxIamGateway` is the gateway (ensureRole, inspectRole, deleteRole) on top, with the same
 * idempotency as the real one: EntityAlreadyExists + compare with the plan, the owner tag telling
 * the bot's own role from someone else's identical one.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ChatopsError, type ErrorCode } from '../../core/errors.ts';
import type { IamGateway, ObservedRole, RoleRef, RoleSpec, RoleTag } from '../../core/onboarding/gateways.ts';
import { type DeleteRoleResult, isOwnedBy } from './iam-real.ts';
import { JsonStateFile } from './json-state-file.ts';
import { requireRoleArn, roleArn } from './role-arn.ts';
import { compareRole } from './role-compare.ts';

export const SANDBOX_IAM_FILE = join('sandbox', 'iam.json');

/** AWS managed policies the sandbox knows. */
export const SANDBOX_MANAGED_POLICIES: readonly string[] = Object.freeze(
  [
    'AWSCloudTrail_ReadOnlyAccess',
    'AWSCloudTrail_FullAccess',
    'ReadOnlyAccess',
    'ViewOnlyAccess',
    'SecurityAudit',
    'AdministratorAccess',
    'PowerUserAccess',
    'IAMReadOnlyAccess',
    'AmazonS3ReadOnlyAccess',
    'AmazonSQSReadOnlyAccess',
  ].map((n) => `arn:aws:iam::aws:policy/${n}`),
);

/** Old names of AWS managed policies, and their current ones. */
const RENAMED_POLICIES: Readonly<Record<string, string>> = {
  'arn:aws:iam::aws:policy/AWSCloudTrailReadOnlyAccess': 'arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess',
  'arn:aws:iam::aws:policy/AWSCloudTrailFullAccess': 'arn:aws:iam::aws:policy/AWSCloudTrail_FullAccess',
};

export const SANDBOX_IAM_LIMITS = Object.freeze({
  rolesPerAccount: 1000,
  managedPoliciesPerRole: 10,
  tagsPerRole: 50,
  trustPolicyChars: 2048,
  descriptionChars: 1000,
  pathChars: 512,
});

const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const PATH = /^\/(?:[\u0021-\u007e]*\/)?$/;
const ACCOUNT = /^\d{12}$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const DESCRIPTION = /^[\t\n\r\u0020-\u007e\u00a1-\u00ff]*$/;
const PRINCIPAL_ARN =
  /^arn:aws:(?:iam::\d{12}:(?:root|user\/.+|role\/.+|federated-user\/.+)|sts::\d{12}:(?:assumed-role|federated-user)\/.+)$/;
const TRUST_ACTIONS = new Set(
  [
    'sts:AssumeRole',
    'sts:AssumeRoleWithSAML',
    'sts:AssumeRoleWithWebIdentity',
    'sts:TagSession',
    'sts:SetSourceIdentity',
    'sts:SetContext',
  ].map((a) => a.toLowerCase()),
);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);

/** An IAM error of the sandbox: `awsCode` is the code IAM would send (EntityAlreadyExists, NoSuchEntity, …). */
export class SandboxIamError extends ChatopsError {
  readonly awsCode: string;
  constructor(awsCode: string, code: ErrorCode, message: string) {
    super(code, `sandbox IAM: ${message}`);
    this.name = 'SandboxIamError';
    this.awsCode = awsCode;
  }
}

const fail = {
  validation: (m: string) => new SandboxIamError('ValidationError', 'bad_input', m),
  invalidInput: (m: string) => new SandboxIamError('InvalidInput', 'bad_input', m),
  malformed: (m: string) => new SandboxIamError('MalformedPolicyDocument', 'bad_input', m),
  noSuchRole: (account: string, name: string) =>
    new SandboxIamError('NoSuchEntity', 'not_found', `the role with name ${name} cannot be found in account ${account}`),
  limit: (m: string) => new SandboxIamError('LimitExceeded', 'limit_exceeded', m),
};

export interface SandboxRole {
  readonly account: string;
  readonly name: string;
  readonly path: string;
  readonly roleId: string;
  readonly arn: string;
  /** As it was given to CreateRole. */
  readonly trustPolicy: string;
  readonly description?: string;
  readonly tags: RoleTag[];
  readonly attached: string[];
  readonly createdAt: string;
}

interface State {
  version: 1;
  /** account → lower-case role name → role */
  accounts: Record<string, Record<string, SandboxRole>>;
}

export interface CreateRoleInput {
  readonly accountId: string;
  readonly roleName: string;
  readonly path?: string;
  readonly trustPolicy: string;
  readonly description?: string;
  readonly tags?: readonly RoleTag[];
}

export interface SandboxIamOptions {
  /** The data directory; the state goes to `<dataDir>/sandbox/iam.json`. */
  readonly dataDir: string;
  readonly now?: () => Date;
}

/** IAM's operations, in process, with IAM's validation. */
export class SandboxIam {
  readonly #file: JsonStateFile<State>;
  readonly #now: () => Date;

  constructor(options: SandboxIamOptions) {
    this.#file = new JsonStateFile<State>(join(options.dataDir, SANDBOX_IAM_FILE), () => ({ version: 1, accounts: {} }), checkState);
    this.#now = options.now ?? (() => new Date());
  }

  get file(): string {
    return this.#file.path;
  }

  async createRole(input: CreateRoleInput): Promise<SandboxRole> {
    const path = input.path ?? '/';
    checkAccount(input.accountId);
    checkRoleName(input.roleName);
    if (path.length > SANDBOX_IAM_LIMITS.pathChars || !PATH.test(path))
      throw fail.validation(`the path ${JSON.stringify(path)} must be / or start and end with / (printable ASCII, at most 512 characters)`);
    checkTrustPolicy(input.trustPolicy);
    if (input.description !== undefined) {
      if (input.description.length > SANDBOX_IAM_LIMITS.descriptionChars)
        throw fail.validation(`the description is longer than ${SANDBOX_IAM_LIMITS.descriptionChars} characters`);
      if (!DESCRIPTION.test(input.description)) throw fail.validation('the description contains characters IAM does not accept');
    }
    const tags = input.tags ?? [];
    checkTags(tags, []);
    return this.#file.update((s) => {
      s.accounts[input.accountId] ??= {};
      const roles = s.accounts[input.accountId];
      const existing = roles[input.roleName.toLowerCase()];
      if (existing !== undefined)
        throw new SandboxIamError(
          'EntityAlreadyExists',
          'conflict',
          existing.name === input.roleName
            ? `a role with name ${input.roleName} already exists in account ${input.accountId}`
            : `a role with name ${input.roleName} already exists in account ${input.accountId} as ${existing.name} (role names are unique regardless of case)`,
        );
      if (Object.keys(roles).length >= SANDBOX_IAM_LIMITS.rolesPerAccount)
        throw fail.limit(`cannot exceed quota for RolesPerAccount: ${SANDBOX_IAM_LIMITS.rolesPerAccount}`);
      const role: SandboxRole = {
        account: input.accountId,
        name: input.roleName,
        path,
        roleId: `AROA${randomBytes(9).toString('hex').toUpperCase().slice(0, 17)}`,
        arn: roleArn(input.accountId, input.roleName, path),
        trustPolicy: input.trustPolicy,
        ...(input.description === undefined ? {} : { description: input.description }),
        tags: tags.map((t) => ({ key: t.key, value: t.value })),
        attached: [],
        createdAt: this.#now().toISOString(),
      };
      roles[input.roleName.toLowerCase()] = role;
      return structuredClone(role);
    });
  }

  /** The role by name (regardless of case, as IAM looks names up); NoSuchEntity when there is none. */
  getRole(accountId: string, roleName: string): Promise<SandboxRole> {
    return this.#file.view((s) => structuredClone(findRole(s, accountId, roleName)));
  }

  attachRolePolicy(accountId: string, roleName: string, policyArn: string): Promise<void> {
    return this.#file.update((s) => {
      const role = findRole(s, accountId, roleName);
      const renamed = RENAMED_POLICIES[policyArn];
      if (renamed !== undefined)
        throw new SandboxIamError(
          'NoSuchEntity',
          'not_found',
          `policy ${policyArn} does not exist or is not attachable; its current name is ${renamed}`,
        );
      if (!SANDBOX_MANAGED_POLICIES.includes(policyArn))
        throw new SandboxIamError(
          'NoSuchEntity',
          'not_found',
          /^arn:aws:iam::(aws|\d{12}):policy\//.test(policyArn)
            ? `policy ${policyArn} does not exist or is not attachable (the sandbox knows these AWS managed policies: ${SANDBOX_MANAGED_POLICIES.join(', ')})`
            : `${JSON.stringify(policyArn)} is not a policy ARN; expected arn:aws:iam::aws:policy/<name>`,
        );
      if (role.attached.includes(policyArn)) return;
      if (role.attached.length >= SANDBOX_IAM_LIMITS.managedPoliciesPerRole)
        throw fail.limit(`cannot exceed quota for PoliciesPerRole: ${SANDBOX_IAM_LIMITS.managedPoliciesPerRole}`);
      role.attached.push(policyArn);
    });
  }

  detachRolePolicy(accountId: string, roleName: string, policyArn: string): Promise<void> {
    return this.#file.update((s) => {
      const role = findRole(s, accountId, roleName);
      const i = role.attached.indexOf(policyArn);
      if (i < 0) throw new SandboxIamError('NoSuchEntity', 'not_found', `policy ${policyArn} is not attached to role ${role.name}`);
      role.attached.splice(i, 1);
    });
  }

  tagRole(accountId: string, roleName: string, tags: readonly RoleTag[]): Promise<void> {
    return this.#file.update((s) => {
      const role = findRole(s, accountId, roleName);
      const kept = role.tags.filter((t) => !tags.some((n) => n.key.toLowerCase() === t.key.toLowerCase()));
      checkTags(tags, kept);
      role.tags.splice(0, role.tags.length, ...kept, ...tags.map((t) => ({ key: t.key, value: t.value })));
    });
  }

  listAttachedRolePolicies(accountId: string, roleName: string): Promise<string[]> {
    return this.#file.view((s) => [...findRole(s, accountId, roleName).attached]);
  }

  listRoleTags(accountId: string, roleName: string): Promise<RoleTag[]> {
    return this.#file.view((s) => findRole(s, accountId, roleName).tags.map((t) => ({ ...t })));
  }

  deleteRole(accountId: string, roleName: string): Promise<void> {
    return this.#file.update((s) => {
      const role = findRole(s, accountId, roleName);
      if (role.attached.length > 0)
        throw new SandboxIamError(
          'DeleteConflict',
          'conflict',
          `cannot delete role ${role.name}: it must have no policies attached (detach ${role.attached.join(', ')} first)`,
        );
      delete s.accounts[accountId][role.name.toLowerCase()];
    });
  }

  /** Every role in an account (for tests and the operator's view). */
  listRoles(accountId: string): Promise<SandboxRole[]> {
    return this.#file.view((s) => Object.values(s.accounts[accountId] ?? {}).map((r) => structuredClone(r)));
  }
}

/** The onboarding gateway over the sandbox IAM (the same contract as RealIamGateway). */
export class SandboxIamGateway implements IamGateway {
  readonly iam: SandboxIam;

  constructor(options: SandboxIamOptions) {
    this.iam = new SandboxIam(options);
  }

  identityFor(accountId: string): string {
    return `the sandbox's provisioning identity in account ${accountId}`;
  }

  async ensureRole(spec: RoleSpec, opId: string): Promise<RoleRef> {
    void opId;
    try {
      const role = await this.iam.createRole({
        accountId: spec.accountId,
        roleName: spec.roleName,
        path: spec.path,
        trustPolicy: spec.trustPolicy,
        description: spec.description,
        tags: [...spec.tags, spec.ownerTag],
      });
      for (const policyArn of spec.managedPolicyArns) await this.iam.attachRolePolicy(spec.accountId, role.name, policyArn);
      return { arn: role.arn, created: true };
    } catch (err) {
      if (!(err instanceof SandboxIamError) || err.awsCode !== 'EntityAlreadyExists') throw err;
    }
    const existing = await this.#observe(spec.accountId, spec.roleName);
    if (existing === undefined)
      throw new SandboxIamError('NoSuchEntity', 'unavailable', `role ${spec.roleName} vanished while being read; try again`);
    const cmp = compareRole(spec, existing);
    if (cmp.mismatches.length > 0)
      throw new ChatopsError(
        'conflict',
        `sandbox IAM: a role named ${spec.roleName} already exists in account ${spec.accountId} (${existing.arn}) and is not the planned role; ` +
          'nothing was changed. Choose another role name, or delete or fix the existing role:',
        { details: cmp.mismatches.map((m) => `- ${m}`) },
      );
    for (const policyArn of cmp.missingPolicies) await this.iam.attachRolePolicy(spec.accountId, existing.roleName, policyArn);
    if (cmp.missingTags.length > 0) await this.iam.tagRole(spec.accountId, existing.roleName, cmp.missingTags);
    return { arn: existing.arn, created: isOwnedBy(existing, spec.ownerTag) };
  }

  async inspectRole(arn: string): Promise<ObservedRole | undefined> {
    const parts = requireRoleArn(arn, 'sandbox IAM: role ARN ');
    const role = await this.#observe(parts.accountId, parts.roleName);
    return role === undefined || role.path !== parts.path ? undefined : role;
  }

  async deleteRole(arn: string, opId: string): Promise<DeleteRoleResult> {
    void opId;
    const { accountId, roleName } = requireRoleArn(arn, 'sandbox IAM: role ARN ');
    let attached: string[];
    try {
      attached = await this.iam.listAttachedRolePolicies(accountId, roleName);
    } catch (err) {
      if (err instanceof SandboxIamError && err.awsCode === 'NoSuchEntity') return { deleted: false, detached: [] };
      throw err;
    }
    for (const policyArn of attached) await this.iam.detachRolePolicy(accountId, roleName, policyArn);
    await this.iam.deleteRole(accountId, roleName);
    return { deleted: true, detached: attached };
  }

  async #observe(accountId: string, roleName: string): Promise<ObservedRole | undefined> {
    try {
      const role = await this.iam.getRole(accountId, roleName);
      return {
        arn: role.arn,
        accountId,
        roleName: role.name,
        path: role.path,
        trustPolicyJson: role.trustPolicy,
        managedPolicyArns: [...role.attached],
        tags: role.tags.map((t) => ({ ...t })),
      };
    } catch (err) {
      if (err instanceof SandboxIamError && err.awsCode === 'NoSuchEntity') return undefined;
      throw err;
    }
  }
}

function findRole(s: State, accountId: string, roleName: string): SandboxRole {
  checkAccount(accountId);
  const role = s.accounts[accountId]?.[roleName.toLowerCase()];
  if (role === undefined) throw fail.noSuchRole(accountId, roleName);
  return role;
}

function checkAccount(accountId: string): void {
  if (!ACCOUNT.test(accountId)) throw fail.validation(`the account ID ${JSON.stringify(accountId)} must be 12 digits`);
}

function checkRoleName(name: string): void {
  if (!ROLE_NAME.test(name))
    throw fail.validation(
      name.length === 0 || name.length > 64
        ? `the role name must be 1-64 characters long (it has ${name.length})`
        : `the role name ${JSON.stringify(name)} may contain only A-Z a-z 0-9 and + = , . @ _ -`,
    );
}

function checkTags(tags: readonly RoleTag[], existing: readonly RoleTag[]): void {
  const seen = new Set(existing.map((t) => t.key.toLowerCase()));
  for (const t of tags) {
    if (!TAG_KEY.test(t.key))
      throw fail.validation(`the tag key ${JSON.stringify(t.key)} must be 1-128 characters of letters, digits, spaces and _ . : / = + - @`);
    if (t.key.toLowerCase().startsWith('aws:'))
      throw fail.invalidInput(`the tag key ${JSON.stringify(t.key)} uses the reserved prefix aws:`);
    if (!TAG_VALUE.test(t.value))
      throw fail.validation(`the value of tag ${t.key} must be at most 256 characters of letters, digits, spaces and _ . : / = + - @`);
    const k = t.key.toLowerCase();
    if (seen.has(k)) throw fail.invalidInput(`duplicate tag key ${JSON.stringify(t.key)} (tag keys are case-insensitive)`);
    seen.add(k);
  }
  if (seen.size > SANDBOX_IAM_LIMITS.tagsPerRole)
    throw fail.limit(`a role can have at most ${SANDBOX_IAM_LIMITS.tagsPerRole} tags (this would make ${seen.size})`);
}

/** IAM's checks of a trust (assume-role) policy, with its MalformedPolicyDocument wording where it has one. */
export function checkTrustPolicy(doc: string): void {
  let p: unknown;
  try {
    p = JSON.parse(doc);
  } catch {
    throw fail.malformed('this policy contains invalid Json');
  }
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw fail.malformed('the policy must be a JSON object');
  const compactLength = JSON.stringify(p).length;
  if (compactLength > SANDBOX_IAM_LIMITS.trustPolicyChars)
    throw fail.limit(
      `cannot exceed quota for ACLSizePerRole: ${SANDBOX_IAM_LIMITS.trustPolicyChars} (the trust policy has ${compactLength} characters)`,
    );
  const policy = p as Record<string, unknown>;
  for (const k of Object.keys(policy))
    if (k !== 'Version' && k !== 'Id' && k !== 'Statement') throw fail.malformed(`syntax error in policy: unknown field ${k}`);
  if (policy.Version !== '2012-10-17' && policy.Version !== '2008-10-17')
    throw fail.malformed(
      policy.Version === undefined
        ? 'the policy has no Version; use "2012-10-17"'
        : `the policy's Version ${JSON.stringify(policy.Version)} is not 2012-10-17 or 2008-10-17`,
    );
  const statements = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement === undefined ? [] : [policy.Statement];
  if (statements.length === 0) throw fail.malformed('missing required field Statement');
  for (const s of statements) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw fail.malformed('each Statement must be a JSON object');
    const st = s as Record<string, unknown>;
    for (const k of Object.keys(st))
      if (!STATEMENT_KEYS.has(k)) throw fail.malformed(`syntax error in policy: unknown field ${k} in a statement`);
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny')
      throw fail.malformed(`invalid effect: ${JSON.stringify(st.Effect)}; expected Allow or Deny`);
    if ('Resource' in st || 'NotResource' in st)
      throw fail.malformed('has prohibited field Resource (a trust policy applies to the role itself)');
    const principal = st.Principal ?? st.NotPrincipal;
    if (principal === undefined) throw fail.malformed('missing required field Principal');
    checkPrincipal(principal);
    const actions = st.Action ?? st.NotAction;
    if (actions === undefined) throw fail.malformed('missing required field Action');
    for (const a of Array.isArray(actions) ? actions : [actions]) {
      if (typeof a !== 'string') throw fail.malformed('an Action must be a string');
      if (!TRUST_ACTIONS.has(a.toLowerCase()) && a !== '*' && a.toLowerCase() !== 'sts:*')
        throw fail.malformed(
          `AssumeRolePolicy contains an invalid action: ${a} (a trust policy allows sts actions such as sts:AssumeRole)`,
        );
    }
    if (st.Condition !== undefined && (typeof st.Condition !== 'object' || st.Condition === null || Array.isArray(st.Condition)))
      throw fail.malformed('Condition must be a JSON object');
  }
}

function checkPrincipal(p: unknown): void {
  if (p === '*') return;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw fail.malformed(`invalid principal in policy: ${JSON.stringify(p)}`);
  for (const [kind, v] of Object.entries(p)) {
    const values = Array.isArray(v) ? v : [v];
    for (const x of values) {
      if (typeof x !== 'string') throw fail.malformed(`invalid principal in policy: ${JSON.stringify(x)}`);
      if (kind === 'AWS' && x !== '*' && !ACCOUNT.test(x) && !PRINCIPAL_ARN.test(x))
        throw fail.malformed(`invalid principal in policy: "AWS":${JSON.stringify(x)}`);
      if (kind !== 'AWS' && kind !== 'Service' && kind !== 'Federated' && kind !== 'CanonicalUser')
        throw fail.malformed(`invalid principal in policy: unknown principal type ${kind}`);
    }
  }
}

function checkState(raw: unknown): State {
  const s = raw as Partial<State> | null;
  if (typeof s !== 'object' || s === null || s.version !== 1 || typeof s.accounts !== 'object' || s.accounts === null)
    throw new TypeError('not a sandbox IAM state (version 1)');
  return s as State;
}
