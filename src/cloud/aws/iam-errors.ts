/**
 * Turns AWS SDK errors from IAM and STS into ChatopsErrors whose message says what failed, for
 * whom, and what to do. The SDK has already retried what it retries (throttling, transient
 * faults) by the time an error gets here, so `Throttling` means its attempts ran out.
 */
import { asChatopsError, ChatopsError, type ErrorCode } from '../../core/errors.ts';

export interface AwsCallContext {
  /** The IAM action of the call, as a policy names it: `iam:CreateRole`, `sts:AssumeRole`. */
  readonly action: string;
  /** What it acted on (a role ARN, or a description). */
  readonly resource: string;
  /** Who made the call, when known without asking (the provisioning role's ARN, or "the default AWS credentials"). */
  readonly identity: string;
}

/** The fields of an AWS SDK v3 service error that we read. */
interface AwsServiceError {
  name?: string;
  message?: string;
  Code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; attempts?: number; requestId?: string };
}

/** The error code the service sent (`EntityAlreadyExists`), not the SDK's class name (`EntityAlreadyExistsException`). */
export function awsErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as AwsServiceError;
  if (typeof e.Code === 'string') return e.Code;
  if (e.$metadata === undefined || typeof e.name !== 'string') return undefined;
  return e.name.replace(/Exception$/, '');
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequests', 'RequestThrottled']);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess']);
const UNAUTHENTICATED = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClient',
  'InvalidAccessKeyId',
  'MissingAuthenticationToken',
  'IncompleteSignature',
]);

/** The caller IAM names in an AccessDenied message ("User: arn:aws:sts::…:assumed-role/… is not authorized…"). */
export function identityInMessage(message: string | undefined): string | undefined {
  const m = /User: (arn:[^\s]+) is not authorized/.exec(message ?? '');
  return m?.[1];
}

/**
 * Marks an error for the onboarding runner as worth retrying with back-off although its code is
 * not `unavailable`/`throttled` (IAM's eventual consistency: see isRetryable in core/onboarding/gateways.ts).
 */
export function retryable<E extends ChatopsError>(err: E): E & { readonly retryable: true } {
  return Object.assign(err, { retryable: true as const });
}

export function isAwsError(err: unknown, ...codes: string[]): boolean {
  const code = awsErrorCode(err);
  return code !== undefined && codes.includes(code);
}

/** Maps an error from an IAM or STS call. ChatopsErrors pass through unchanged. */
export function mapAwsError(err: unknown, ctx: AwsCallContext): ChatopsError {
  if (err instanceof ChatopsError) return err;
  const code = awsErrorCode(err);
  const e = (typeof err === 'object' && err !== null ? err : {}) as AwsServiceError;
  const awsMessage = (e.message ?? '').trim();
  const attempts = e.$metadata?.attempts;
  const said = awsMessage ? ` (AWS said: ${awsMessage})` : '';
  const make = (c: ErrorCode, message: string) => new ChatopsError(c, message, { cause: err });

  if (code === undefined) {
    if (isCredentialsError(err))
      return make(
        'unauthenticated',
        `no AWS credentials for ${ctx.action}: ${awsMessage || 'the default credential chain found none'}; ` +
          'set AWS credentials (environment, shared config, SSO or an instance role) for the bot',
      );
    const wrapped = asChatopsError(err);
    if (wrapped.code === 'unavailable')
      return make('unavailable', `AWS ${service(ctx.action)} could not be reached for ${ctx.action}: ${wrapped.message}; try again later`);
    return wrapped;
  }
  if (THROTTLING.has(code))
    return make(
      'throttled',
      `AWS ${service(ctx.action)} throttled ${ctx.action}${attempts ? ` and ${attempts} attempts ran out` : ''}; try again in a minute`,
    );
  if (ACCESS_DENIED.has(code)) {
    const who = identityInMessage(awsMessage) ?? ctx.identity;
    return make(
      'forbidden',
      `${who} is not allowed to call ${ctx.action} on ${ctx.resource}; grant it ${ctx.action} (an IAM policy on that identity, ` +
        `and no SCP or permissions boundary denying it)${said}`,
    );
  }
  if (UNAUTHENTICATED.has(code))
    return make('unauthenticated', `AWS rejected the credentials of ${ctx.identity} for ${ctx.action}: ${code}${said}; renew or fix them`);
  switch (code) {
    case 'NoSuchEntity':
      return make('not_found', `${ctx.resource} does not exist (IAM ${ctx.action})${said}`);
    case 'EntityAlreadyExists':
      return make('conflict', `${ctx.resource} already exists${said}`);
    case 'MalformedPolicyDocument':
      return make('bad_input', `IAM refused the policy document for ${ctx.resource}${said}`);
    case 'LimitExceeded':
      return make(
        'limit_exceeded',
        `an IAM quota was reached for ${ctx.action} on ${ctx.resource}${said}; raise the quota or remove unused roles`,
      );
    case 'DeleteConflict':
      return make('conflict', `IAM cannot delete ${ctx.resource} while policies or instance profiles are attached${said}`);
    case 'InvalidInput':
    case 'ValidationError':
    case 'PackedPolicyTooLarge':
      return make('bad_input', `IAM refused ${ctx.action} on ${ctx.resource}${said}`);
    case 'ConcurrentModification':
    case 'EntityTemporarilyUnmodifiable':
    case 'ServiceFailure':
    case 'ServiceUnavailable':
    case 'InternalFailure':
    case 'RegionDisabledException':
      return make(
        'unavailable',
        `AWS ${service(ctx.action)} could not complete ${ctx.action} on ${ctx.resource} now${said}; try again later`,
      );
    default:
      return e.$fault === 'server'
        ? make('unavailable', `AWS ${service(ctx.action)} failed ${ctx.action} on ${ctx.resource}: ${code}${said}; try again later`)
        : asChatopsError(err);
  }
}

function service(action: string): string {
  return action.startsWith('sts:') ? 'STS' : 'IAM';
}

function isCredentialsError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'CredentialsProviderError' || /credential/i.test(err.message));
}
