/**
 * The trust policy of the role that Microsoft Sentinel's legacy AWS connector assumes, and a
 * comparer that names how a role someone else created differs from the plan.
 *
 * The facts (DESIGN.md): principal `arn:aws:iam::197857026523:root` (Microsoft's account), action
 * `sts:AssumeRole`, condition `StringEquals` `sts:ExternalId` = the Log Analytics workspace ID (a
 * GUID, lower case, not the workspace's resource ID); permissions: the AWS managed policy
 * `arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess` (the manual guide's
 * "AWSCloudTrailReadOnlyAccess" is its older name).
 *
 * The comparer reads policies by meaning, not by text: IAM may reorder keys, write a single value
 * as a string or a one-element list, and show an account principal as its 12 digits or as
 * `arn:aws:iam::<account>:root`. It reports what lets anyone other than Microsoft in, what lets
 * Microsoft in without the external ID, and what permissions differ, each as a sentence.
 */
import type { ObservedRole } from './gateways.ts';
import { text } from './text.ts';
import { isWorkspaceResourceId } from './validate.ts';

export const MICROSOFT_SENTINEL_AWS_ACCOUNT = '197857026523';
export const MICROSOFT_SENTINEL_PRINCIPAL = `arn:aws:iam::${MICROSOFT_SENTINEL_AWS_ACCOUNT}:root`;
export const ASSUME_ROLE_ACTION = 'sts:AssumeRole';
export const EXTERNAL_ID_KEY = 'sts:ExternalId';
export const POLICY_VERSION = '2012-10-17';
export const CLOUDTRAIL_READONLY_POLICY_ARN = 'arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess';
/** The managed policy's former name, as the manual guide spells it. */
export const CLOUDTRAIL_READONLY_POLICY_OLD_ARN = 'arn:aws:iam::aws:policy/AWSCloudTrailReadOnlyAccess';

export interface TrustPolicyDocument {
  readonly Version: typeof POLICY_VERSION;
  readonly Statement: readonly [
    {
      readonly Effect: 'Allow';
      readonly Principal: { readonly AWS: typeof MICROSOFT_SENTINEL_PRINCIPAL };
      readonly Action: typeof ASSUME_ROLE_ACTION;
      readonly Condition: { readonly StringEquals: { readonly [EXTERNAL_ID_KEY]: string } };
    },
  ];
}

/** The trust policy for a workspace. `workspaceId` must be a GUID (validate.ts); it is lower-cased. */
export function trustPolicy(workspaceId: string): TrustPolicyDocument {
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: MICROSOFT_SENTINEL_PRINCIPAL },
        Action: ASSUME_ROLE_ACTION,
        Condition: { StringEquals: { [EXTERNAL_ID_KEY]: workspaceId.toLowerCase() } },
      },
    ],
  };
}

/** The trust policy as compact JSON (what CreateRole and the CLI commands get). */
export function trustPolicyJson(workspaceId: string): string {
  return JSON.stringify(trustPolicy(workspaceId));
}

/** What a mismatch is about. */
export type MismatchKind = 'trust_policy' | 'trust_principal' | 'action' | 'external_id' | 'managed_policy' | 'account';

export interface PolicyMismatch {
  readonly kind: MismatchKind;
  /** One sentence for the requester and the approvers (text.ts). */
  readonly text: string;
}

