/**
 * The plan as people read it and as the requester runs it (self-service mode):
 * - `renderPlanText`: role name, ARN, trust policy JSON, managed policy, tags;
 * - `cloudFormationTemplate` / `renderCloudFormation`: one `AWS::IAM::Role`, JSON or YAML;
 * - `renderAwsCli`: `aws iam create-role`, `attach-role-policy`, `tag-role`.
 *
 * All three are built from the same plan, so the role they make is exactly the planned one. The
 * YAML is written by hand with every string in JSON quoting (a YAML double-quoted scalar), so no
 * YAML library is needed in core and no value can be misread (`on`, `0123`, `*`).
 */
import type { OnboardingPlan } from './plan.ts';

/** The CloudFormation logical ID of the role. */
export const ROLE_LOGICAL_ID = 'MicrosoftSentinelCloudTrailRole';

export function renderPlanText(plan: OnboardingPlan): string {
  const lines = [
    `AWS account: ${plan.accountId}`,
    `Sentinel workspace: ${plan.workspace.name} (workspace ID ${plan.workspace.workspaceId})`,
    `Role name: ${plan.roleName}`,
    ...(plan.path === '/' ? [] : [`Role path: ${plan.path}`]),
    `Role ARN: ${plan.roleArn}`,
    'Trust policy:',
    JSON.stringify(plan.trustPolicy, null, 2),
    `Managed policy: ${plan.managedPolicyArns.join(', ')}`,
    `Tags: ${plan.tags.length === 0 ? '(none)' : plan.tags.map((t) => `${t.key}=${t.value}`).join(', ')}`,
  ];
  return lines.join('\n');
}

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

/** The template as data (what `renderCloudFormation` writes). */
export function cloudFormationTemplate(plan: OnboardingPlan): { [k: string]: Json } {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `IAM role for the Microsoft Sentinel AWS CloudTrail connector of workspace ${plan.workspace.name}`,
    Resources: {
      [ROLE_LOGICAL_ID]: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: plan.roleName,
          Path: plan.path,
          Description: plan.description,
          AssumeRolePolicyDocument: plan.trustPolicy as unknown as Json,
          ManagedPolicyArns: plan.managedPolicyArns,
          Tags: plan.tags.map((t) => ({ Key: t.key, Value: t.value })),
        },
      },
    },
    Outputs: {
      RoleArn: {
        Description: 'Submit this ARN to the bot',
        Value: { 'Fn::GetAtt': [ROLE_LOGICAL_ID, 'Arn'] },
      },
    },
  };
}

export function renderCloudFormation(plan: OnboardingPlan, format: 'yaml' | 'json' = 'yaml'): string {
  const template = cloudFormationTemplate(plan);
  if (format === 'json') return `${JSON.stringify(template, null, 2)}\n`;
  const header = [
    `# Creates the IAM role ${plan.roleName} in account ${plan.accountId} for Microsoft Sentinel (workspace ${plan.workspace.name}).`,
    '# Deploy with credentials for that account; a named role needs CAPABILITY_NAMED_IAM:',
    `#   aws cloudformation deploy --template-file sentinel-role.yaml --stack-name ${stackName(plan)} --capabilities CAPABILITY_NAMED_IAM`,
  ];
  return `${header.join('\n')}\n${yaml(template, 0)}`;
}

function stackName(plan: OnboardingPlan): string {
  return `sentinel-cloudtrail-${plan.workspace.name}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 128);
}

/** Block YAML, strings in JSON quotes; keys that are plain identifiers (with `:`) stay bare. */
function yaml(value: Json, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}[]\n`;
    return value
      .map((item) => {
        if (isObject(item) && Object.keys(item).length > 0) {
          const body = yaml(item, indent + 2);
          return `${pad}- ${body.slice(indent + 2)}`;
        }
        return `${pad}- ${scalarOrInline(item)}\n`;
      })
      .join('');
  }
  if (isObject(value)) {
    return Object.entries(value)
      .map(([k, v]) => {
        const key = /^[A-Za-z][A-Za-z0-9:]*$/.test(k) ? k : JSON.stringify(k);
        if ((Array.isArray(v) && v.length > 0) || (isObject(v) && Object.keys(v).length > 0))
          return `${pad}${key}:\n${yaml(v, indent + 2)}`;
        return `${pad}${key}: ${scalarOrInline(v)}\n`;
      })
      .join('');
  }
  return `${pad}${scalarOrInline(value)}\n`;
}

function scalarOrInline(v: Json): string {
  if (Array.isArray(v)) return '[]';
  if (isObject(v)) return '{}';
  return JSON.stringify(v);
}

function isObject(v: Json): v is { readonly [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A POSIX shell word: single-quoted unless it is plainly safe. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_./:=@+,-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The AWS CLI commands that make the planned role (run with credentials for the account). */
export function renderAwsCli(plan: OnboardingPlan): string {
  const name = shellQuote(plan.roleName);
  const lines = [
    `# Run with credentials for account ${plan.accountId} (check: aws sts get-caller-identity --query Account --output text).`,
    [
      'aws iam create-role',
      `--role-name ${name}`,
      `--path ${shellQuote(plan.path)}`,
      `--description ${shellQuote(plan.description)}`,
      `--assume-role-policy-document ${shellQuote(JSON.stringify(plan.trustPolicy))}`,
    ].join(' \\\n  '),
    ...plan.managedPolicyArns.map((arn) => `aws iam attach-role-policy --role-name ${name} --policy-arn ${shellQuote(arn)}`),
  ];
  if (plan.tags.length > 0)
    lines.push(
      `aws iam tag-role --role-name ${name} --tags ${shellQuote(JSON.stringify(plan.tags.map((t) => ({ Key: t.key, Value: t.value }))))}`,
    );
  lines.push(`# Then submit the role ARN: ${plan.roleArn}`);
  lines.push(`aws iam get-role --role-name ${name} --query Role.Arn --output text`);
  return `${lines.join('\n')}\n`;
}
