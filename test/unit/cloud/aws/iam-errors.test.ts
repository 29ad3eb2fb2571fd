import assert from 'node:assert/strict';
import { test } from 'node:test';
import { awsErrorCode, identityInMessage, mapAwsError } from '../../../../src/cloud/aws/iam-errors.ts';
import { ChatopsError } from '../../../../src/core/errors.ts';

const ctx = { action: 'iam:CreateRole', resource: 'arn:aws:iam::012345678901:role/R', identity: 'the default AWS credentials' };

/** An error shaped like the SDK's service exceptions. */
function sdkError(name: string, message: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 1 }, ...extra });
}

test('the service code, not the SDK class name', () => {
  assert.equal(awsErrorCode(sdkError('EntityAlreadyExistsException', 'x', { Code: 'EntityAlreadyExists' })), 'EntityAlreadyExists');
  assert.equal(awsErrorCode(sdkError('NoSuchEntityException', 'x')), 'NoSuchEntity');
  assert.equal(awsErrorCode(new Error('plain')), undefined);
});

test('codes map to the closed set, with what to do', () => {
  const table: [string, string][] = [
    ['Throttling', 'throttled'],
    ['AccessDenied', 'forbidden'],
    ['NoSuchEntity', 'not_found'],
    ['EntityAlreadyExists', 'conflict'],
    ['MalformedPolicyDocument', 'bad_input'],
    ['LimitExceeded', 'limit_exceeded'],
    ['DeleteConflict', 'conflict'],
    ['InvalidInput', 'bad_input'],
    ['ExpiredToken', 'unauthenticated'],
    ['InvalidClientTokenId', 'unauthenticated'],
    ['ServiceFailure', 'unavailable'],
    ['ConcurrentModification', 'unavailable'],
  ];
  for (const [code, expected] of table) assert.equal(mapAwsError(sdkError(code, 'm', { Code: code }), ctx).code, expected, code);
});

test('AccessDenied names the caller IAM reports, else the known identity', () => {
  const said = 'User: arn:aws:sts::012345678901:assumed-role/P/s is not authorized to perform: iam:CreateRole on resource: x';
  assert.equal(identityInMessage(said), 'arn:aws:sts::012345678901:assumed-role/P/s');
  assert.match(
    mapAwsError(sdkError('AccessDenied', said, { Code: 'AccessDenied' }), ctx).message,
    /^arn:aws:sts::012345678901:assumed-role\/P\/s is not allowed to call iam:CreateRole/,
  );
  assert.match(
    mapAwsError(sdkError('AccessDenied', 'denied', { Code: 'AccessDenied' }), ctx).message,
    /^the default AWS credentials is not allowed to call iam:CreateRole/,
  );
});

test('an unknown server fault is unavailable; an unknown client fault is a bug with a reference', () => {
  assert.equal(mapAwsError(sdkError('Weird', 'm', { Code: 'Weird', $fault: 'server' }), ctx).code, 'unavailable');
  assert.equal(mapAwsError(sdkError('Weird', 'm', { Code: 'Weird' }), ctx).code, 'internal');
});

test('no credentials, unreachable endpoints, and ChatopsErrors passing through', () => {
  const noCreds = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
  assert.equal(mapAwsError(noCreds, ctx).code, 'unauthenticated');
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const mapped = mapAwsError(refused, ctx);
  assert.equal(mapped.code, 'unavailable');
  assert.match(mapped.message, /^AWS IAM could not be reached for iam:CreateRole/);
  const own = new ChatopsError('forbidden', 'x');
  assert.equal(mapAwsError(own, ctx), own);
});
