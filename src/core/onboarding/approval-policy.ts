/**
 * Who may request and who may decide, per workspace, as named requirements that return a sentence
 * for the person (a refusal) or nothing (after atlantis' command requirements). A refusal is an
 * ordinary answer, not an exception; the runner audits it and shows it.
 *
 * Defaults: the two-person rule is on (whoever set a step in motion cannot approve it), and a
 * person has 24 hours to decide. A rejection needs a reason. A workspace without approvers can
 * have nothing approved: the policy fails closed.
 */
import type { Decision, Onboarding, OnboardingEventType } from './machine.ts';
import { text } from './text.ts';

/** In `users`: anyone (the sandbox default; the two-person rule still applies). */
export const ANYONE = '*';

/** Chat user IDs and group IDs (Slack user groups, Teams/Entra groups); `*` in `users` is anyone. */
export interface Principals {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

export interface ApprovalPolicy {
  /** Who may request an onboarding; undefined: anyone in a channel the workspace serves. */
  readonly requesters?: Principals;
  /** Who may approve or reject. Empty: nobody (nothing can be approved). */
  readonly approvers: Principals;
  /** The requester (or whoever set the step in motion) cannot approve it. Default true. */
  readonly twoPersonRule?: boolean;
  /** How long a request waits for a decision. Default 24 h. */
  readonly approvalTtlMs?: number;
}

/** Policies by workspace short name; `*` applies to workspaces without their own. */
export type ApprovalPolicies = Readonly<Record<string, ApprovalPolicy>>;

export const DEFAULT_APPROVAL_TTL_MS = 24 * 3600_000;

/** The person acting, as the chat surface identified them. */
export interface Actor {
  readonly userId: string;
  readonly groups?: readonly string[];
}

export function policyFor(policies: ApprovalPolicies, workspaceName: string): ApprovalPolicy | undefined {
  return Object.hasOwn(policies, workspaceName) ? policies[workspaceName] : Object.hasOwn(policies, '*') ? policies['*'] : undefined;
}

export function approvalTtlMs(policy: ApprovalPolicy | undefined): number {
  return policy?.approvalTtlMs ?? DEFAULT_APPROVAL_TTL_MS;
}

function isIn(principals: Principals | undefined, actor: Actor): boolean {
  if (principals === undefined) return false;
  return (
    principals.users.includes(ANYONE) ||
    principals.users.includes(actor.userId) ||
    (actor.groups ?? []).some((g) => principals.groups.includes(g))
  );
}

function hasAny(principals: Principals | undefined): boolean {
  return principals !== undefined && (principals.users.length > 0 || principals.groups.length > 0);
}

export const DECISION_REQUIREMENTS = [
  'not_decided',
  'approvers_configured',
  'may_approve',
  'distinct_approver',
  'not_expired',
  'reason_given',
] as const;
export type DecisionRequirement = (typeof DECISION_REQUIREMENTS)[number];

/** One approve or reject click. */
export interface DecisionAttempt {
  readonly workspace: string;
  readonly actor: Actor;
  readonly outcome: 'approved' | 'rejected';
  readonly at: number;
  /** Who set the step in motion: the requester; for the role ARN also who submitted it; for a disconnect who asked. */
  readonly initiators: readonly string[];
  readonly expiresAt?: number;
  /** The decision already taken on this step, if any. */
  readonly decided?: Decision;
  readonly reason?: string;
}

/** The first requirement the attempt fails, as a sentence; undefined when it may go ahead. */
export function refuseDecision(
  policy: ApprovalPolicy | undefined,
  a: DecisionAttempt,
  requirements: readonly DecisionRequirement[] = DECISION_REQUIREMENTS,
): string | undefined {
  return failedRequirement(policy, a, requirements)?.refusal;
}

/** Like refuseDecision, also naming the requirement (for the audit log). */
export function failedRequirement(
  policy: ApprovalPolicy | undefined,
  a: DecisionAttempt,
  requirements: readonly DecisionRequirement[] = DECISION_REQUIREMENTS,
): { readonly requirement: DecisionRequirement; readonly refusal: string } | undefined {
  for (const requirement of requirements) {
    const refusal = check(requirement, policy, a);
    if (refusal !== undefined) return { requirement, refusal };
  }
  return undefined;
}

function check(r: DecisionRequirement, policy: ApprovalPolicy | undefined, a: DecisionAttempt): string | undefined {
  switch (r) {
    case 'not_decided':
      return a.decided === undefined ? undefined : text.alreadyDecided(a.decided.outcome, a.decided.by, a.decided.at);
    case 'approvers_configured':
      return hasAny(policy?.approvers) ? undefined : text.noApprovers(a.workspace);
    case 'may_approve':
      return isIn(policy?.approvers, a.actor) ? undefined : text.notApprover(a.workspace);
    case 'distinct_approver':
      if (a.outcome !== 'approved' || policy?.twoPersonRule === false) return undefined;
      return a.initiators.includes(a.actor.userId) ? text.selfApproval() : undefined;
    case 'not_expired':
      return a.expiresAt !== undefined && a.at >= a.expiresAt ? text.approvalExpired(a.expiresAt) : undefined;
    case 'reason_given':
      return a.outcome === 'rejected' && (a.reason ?? '').trim() === '' ? text.reasonRequired() : undefined;
    default:
      return assertNever(r);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled requirement: ${String(x)}`);
}

/** May this person request an onboarding for the workspace? */
export function refuseRequest(policy: ApprovalPolicy | undefined, actor: Actor, workspace: string): string | undefined {
  if (policy?.requesters === undefined) return undefined;
  return isIn(policy.requesters, actor) ? undefined : text.notRequester(workspace);
}

/**
 * Cancel, retry, submitting the role ARN, asking for a disconnect: the requester or an approver.
 * (A disconnect still needs an approval by someone else.)
 */
export function refuseParticipant(policy: ApprovalPolicy | undefined, actor: Actor, s: Onboarding): string | undefined {
  if (actor.userId === s.requestedBy || isIn(policy?.approvers, actor)) return undefined;
  return text.notParticipant(s.plan.workspace.name);
}

/** The decision attempt that an approve/reject event of `type` makes on `s`. */
export function attemptOn(
  s: Onboarding,
  type: OnboardingEventType,
  actor: Actor,
  at: number,
  reason?: string,
): DecisionAttempt | undefined {
  const outcome = type.endsWith('.approved') ? 'approved' : 'rejected';
  const base = { workspace: s.plan.workspace.name, actor, outcome, at, expiresAt: s.expiresAt, reason } as const;
  switch (type) {
    case 'plan.approved':
    case 'plan.rejected':
      return { ...base, initiators: [s.requestedBy], decided: s.decisions.plan };
    case 'arn.approved':
    case 'arn.rejected':
      return {
        ...base,
        initiators: s.roleSubmittedBy === undefined ? [s.requestedBy] : [s.requestedBy, s.roleSubmittedBy],
        decided: s.decisions.arn,
      };
    case 'disconnect.approved':
    case 'disconnect.rejected':
      return { ...base, initiators: s.disconnect === undefined ? [] : [s.disconnect.requestedBy], decided: s.decisions.disconnect };
    default:
      return undefined;
  }
}
