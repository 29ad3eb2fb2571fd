/**
 * Input checks for onboarding, each returning the sentence that says what is wrong (from text.ts),
 * or `undefined` when the value is fine. Nothing here throws: the plan builder collects every
 * problem and refuses at once (plan.ts), the machine refuses a bad submitted ARN with the sentence.
 *
 * The rules are IAM's and Sentinel's (DESIGN.md, "Facts the code must get right"):
 * - account IDs: exactly 12 digits, as strings (leading zeros count);
 * - role names: 1-64 characters of `[A-Za-z0-9+=,.@_-]`;
 * - role paths: `/` or `/a/b/`, 1-512 printable ASCII characters;
 * - role ARNs: `arn:aws:iam::<12 digits>:role/<optional path/><name>`, commercial partition only
 *   (the legacy CloudTrail connector; AWS GovCloud needs the S3-based connector);
 * - tags: at most 50 per role (one slot is the bot's owner tag), keys 1-128 and values 0-256
 *   characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, keys unique regardless of case, no `aws:` prefix;
 * - the external ID: the Log Analytics workspace ID (a GUID), not the workspace's resource ID.
 */
import type { RoleTag } from './gateways.ts';
import { text } from './text.ts';

export const MAX_ROLE_NAME_LENGTH = 64;
export const MAX_ROLE_PATH_LENGTH = 512;
/** IAM's limit of tags per role. */
export const MAX_TAGS_PER_ROLE = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** The key of the tag that marks a role as made by an onboarding (see `RoleSpec.ownerTag`). */
export const OWNER_TAG_KEY = 'sentinel-chatops:onboarding';
/** Planned tags may use this many: one slot stays free for the owner tag. */
export const MAX_PLANNED_TAGS = MAX_TAGS_PER_ROLE - 1;

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_NAME_CHAR = /[A-Za-z0-9+=,.@_-]/;
const ROLE_PATH = /^\/(?:[\u0021-\u007e]+\/)?$/;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_CHAR = /[\p{L}\p{Z}\p{N}_.:/=+\-@]/u;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_ID = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+\/?$/i;
/** `arn:<partition>:<service>:<region>:<account>:<resource>`, the resource taking the rest. */
const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/;

/** A 12-digit AWS account ID (a string: leading zeros count). */
export function checkAccountId(accountId: string): string | undefined {
  return ACCOUNT_ID.test(accountId) ? undefined : text.accountIdInvalid(accountId);
}

export function checkRoleName(name: string): string | undefined {
  if (name.length === 0) return text.roleNameEmpty();
  const bad = [...new Set([...name].filter((c) => !ROLE_NAME_CHAR.test(c)))];
  if (bad.length > 0) return text.roleNameChars(name, bad);
  if (name.length > MAX_ROLE_NAME_LENGTH) return text.roleNameTooLong(name, name.length);
  return undefined;
}

export function checkRolePath(path: string): string | undefined {
  return path.length <= MAX_ROLE_PATH_LENGTH && ROLE_PATH.test(path) ? undefined : text.rolePathInvalid(path);
}

/** The Log Analytics workspace ID (a GUID): the trust policy's external ID. */
export function checkWorkspaceId(workspaceId: string): string | undefined {
  if (GUID.test(workspaceId)) return undefined;
  if (RESOURCE_ID.test(workspaceId)) return text.workspaceIdIsResourceId(workspaceId);
  return text.workspaceIdInvalid(workspaceId);
}

/** True when `value` is the ARM resource ID of a Log Analytics workspace (the common wrong external ID). */
export function isWorkspaceResourceId(value: string): boolean {
  return RESOURCE_ID.test(value);
}

/** Every problem with a role's planned tags, one sentence each (empty when they are fine). */
export function checkTags(tags: readonly RoleTag[], max: number = MAX_PLANNED_TAGS): string[] {
  const problems: string[] = [];
  if (tags.length > max) problems.push(text.tooManyTags(tags.length, max));
  const seen = new Map<string, string>();
  for (const { key, value } of tags) {
    const keyLength = [...key].length;
    if (keyLength < 1 || keyLength > MAX_TAG_KEY_LENGTH) problems.push(text.tagKeyLength(key, keyLength));
    else if (!TAG_CHARS.test(key)) problems.push(text.tagKeyChars(key, badTagChars(key)));
    if (/^aws:/i.test(key)) problems.push(text.tagKeyAwsPrefix(key));
    if (key.toLowerCase() === OWNER_TAG_KEY) problems.push(text.tagKeyReserved(key));
    const valueLength = [...value].length;
    if (valueLength > MAX_TAG_VALUE_LENGTH) problems.push(text.tagValueLength(key, valueLength));
    else if (!TAG_CHARS.test(value)) problems.push(text.tagValueChars(key, badTagChars(value)));
    const lower = key.toLowerCase();
    const first = seen.get(lower);
    if (first !== undefined) problems.push(text.tagKeyDuplicate(key, first));
    else seen.set(lower, key);
  }
  return problems;
}

function badTagChars(s: string): string[] {
  return [...new Set([...s].filter((c) => !TAG_CHAR.test(c)))];
}

export interface RoleArnParts {
  readonly accountId: string;
  /** `/` or `/a/b/`. */
  readonly path: string;
  readonly roleName: string;
}

/** `arn:aws:iam::<account>:role<path><name>`. */
export function roleArnOf(accountId: string, roleName: string, path = '/'): string {
  return `arn:aws:iam::${accountId}:role${path}${roleName}`;
}

export type ParsedRoleArn = { readonly ok: true; readonly parts: RoleArnParts } | { readonly ok: false; readonly problem: string };

/**
 * Parses an IAM role ARN of the commercial partition. A refusal names what is wrong: not an ARN,
 * the GovCloud or China partition, not IAM, not a role, a bad account ID, path or role name.
 */
export function parseRoleArn(arn: string): ParsedRoleArn {
  const fail = (problem: string): ParsedRoleArn => ({ ok: false, problem });
  const trimmed = arn.trim();
  const m = ARN.exec(trimmed);
  if (m === null) return fail(text.arnMalformed(arn));
  const [, partition, service, region, accountId, resource] = m;
  if (partition === 'aws-us-gov') return fail(text.arnGovCloud(trimmed));
  if (partition === 'aws-cn') return fail(text.arnChina(trimmed));
  if (partition !== 'aws') return fail(text.arnPartition(trimmed, partition));
  if (service !== 'iam' || region !== '') return fail(text.arnNotIamRole(trimmed));
  if (!ACCOUNT_ID.test(accountId)) return fail(text.arnAccountInvalid(trimmed, accountId));
  if (!resource.startsWith('role/')) return fail(text.arnNotIamRole(trimmed));
  const slash = resource.lastIndexOf('/');
  const path = resource.slice(4, slash + 1);
  const roleName = resource.slice(slash + 1);
  const pathProblem = checkRolePath(path);
  if (pathProblem !== undefined) return fail(pathProblem);
  const nameProblem = checkRoleName(roleName);
  if (nameProblem !== undefined) return fail(nameProblem);
  return { ok: true, parts: { accountId, path, roleName } };
}

/** A role ARN for `expectedAccountId`: well-formed, commercial partition, same account. */
export function checkRoleArn(arn: string, expectedAccountId: string): string | undefined {
  const parsed = parseRoleArn(arn);
  if (!parsed.ok) return parsed.problem;
  if (parsed.parts.accountId !== expectedAccountId) return text.arnAccountMismatch(arn.trim(), parsed.parts.accountId, expectedAccountId);
  return undefined;
}
