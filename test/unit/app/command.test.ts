import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { type CommandArgs, clockFlag, instantFlag, intFlag, readTextSource, stringFlag } from '../../../src/app/command.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { ChatopsError } from '../../../src/core/errors.ts';

const args = (values: CommandArgs['values']): CommandArgs => ({ values, positionals: [] });
const dir = mkdtempSync(join(tmpdir(), 'command-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('flag helpers', () => {
  it('intFlag parses whole numbers within bounds, else names the flag', () => {
    assert.equal(intFlag(args({ days: '30' }), 'days', { min: 1 }), 30);
    assert.equal(intFlag(args({}), 'days'), undefined);
    for (const bad of ['0', '1.5', 'abc', '', '1e3']) {
      assert.throws(
        () => intFlag(args({ days: bad }), 'days', { min: 1, max: 100 }),
        (e: unknown) => e instanceof ChatopsError && e.code === 'bad_input' && e.message.startsWith('--days expects'),
        bad,
      );
    }
  });

  it('instantFlag and clockFlag read ISO 8601 times', () => {
    assert.equal(instantFlag(args({ now: '2025-01-31T12:00:00Z' }), 'now'), Date.parse('2025-01-31T12:00:00Z'));
    assert.equal(instantFlag(args({ now: '2025-01-31T12:00:00+02:00' }), 'now'), Date.parse('2025-01-31T10:00:00Z'));
    assert.equal(clockFlag(args({ now: '2025-01-31T00:00:00Z' })).now(), Date.parse('2025-01-31T00:00:00Z'));
    assert.equal(clockFlag(args({})), systemClock);
    for (const bad of ['yesterday', '2025-13-45T00:00:00Z', '12:00'])
      assert.throws(() => instantFlag(args({ now: bad }), 'now'), /--now expects/);
  });

  it('stringFlag returns the value as given', () => {
    assert.equal(stringFlag(args({ timespan: 'P30D' }), 'timespan'), 'P30D');
  });
});

describe('readTextSource', () => {
  it('reads a file relative to cwd, or stdin for -', async () => {
    writeFileSync(join(dir, 'q.kql'), 'AWSCloudTrail | count');
    assert.equal(await readTextSource({ cwd: dir, stdin: Readable.from([]) }, 'q.kql'), 'AWSCloudTrail | count');
    const stdin = Readable.from([Buffer.from('AWSCloud'), Buffer.from('Trail')]);
    assert.equal(await readTextSource({ cwd: dir, stdin }, '-'), 'AWSCloudTrail');
  });

  it('names a missing file', async () => {
    await assert.rejects(readTextSource({ cwd: dir, stdin: Readable.from([]) }, 'missing.kql', 'query file'), (e: unknown) => {
      assert.ok(e instanceof ChatopsError);
      assert.equal(e.code, 'not_found');
      assert.equal(e.message, 'query file not found: missing.kql');
      return true;
    });
  });
});
