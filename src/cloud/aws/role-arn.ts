/**
 * IAM role ARNs: `arn:aws:iam::<12 digits>:role/<optional path/><name>`. The legacy Sentinel
 * CloudTrail connector serves the commercial partition `aws` only, so other partitions are refused.
 */
import { ChatopsError } from '../../core/errors.ts';

export interface RoleArnParts {
  readonly accountId: string;
  /** `/` or `/a/b/`: starts and ends with a slash. */
  readonly path: string;
  readonly roleName: string;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[\u0021-\u007e]+\/)?)([A-Za-z0-9+=,.@_-]{1,64})$/;

export function roleArn(accountId: string, roleName: string, path = '/'): string {
  return `arn:aws:iam::${accountId}:role${path}${roleName}`;
}

/** Undefined when `arn` is not an IAM role ARN of the `aws` partition. */
export function parseRoleArn(arn: string): RoleArnParts | undefined {
  const m = ROLE_ARN.exec(arn);
  if (m === null) return undefined;
  return { accountId: m[1], path: m[2], roleName: m[3] };
}

/** Like parseRoleArn, but a malformed ARN is a ChatopsError('bad_input') saying what is expected. */
export function requireRoleArn(arn: string, label = ''): RoleArnParts {
  const parts = parseRoleArn(arn);
  if (parts !== undefined) return parts;
  const govOrChina = /^arn:aws-(us-gov|cn):/.test(arn);
  throw new ChatopsError(
    'bad_input',
    govOrChina
      ? `${label}${JSON.stringify(arn)} is in the ${arn.split(':')[1]} partition; the Sentinel CloudTrail connector serves the commercial partition (aws) only`
      : `${label}${JSON.stringify(arn)} is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/<name>`,
  );
}
