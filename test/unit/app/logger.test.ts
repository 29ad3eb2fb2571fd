import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../../src/app/logger.ts';
import { secretValuesFromEnv } from '../../../src/app/redact.ts';

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (s: string) => lines.push(s) } };
}

describe('createLogger', () => {
  it('writes JSON lines with level labels and respects the level', () => {
    const out = capture();
    const log = createLogger({ level: 'warn', destination: out.destination });
    log.info('hidden');
    log.warn({ workspace: 'sandbox' }, 'shown');
    assert.equal(out.lines.length, 1);
    const line = JSON.parse(out.lines[0]);
    assert.equal(line.level, 'warn');
    assert.equal(line.msg, 'shown');
    assert.equal(line.workspace, 'sandbox');
    assert.equal(line.name, 'sentinel-chatops');
  });

  it('never writes a secret', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdefghijkl',
      SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
      AZURE_CLIENT_SECRET: 'Q~azure.client-secret_value',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      DB_PASSWORD: 'correct horse battery staple',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/token',
      PORT: '3978',
    };
    const secrets = [env.SLACK_BOT_TOKEN, env.SLACK_SIGNING_SECRET, env.AZURE_CLIENT_SECRET, env.AWS_SECRET_ACCESS_KEY, env.DB_PASSWORD];
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ';
    const out = capture();
    const log = createLogger({ level: 'trace', destination: out.destination, secrets: secretValuesFromEnv(env) });

    // by key, at any depth
    log.info({ headers: { authorization: `Bearer ${jwt}`, 'x-slack-signature': 'v0=abcdef0123456789' } }, 'request');
    log.info({ config: { slack: { botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET } } }, 'config');
    log.info({ deep: { a: { b: { c: { clientSecret: env.AZURE_CLIENT_SECRET, password: env.DB_PASSWORD } } } } }, 'deep');
    // by value and shape, in messages and errors
    log.warn(`token was ${env.SLACK_BOT_TOKEN} and the key ${env.AWS_SECRET_ACCESS_KEY}`);
    log.error({ err: Object.assign(new Error(`login failed with ${env.DB_PASSWORD}`), { token: 'opaque-token-value-123' }) }, 'failed');
    log.child({ secret: env.SLACK_SIGNING_SECRET }).info('child');
    log.info(`calling with Authorization: Bearer ${jwt}`);
    log.info({ url: 'https://acct.blob.core.windows.net/c/b?sv=2024&sig=abcDEF123%3D' }, 'sas');

    const text = out.lines.join('');
    for (const secret of [...secrets, jwt, 'abcDEF123%3D', 'opaque-token-value-123', 'v0=abcdef0123456789']) {
      assert.ok(!text.includes(secret), `leaked ${secret}`);
    }
    assert.equal(out.lines.length, 8);
    assert.ok(text.includes('[redacted]'));
    // locations are not secrets; ordinary fields stay
    assert.equal(secretValuesFromEnv(env).includes('/var/run/secrets/token'), false);
    assert.ok(text.includes('"msg":"failed"'));
  });
});
