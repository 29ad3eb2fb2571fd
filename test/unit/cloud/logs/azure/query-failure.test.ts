import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { text } from '../../../../../src/cloud/logs/azure/log-analytics-text.ts';
import { type AttemptResponse, classifyFailure, retryAfterMs } from '../../../../../src/cloud/logs/azure/query-failure.ts';
import { ChatopsError } from '../../../../../src/core/errors.ts';

const NOW = Date.parse('2026-11-01T00:00:00Z');
const ctx = { workspace: 'workspace w-1', endpoint: 'https://api.loganalytics.io/v1', now: NOW };

function response(status: number, body?: unknown, headers: Record<string, string> = {}): AttemptResponse {
  return { status, headers, bodyText: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) };
}

describe('retryAfterMs', () => {
  it('reads milliseconds headers first, then Retry-After seconds or date', () => {
    assert.equal(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' }, NOW), 250);
    assert.equal(retryAfterMs({ 'x-ms-retry-after-ms': '1500' }, NOW), 1500);
    assert.equal(retryAfterMs({ 'retry-after': '7' }, NOW), 7000);
    assert.equal(retryAfterMs({ 'retry-after': '0.5' }, NOW), 500);
    assert.equal(retryAfterMs({ 'retry-after': new Date(NOW + 12_000).toUTCString() }, NOW), 12_000);
    assert.equal(retryAfterMs({ 'retry-after': new Date(NOW - 12_000).toUTCString() }, NOW), 0);
    assert.equal(retryAfterMs({ 'retry-after': 'soon' }, NOW), undefined);
    assert.equal(retryAfterMs({}, NOW), undefined);
  });
});

describe('classifyFailure', () => {
  it('sorts statuses into retryable and final failures', () => {
    const kind = (status: number, body?: unknown) => classifyFailure(new Error('x'), response(status, body), ctx).kind;
    assert.equal(kind(429), 'throttled');
    assert.equal(kind(500), 'server_error');
    assert.equal(kind(502, '<html>bad gateway</html>'), 'server_error');
    assert.equal(kind(503), 'server_error');
    assert.equal(kind(408), 'server_error');
    assert.equal(kind(504), 'server_timeout');
    assert.equal(kind(501), 'final');
    assert.equal(kind(403), 'final');
  });

  it('maps final statuses to error codes', () => {
    const code = (status: number, body?: unknown) => {
      const f = classifyFailure(new Error('x'), response(status, body), ctx);
      assert.equal(f.kind, 'final');
      return f.kind === 'final' ? f.error.code : undefined;
    };
    assert.equal(code(401), 'unauthenticated');
    assert.equal(code(403), 'forbidden');
    assert.equal(code(404, { error: { code: 'WorkspaceNotFoundError', message: 'Workspace could not be found' } }), 'not_found');
    assert.equal(code(400, { error: { code: 'BadArgumentError', innererror: { code: 'SemanticError', message: 'm' } } }), 'query_semantic');
    assert.equal(code(400, { error: { code: 'BadArgumentError', innererror: { code: 'SyntaxError', message: 'm' } } }), 'query_syntax');
    assert.equal(code(418), 'unavailable');
  });

  it('names the workspace and the service message in a 404', () => {
    const f = classifyFailure(
      new Error('x'),
      response(404, { error: { code: 'WorkspaceNotFoundError', message: 'Workspace could not be found' } }),
      ctx,
    );
    assert.ok(f.kind === 'final');
    assert.equal(
      f.error.message,
      text.notFound(ctx.workspace, ctx.endpoint, 'HTTP 404 WorkspaceNotFoundError: Workspace could not be found'),
    );
  });

  it('without a response: timeouts, connection failures, TLS failures, missing credentials, ChatopsErrors and bugs', () => {
    const abort = new Error('The operation was aborted.');
    abort.name = 'AbortError';
    assert.equal(classifyFailure(abort, undefined, ctx).kind, 'client_timeout');
    assert.deepEqual(
      classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), undefined, ctx),
      {
        kind: 'connection',
        detail: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1',
      },
    );
    const tls = classifyFailure(
      Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      undefined,
      ctx,
    );
    assert.ok(tls.kind === 'final' && tls.error.code === 'unavailable' && tls.error.message.includes('TLS'));
    const cred = Object.assign(new Error('ManagedIdentityCredential: no identity'), { name: 'CredentialUnavailableError' });
    const c = classifyFailure(cred, undefined, ctx);
    assert.ok(c.kind === 'final' && c.error.code === 'unauthenticated');
    const own = new ChatopsError('bad_input', 'nope');
    assert.deepEqual(classifyFailure(own, undefined, ctx), { kind: 'final', error: own });
    const bug = classifyFailure(new TypeError('x is undefined'), undefined, ctx);
    assert.ok(bug.kind === 'final' && bug.error.code === 'internal');
  });
});
