/**
 * Every sentence the onboarding workflow says to people (en), as small functions. Code and tests
 * use these entries, never copies of their wording, so wording can change in one place.
 */
import type { Mode, OnboardingEventType, Phase } from './machine.ts';

/** `2025-01-31 12:00:05 UTC`. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const q = (s: string) => JSON.stringify(s);
const list = (items: readonly string[]) => items.join(', ');

const PHASE_LABELS: Record<Phase, string> = {
  requested: 'just requested',
  awaiting_plan_approval: 'waiting for the plan to be approved',
  creating_role: 'creating the IAM role',
  awaiting_arn_approval: 'waiting for the role ARN to be approved',
  connecting: 'connecting Sentinel to the role',
  verifying: 'waiting for the first CloudTrail events',
  connected: 'connected',
  rejected: 'rejected',
  expired: 'expired',
  cancelled: 'cancelled',
  failed: 'failed',
  rolling_back: 'rolling back',
  awaiting_disconnect_approval: 'waiting for the disconnect to be approved',
  disconnecting: 'disconnecting',
  disconnected: 'disconnected',
};

const EVENT_LABELS: Record<OnboardingEventType, string> = {
  'plan.proposed': 'propose the plan',
  'plan.approved': 'approve the plan',
  'plan.rejected': 'reject the plan',
  'role.submitted': 'submit a role ARN',
  'arn.approved': 'approve the role ARN',
  'arn.rejected': 'reject the role ARN',
  'effect.done': 'finish a step',
  'effect.failed': 'fail a step',
  expire: 'expire',
  cancel: 'cancel',
  retry: 'retry',
  'disconnect.requested': 'ask for a disconnect',
  'disconnect.approved': 'approve the disconnect',
  'disconnect.rejected': 'reject the disconnect',
};

export const text = {
  phase(phase: Phase, mode?: Mode): string {
    if (phase === 'creating_role' && mode === 'self_service') return 'waiting for the requester to create the role and submit its ARN';
    return PHASE_LABELS[phase];
  },
  event(type: OnboardingEventType): string {
    return EVENT_LABELS[type];
  },
  mode(mode: Mode): string {
    return mode === 'bot_provisioned' ? 'the bot creates the role' : 'the requester creates the role';
  },

  // Input validation (validate.ts, plan.ts)
  accountIdInvalid: (got: string) =>
    `AWS account ID ${q(got)} is not valid: expected exactly 12 digits, such as 012345678901 (leading zeros count).`,
  roleNameEmpty: () => 'The role name is empty: expected 1-64 characters of A-Z a-z 0-9 + = , . @ _ -.',
  roleNameChars: (name: string, bad: readonly string[]) =>
    `Role name ${q(name)} is not valid: ${list(bad.map(q))} cannot be used; expected 1-64 characters of A-Z a-z 0-9 + = , . @ _ -.`,
  roleNameTooLong: (name: string, length: number) => `Role name ${q(name)} is too long: ${length} characters, IAM allows at most 64.`,
  rolePathInvalid: (path: string) =>
    `Role path ${q(path)} is not valid: expected / or /segments/ (starting and ending with /, printable ASCII, at most 512 characters).`,
  workspaceIdInvalid: (got: string) =>
    `Workspace ID ${q(got)} is not valid: expected the Log Analytics workspace ID, a GUID such as 01234567-89ab-cdef-0123-456789abcdef.`,
  workspaceIdIsResourceId: (got: string) =>
    `${q(got)} is the workspace's resource ID; the external ID must be the workspace ID (a GUID, on the workspace's Overview page).`,
  tooManyTags: (n: number, max: number) =>
    `Too many tags: ${n}; a role may have ${max + 1} and the bot uses one to mark roles it creates, so at most ${max}.`,
  tagKeyLength: (key: string, length: number) => `Tag key ${q(key)} has ${length} characters; IAM allows 1-128.`,
  tagKeyChars: (key: string, bad: readonly string[]) =>
    `Tag key ${q(key)} contains ${list(bad.map(q))}; tags may use letters, digits, spaces and _ . : / = + - @.`,
  tagValueLength: (key: string, length: number) => `The value of tag ${q(key)} has ${length} characters; IAM allows at most 256.`,
  tagValueChars: (key: string, bad: readonly string[]) =>
    `The value of tag ${q(key)} contains ${list(bad.map(q))}; tags may use letters, digits, spaces and _ . : / = + - @.`,
  tagKeyAwsPrefix: (key: string) => `Tag key ${q(key)} starts with aws:, which AWS reserves for its own tags.`,
  tagKeyReserved: (key: string) => `Tag key ${q(key)} is reserved: the bot uses it to mark roles it creates.`,
  tagKeyDuplicate: (key: string, first: string) =>
    `Tag key ${q(key)} is given twice (also as ${q(first)}); IAM tag keys are unique regardless of case.`,
  invalidPlan: (n: number) => (n === 1 ? 'The onboarding request is not valid:' : `The onboarding request has ${n} problems:`),

  // Role ARNs
  arnMalformed: (arn: string) => `${q(arn)} is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/<name>.`,
  arnGovCloud: (arn: string) =>
    `${q(arn)} is in AWS GovCloud (aws-us-gov); this connector serves the commercial partition (aws) only. GovCloud needs the S3-based connector.`,
  arnChina: (arn: string) => `${q(arn)} is in AWS China (aws-cn); this connector serves the commercial partition (aws) only.`,
  arnPartition: (arn: string, partition: string) =>
    `${q(arn)} is in partition ${q(partition)}; this connector serves the commercial partition (aws) only.`,
  arnNotIamRole: (arn: string) => `${q(arn)} is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/<name>.`,
  arnAccountInvalid: (arn: string, account: string) => `${q(arn)} has account ID ${q(account)}; expected exactly 12 digits.`,
  arnAccountMismatch: (arn: string, arnAccount: string, expected: string) =>
    `${q(arn)} is a role in account ${arnAccount}, but this onboarding is for account ${expected}.`,

  // Comparing a role with the plan (trust-policy.ts)
  roleInOtherAccount: (got: string, expected: string) => `The role is in account ${got}, not in account ${expected}.`,
  trustPolicyUnreadable: () => 'The role\'s trust policy cannot be read as a policy document (JSON with a "Statement").',
  trustsOtherPrincipal: (principal: string) =>
    principal === '*'
      ? "The trust policy lets anyone assume the role; it must trust only Microsoft's account 197857026523."
      : `The trust policy also lets ${principal} assume the role; it must trust only Microsoft's account 197857026523.`,
  doesNotTrustMicrosoft: () => "The trust policy does not trust Microsoft's account: the principal must be arn:aws:iam::197857026523:root.",
  actionMissing: (actions: readonly string[]) =>
    `The trust policy allows ${actions.length === 0 ? 'no action' : list(actions)} for Microsoft's account; it must allow sts:AssumeRole.`,
  actionExtra: (extra: readonly string[]) => `The trust policy also allows ${list(extra)}; it must allow only sts:AssumeRole.`,
  actionNotAction: () => 'The trust policy uses NotAction; it must allow exactly sts:AssumeRole.',
  externalIdMissing: (wanted: string, workspace: string) =>
    `The trust policy does not require an external ID; it must require sts:ExternalId = ${wanted} (the ID of workspace ${workspace}).`,
  externalIdWrong: (got: string, wanted: string, workspace: string) =>
    `The trust policy's external ID is ${got}; it must be ${wanted}, the ID of workspace ${workspace}.`,
  externalIdIsResourceId: (got: string, wanted: string, workspace: string) =>
    `The trust policy's external ID is the workspace's resource ID (${got}); it must be the workspace ID ${wanted} of workspace ${workspace}.`,
  externalIdCase: (got: string, wanted: string) =>
    `The trust policy's external ID ${got} differs from ${wanted} in letter case; StringEquals compares exactly.`,
  externalIdOperator: (operator: string) => `The trust policy checks the external ID with ${operator}; it must use StringEquals.`,
  policyMissing: (arn: string) => `The role does not have the managed policy ${arn} attached.`,
  policyOldName: (old: string, arn: string) => `The role has ${old} attached, the policy's former name; attach ${arn} instead.`,
  policyExtra: (arn: string) =>
    `The role also has ${arn} attached; the plan attaches only AWSCloudTrail_ReadOnlyAccess (Microsoft could use any other permission too).`,

  // Approval policy (approval-policy.ts)
  selfApproval: () => 'You cannot approve your own request: the two-person rule needs another approver to decide.',
  notApprover: (workspace: string) => `You are not an approver for workspace ${workspace}; ask one of its approvers.`,
  noApprovers: (workspace: string) =>
    `No approvers are configured for workspace ${workspace}, so nothing can be approved; an administrator must add some.`,
  notRequester: (workspace: string) => `You may not request AWS onboardings for workspace ${workspace}; ask one of its approvers.`,
  notParticipant: (workspace: string) => `Only the requester or an approver of workspace ${workspace} may do that.`,
  approvalExpired: (expiresAt: number) => `This request expired at ${formatTime(expiresAt)}; request it again.`,
  alreadyDecided: (outcome: 'approved' | 'rejected', by: string, at: number) => `Already ${outcome} by ${by} at ${formatTime(at)}.`,
  reasonRequired: () => 'Give a reason to reject: the requester and the audit log need it.',

  // The machine (machine.ts) and the runner (runner.ts)
  notNow: (phase: Phase, type: OnboardingEventType, mode?: Mode) =>
    `This onboarding is ${text.phase(phase, mode)}; it is not the time to ${text.event(type)}.`,
  unexpectedEffect: (effectId: string) => `The result of step ${effectId} is not awaited any more; it was ignored.`,
  botCreatesRole: () => 'The bot creates the role in this onboarding; there is no role ARN to submit.',
  roleBeingChecked: () => 'A role ARN was submitted and is being checked; wait for the result.',
  cancelWhileRunning: (phase: Phase) => `The bot is ${PHASE_LABELS[phase]} right now; cancel when that step has finished or failed.`,
  cancelConnected: () => 'This onboarding is connected: ask for a disconnect instead.',
  onboardingNotFound: (id: string) => `There is no onboarding ${q(id)}.`,
  workspaceNotConfigured: (name: string, configured: readonly string[]) =>
    `Workspace ${q(name)} is not configured${configured.length === 0 ? '' : `; configured: ${list(configured)}`}.`,
  alreadyOpen: (accountId: string, workspace: string, id: string, phase: Phase) =>
    `An onboarding of account ${accountId} into workspace ${workspace} is already open: ${id} (${PHASE_LABELS[phase]}).`,
  shuttingDown: () => 'The bot is restarting; try again shortly.',
  roleNotFound: (arn: string) => `There is no role ${arn} (IAM does not know it); check the ARN and submit it again.`,
  roleUnchecked: (reason: string) =>
    `The bot could not read the role to compare it with the plan (${reason}); approvers: check its trust policy and permissions yourselves.`,
  roleMismatch: (arn: string, mismatches: readonly string[]) =>
    `The role ${arn} does not match the plan; fix it and submit the ARN again:\n${mismatches.map((m) => `- ${m}`).join('\n')}`,
  roleArnDiffers: (got: string, planned: string) => `IAM answered with role ${got}, but the plan is for ${planned}.`,

  // Notifications
  planReady: (id: string, accountId: string, workspace: string, by: string) =>
    `${by} asks to connect AWS account ${accountId} to workspace ${workspace} (onboarding ${id}): please review and approve the plan.`,
  roleNeeded: (id: string, roleName: string) =>
    `Plan approved (onboarding ${id}): create the role ${roleName} with the CloudFormation template or the AWS CLI commands, then submit its ARN.`,
  arnReady: (id: string, arn: string, checked: boolean) =>
    `Role ${arn} is ready (onboarding ${id})${checked ? ' and matches the plan' : ''}: please approve connecting Sentinel to it.`,
  connected: (id: string, accountId: string, workspace: string, events: number) =>
    `AWS account ${accountId} is connected to workspace ${workspace} (onboarding ${id}): ${events} first CloudTrail event${events === 1 ? '' : 's'} arrived.`,
  failed: (id: string, step: Phase, message: string) =>
    `Onboarding ${id} failed while ${PHASE_LABELS[step]}: ${message} You may retry or cancel it.`,
  noEventsYet: (causes: readonly string[], health: readonly string[]) =>
    `No CloudTrail events arrived in time.${causes.length > 0 ? ` Likely causes: ${causes.join(' ')}` : ''}${
      health.length > 0 ? ` SentinelHealth: ${health.join(' ')}` : ''
    }`,
  rejected: (id: string, by: string, reason: string) => `Onboarding ${id} was rejected by ${by}: ${reason}`,
  expired: (id: string) => `Onboarding ${id} expired before it was decided.`,
  disconnectExpired: (id: string) => `The disconnect of onboarding ${id} was not approved in time; it stays connected.`,
  cancelled: (id: string, by: string) => `Onboarding ${id} was cancelled by ${by}.`,
  disconnectRequested: (id: string, by: string) => `${by} asks to disconnect onboarding ${id}: please approve or reject.`,
  disconnectRejected: (id: string, by: string, reason: string) => `The disconnect of onboarding ${id} was rejected by ${by}: ${reason}`,
  disconnected: (id: string) => `Onboarding ${id} is disconnected: the connector is gone, and the role too if the bot made it.`,
};
