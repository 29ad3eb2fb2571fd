import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretKey, REDACTED, redactObject, scrubText, secretValuesFromEnv } from '../../../src/app/redact.ts';

describe('redact', () => {
  it('recognises secret-looking keys', () => {
    for (const k of [
      'token',
      'botToken',
      'SLACK_SIGNING_SECRET',
      'clientSecret',
      'password',
      'Authorization',
      'cookie',
      'apiKey',
      'private_key',
    ])
      assert.ok(isSecretKey(k), k);
    for (const k of ['workspaceId', 'name', 'channels', 'port', 'roleArn']) assert.ok(!isSecretKey(k), k);
  });

  it('redacts by key without touching the input, and survives cycles', () => {
    const input: Record<string, unknown> = { a: 1, list: [{ token: 't0ken-value' }], nested: { password: 'p', empty: '' } };
    input.self = input;
    const out = redactObject(input) as Record<string, unknown>;
    assert.deepEqual((out.list as unknown[])[0], { token: REDACTED });
    assert.deepEqual(out.nested, { password: REDACTED, empty: '' });
    assert.equal(out.self, out);
    assert.equal((input.list as { token: string }[])[0].token, 't0ken-value');
  });

  it('scrubs known values (also JSON-escaped) and token shapes from text', () => {
    const secret = 'pa"ss\\word-123';
    const json = JSON.stringify({ msg: `x ${secret} y` });
    assert.ok(!scrubText(json, [secret]).includes('word-123'));
    assert.equal(scrubText('Bearer abc.def-ghi'), `Bearer ${REDACTED}`);
    assert.equal(scrubText('xoxb-123-456-abc and xapp-1-A0-xyz'), `${REDACTED} and ${REDACTED}`);
    assert.equal(scrubText('short', ['short']), 'short', 'values shorter than 8 characters are left alone');
  });

  it('collects secret values from the environment, longest first', () => {
    const values = secretValuesFromEnv({ A_TOKEN: '12345678', B_SECRET: '1234567890', PORT: '99999999', SOME_TOKEN_FILE: '/path/to/file' });
    assert.deepEqual(values, ['1234567890', '12345678']);
  });
});
