import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asChatopsError, ChatopsError, ERROR_CODES, exitCodeFor, isErrorCode } from '../../../src/core/errors.ts';

describe('ChatopsError', () => {
  it('carries a code, a message and detail lines', () => {
    const e = new ChatopsError('config', 'invalid configuration (2 problems):', { details: ['PORT: …', 'LOG_LEVEL: …'] });
    assert.equal(e.code, 'config');
    assert.equal(e.name, 'ChatopsError');
    assert.ok(e instanceof Error);
    assert.equal(e.userText, 'invalid configuration (2 problems):\nPORT: …\nLOG_LEVEL: …');
    assert.ok(Object.isFrozen(e.details));
  });

  it('keeps its cause', () => {
    const cause = new Error('boom');
    assert.equal(new ChatopsError('unavailable', 'x', { cause }).cause, cause);
  });
});

describe('exitCodeFor', () => {
  const table: [ConstructorParameters<typeof ChatopsError>[0], number][] = [
    ['bad_input', 1],
    ['unsupported_query', 1],
    ['query_syntax', 1],
    ['query_semantic', 1],
    ['not_found', 1],
    ['config', 2],
    ['environment', 2],
    ['unavailable', 2],
    ['locked', 2],
    ['forbidden', 2],
    ['internal', 3],
  ];
  for (const [code, exit] of table) {
    it(`${code} → ${exit}`, () => assert.equal(exitCodeFor(new ChatopsError(code, 'm')), exit));
  }

  it('every code has an exit class of 1, 2 or 3', () => {
    for (const [code, exit] of Object.entries(ERROR_CODES)) assert.ok([1, 2, 3].includes(exit), code);
  });

  it('treats unknown throwables as bugs', () => {
    assert.equal(exitCodeFor(new TypeError('x is undefined')), 3);
    assert.equal(exitCodeFor('a string'), 3);
  });
});

describe('asChatopsError', () => {
  it('passes ChatopsErrors through unchanged', () => {
    const e = new ChatopsError('not_found', 'no such workspace');
    assert.equal(asChatopsError(e), e);
  });

  it('wraps a bug as internal with a reference and the original as cause', () => {
    const original = new TypeError('cannot read properties of undefined');
    const e = asChatopsError(original, 'abc123');
    assert.equal(e.code, 'internal');
    assert.equal(e.reference, 'abc123');
    assert.equal(e.cause, original);
    assert.match(e.message, /this is a bug, reference abc123/);
  });

  it('maps Node system errors to environment codes', () => {
    const sys = (code: string, extra: object = {}) => Object.assign(new Error(`${code} something`), { code, ...extra });
    assert.equal(asChatopsError(sys('ECONNREFUSED', { address: '127.0.0.1', port: 1 })).code, 'unavailable');
    assert.equal(asChatopsError(sys('EADDRINUSE')).code, 'environment');
    assert.match(asChatopsError(sys('EADDRINUSE')).message, /set PORT/);
    const missing = asChatopsError(sys('ENOENT', { path: 'q.kql' }));
    assert.equal(missing.code, 'not_found');
    assert.equal(missing.message, 'not found: q.kql');
  });

  it('isErrorCode accepts exactly the union', () => {
    assert.ok(isErrorCode('bad_input'));
    assert.ok(!isErrorCode('toString'));
    assert.ok(!isErrorCode('nope'));
  });
});
