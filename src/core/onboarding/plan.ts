/**
 * The onboarding plan for one AWS account and one Sentinel workspace: everything the approvers
 * see and the bot (or the requester) then does, and nothing else.
 *
 * - role name: given, or `MicrosoftSentinelCloudTrail-<workspace short name>` (cut to 64);
 * - path: given, or `/`;
 * - trust policy: trust-policy.ts, with the workspace ID as external ID;
 * - managed policy: AWSCloudTrail_ReadOnlyAccess;
 * - tags: `purpose` and `sentinel-workspace`, then the requester's (which win on the same key);
 * - the role ARN that follows from account, path and name.
 *
 * `buildPlan` refuses bad input with every problem at once (ChatopsError('bad_input'), one detail
 * line per problem), before anything is stored.
 */
import { ChatopsError } from '../errors.ts';
import type { RoleSpec, RoleTag, WorkspaceRef } from './gateways.ts';
import { text } from './text.ts';
import { CLOUDTRAIL_READONLY_POLICY_ARN, type TrustPolicyDocument, trustPolicy } from './trust-policy.ts';
import { checkAccountId, checkRoleName, checkRolePath, checkTags, checkWorkspaceId, OWNER_TAG_KEY, roleArnOf } from './validate.ts';

export const DEFAULT_ROLE_NAME_PREFIX = 'MicrosoftSentinelCloudTrail-';
export const DEFAULT_ROLE_PATH = '/';

export interface PlanInput {
  /** 12 digits. */
  readonly accountId: string;
  readonly workspace: WorkspaceRef;
  readonly roleName?: string;
  readonly path?: string;
  /** The requester's tags, added to the default ones. */
  readonly tags?: readonly RoleTag[];
}

/** Plain JSON data: stored with the onboarding, shown to approvers, rendered for self-service. */
export interface OnboardingPlan {
  readonly accountId: string;
  readonly workspace: WorkspaceRef;
  readonly roleName: string;
  readonly path: string;
  readonly trustPolicy: TrustPolicyDocument;
  readonly managedPolicyArns: readonly string[];
  readonly tags: readonly RoleTag[];
  readonly description: string;
  /** The ARN the role will have. */
  readonly roleArn: string;
}

/** `MicrosoftSentinelCloudTrail-<workspace short name>`, at most 64 characters. */
export function defaultRoleName(workspaceName: string): string {
  return `${DEFAULT_ROLE_NAME_PREFIX}${workspaceName}`.slice(0, 64);
}

export function defaultTags(workspace: WorkspaceRef): RoleTag[] {
  return [
    { key: 'purpose', value: 'microsoft-sentinel-cloudtrail' },
    { key: 'sentinel-workspace', value: workspace.name },
  ];
}

/** Default tags first; a requester's tag replaces a default one with the same key (any case). */
export function mergeTags(defaults: readonly RoleTag[], requested: readonly RoleTag[]): RoleTag[] {
  const keys = new Set(requested.map((t) => t.key.toLowerCase()));
  return [...defaults.filter((t) => !keys.has(t.key.toLowerCase())), ...requested];
}

/** Every problem with the input, one sentence each; empty when a plan can be built. */
export function planProblems(input: PlanInput): string[] {
  const problems: string[] = [];
  const push = (p: string | undefined) => {
    if (p !== undefined) problems.push(p);
  };
  push(checkAccountId(input.accountId));
  push(checkWorkspaceId(input.workspace.workspaceId));
  push(checkRoleName(input.roleName ?? defaultRoleName(input.workspace.name)));
  push(checkRolePath(input.path ?? DEFAULT_ROLE_PATH));
  problems.push(...checkTags(mergeTags(defaultTags(input.workspace), input.tags ?? [])));
  return problems;
}

/** The plan, or ChatopsError('bad_input') listing every problem. */
export function buildPlan(input: PlanInput): OnboardingPlan {
  const problems = planProblems(input);
  if (problems.length > 0) throw new ChatopsError('bad_input', text.invalidPlan(problems.length), { details: problems });
  const roleName = input.roleName ?? defaultRoleName(input.workspace.name);
  const path = input.path ?? DEFAULT_ROLE_PATH;
  const workspaceId = input.workspace.workspaceId.toLowerCase();
  return {
    accountId: input.accountId,
    workspace: {
      name: input.workspace.name,
      workspaceId,
      subscriptionId: input.workspace.subscriptionId,
      resourceGroup: input.workspace.resourceGroup,
      workspaceName: input.workspace.workspaceName,
    },
    roleName,
    path,
    trustPolicy: trustPolicy(workspaceId),
    managedPolicyArns: [CLOUDTRAIL_READONLY_POLICY_ARN],
    tags: mergeTags(defaultTags(input.workspace), input.tags ?? []),
    description: `Lets Microsoft Sentinel workspace ${input.workspace.name} (${workspaceId}) read CloudTrail through its AWS connector.`,
    roleArn: roleArnOf(input.accountId, roleName, path),
  };
}

/** What `iam.ensureRole` gets: the plan's role, marked as made by `onboardingId`. */
export function roleSpecOf(plan: OnboardingPlan, onboardingId: string): RoleSpec {
  return {
    accountId: plan.accountId,
    roleName: plan.roleName,
    path: plan.path,
    trustPolicy: JSON.stringify(plan.trustPolicy),
    managedPolicyArns: plan.managedPolicyArns,
    tags: plan.tags,
    ownerTag: ownerTag(onboardingId),
    description: plan.description,
  };
}

/** The tag that marks a role as made by this onboarding (see `RoleSpec.ownerTag`). */
export function ownerTag(onboardingId: string): RoleTag {
  return { key: OWNER_TAG_KEY, value: onboardingId };
}