export interface ExpectedRole {
  readonly accountId: string;
  /** The workspace ID GUID: the external ID the trust policy must require. */
  readonly workspaceId: string;
  /** The workspace's short name, for messages. */
  readonly workspaceName: string;
  readonly managedPolicyArns: readonly string[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Names every way `role` differs from the plan: trust principal (someone other than Microsoft may
 * assume it, or Microsoft may not), action (not exactly sts:AssumeRole), external ID (missing,
 * another value, the resource ID, another case, or a weaker operator), managed policies (the
 * CloudTrail read-only policy missing, or others attached), and the account. Empty: it matches.
 */
export function compareRole(expected: ExpectedRole, role: ObservedRole): PolicyMismatch[] {
  const out: PolicyMismatch[] = [];
  const add = (kind: MismatchKind, sentence: string) => out.push({ kind, text: sentence });
  if (role.accountId !== expected.accountId) add('account', text.roleInOtherAccount(role.accountId, expected.accountId));
  out.push(...compareTrustPolicy(role.trustPolicyJson, expected));
  const attached = new Set(role.managedPolicyArns);
  for (const arn of expected.managedPolicyArns) {
    if (attached.has(arn)) continue;
    if (arn === CLOUDTRAIL_READONLY_POLICY_ARN && attached.has(CLOUDTRAIL_READONLY_POLICY_OLD_ARN))
      add('managed_policy', text.policyOldName(CLOUDTRAIL_READONLY_POLICY_OLD_ARN, arn));
    else add('managed_policy', text.policyMissing(arn));
  }
  const planned = new Set(expected.managedPolicyArns);
  for (const arn of role.managedPolicyArns)
    if (!planned.has(arn) && arn !== CLOUDTRAIL_READONLY_POLICY_OLD_ARN) add('managed_policy', text.policyExtra(arn));
  return out;
}

interface Statement {
  effect: string;
  principals: string[];
  /** Principal or NotPrincipal is `*`, or Allow with NotPrincipal: anyone (else). */
  anyone: boolean;
  actions: string[];
  notAction: boolean;
  /** operator (lower case) → key (lower case) → values */
  conditions: Map<string, Map<string, string[]>>;
}

/** The trust-policy part of compareRole. */
export function compareTrustPolicy(
  trustPolicyJson: string,
  expected: Pick<ExpectedRole, 'workspaceId' | 'workspaceName'>,
): PolicyMismatch[] {
  const out: PolicyMismatch[] = [];
  const add = (kind: MismatchKind, sentence: string) => out.push({ kind, text: sentence });
  let doc: Json;
  try {
    doc = JSON.parse(trustPolicyJson) as Json;
  } catch {
    return [{ kind: 'trust_policy', text: text.trustPolicyUnreadable() }];
  }
  const statements = readStatements(doc);
  if (statements === undefined) return [{ kind: 'trust_policy', text: text.trustPolicyUnreadable() }];
  const allows = statements.filter((s) => s.effect === 'Allow');

  const others = new Set<string>();
  for (const s of allows) {
    if (s.anyone) others.add('*');
    for (const p of s.principals) if (!isMicrosoft(p)) others.add(p);
  }
  for (const p of others) add('trust_principal', text.trustsOtherPrincipal(p));

  const microsoft = allows.filter((s) => s.principals.some(isMicrosoft));
  if (microsoft.length === 0) {
    add('trust_principal', text.doesNotTrustMicrosoft());
    return out;
  }
  const wanted = expected.workspaceId.toLowerCase();
  for (const s of microsoft) {
    if (s.notAction) add('action', text.actionNotAction());
    else if (!s.actions.some((a) => matchesAction(a, ASSUME_ROLE_ACTION))) add('action', text.actionMissing(s.actions));
    else {
      const extra = s.actions.filter((a) => a.toLowerCase() !== ASSUME_ROLE_ACTION.toLowerCase());
      if (extra.length > 0) add('action', text.actionExtra(extra));
    }
    out.push(...compareExternalId(s, wanted, expected.workspaceName));
  }
  return out;
}

function compareExternalId(s: Statement, wanted: string, workspaceName: string): PolicyMismatch[] {
  const out: PolicyMismatch[] = [];
  const add = (sentence: string) => out.push({ kind: 'external_id', text: sentence });
  const onKey: [string, string[]][] = [];
  for (const [operator, keys] of s.conditions) {
    const values = keys.get(EXTERNAL_ID_KEY.toLowerCase());
    if (values !== undefined) onKey.push([operator, values]);
  }
  if (onKey.length === 0) {
    add(text.externalIdMissing(wanted, workspaceName));
    return out;
  }
  for (const [operator, values] of onKey) {
    if (operator !== 'stringequals') add(text.externalIdOperator(operatorName(operator)));
    for (const v of values) {
      if (v === wanted) continue;
      if (isWorkspaceResourceId(v)) add(text.externalIdIsResourceId(v, wanted, workspaceName));
      else if (v.toLowerCase() === wanted) add(text.externalIdCase(v, wanted));
      else add(text.externalIdWrong(v, wanted, workspaceName));
    }
    if (values.length === 0) add(text.externalIdMissing(wanted, workspaceName));
  }
  return out;
}

function operatorName(lower: string): string {
  const known = ['StringEquals', 'StringLike', 'StringEqualsIgnoreCase', 'StringNotEquals', 'StringNotLike', 'ForAnyValue:StringEquals'];
  return known.find((k) => k.toLowerCase() === lower) ?? lower;
}

function isMicrosoft(principal: string): boolean {
  return principal === MICROSOFT_SENTINEL_PRINCIPAL || principal === MICROSOFT_SENTINEL_AWS_ACCOUNT;
}

/** IAM action matching: case-insensitive, `*` and `?` wildcards. */
function matchesAction(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(action);
}

function asList(v: Json | undefined): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readStatements(doc: Json): Statement[] | undefined {
  if (!isObject(doc)) return undefined;
  const raw = doc.Statement;
  const list = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : undefined;
  if (list === undefined) return undefined;
  const out: Statement[] = [];
  for (const s of list) {
    if (!isObject(s)) return undefined;
    const principals: string[] = [];
    let anyone = false;
    const readPrincipal = (p: Json | undefined) => {
      if (p === '*') anyone = true;
      else if (isObject(p)) {
        for (const [kind, values] of Object.entries(p))
          for (const v of asList(values)) {
            if (v === '*') anyone = true;
            else principals.push(kind === 'AWS' ? v : `${kind}:${v}`);
          }
      }
    };
    readPrincipal(s.Principal);
    if (s.NotPrincipal !== undefined) anyone = true;
    const conditions = new Map<string, Map<string, string[]>>();
    if (isObject(s.Condition))
      for (const [operator, keys] of Object.entries(s.Condition)) {
        if (!isObject(keys)) continue;
        const byKey = conditions.get(operator.toLowerCase()) ?? new Map<string, string[]>();
        for (const [key, values] of Object.entries(keys)) byKey.set(key.toLowerCase(), asList(values));
        conditions.set(operator.toLowerCase(), byKey);
      }
    out.push({
      effect: typeof s.Effect === 'string' ? s.Effect : '',
      principals,
      anyone,
      actions: asList(s.Action),
      notAction: s.NotAction !== undefined,
      conditions,
    });
  }
  return out;
}
