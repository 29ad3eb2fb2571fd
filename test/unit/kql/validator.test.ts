/** The official-parser validator: queries pass, and syntax errors, schema errors and management commands fail with a line each. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kqlValidator, OfficialKqlValidator } from '../../../src/kql/validator.ts';

test('a valid query on AWSCloudTrail passes', () => {
  assert.deepEqual(kqlValidator.validate('AWSCloudTrail | where EventName == "ConsoleLogin" | summarize count() by AWSRegion'), {
    ok: true,
  });
});

test('the seed query passes', async () => {
  const { readFile } = await import('node:fs/promises');
  const seed = await readFile(new URL('../../fixtures/seed-query.kql', import.meta.url), 'utf8');
  assert.deepEqual(new OfficialKqlValidator().validate(seed), { ok: true });
});

test('a misspelt column fails with the parser code and where it is', () => {
  const v = kqlValidator.validate('AWSCloudTrail\n| where EvntName == "x"');
  assert.equal(v.ok, false);
  if (v.ok) return;
  assert.match(v.errors[0], /^line 2, column \d+: .*EvntName.*\(KS142\)$/);
});

test('an unknown table fails', () => {
  const v = kqlValidator.validate('SigninLogs | take 1');
  assert.equal(v.ok, false);
});

test('a syntax error fails', () => {
  const v = kqlValidator.validate('AWSCloudTrail | where (EventName == "x"');
  assert.equal(v.ok, false);
});

test('a management command is not a query, even one that parses cleanly', () => {
  const v = kqlValidator.validate('.drop table AWSCloudTrail');
  assert.equal(v.ok, false);
  if (v.ok) return;
  assert.match(v.errors[0], /^not a query/);
});

test('a command smuggled after a query fails', () => {
  assert.equal(kqlValidator.validate('AWSCloudTrail | take 1; .drop table AWSCloudTrail').ok, false);
  assert.equal(kqlValidator.validate('AWSCloudTrail | where AWSRegion == "" or 1==1 or ""').ok, false);
});
