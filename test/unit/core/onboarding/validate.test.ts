import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { text } from '../../../../src/core/onboarding/text.ts';
import {
  checkAccountId,
  checkRoleArn,
  checkRoleName,
  checkRolePath,
  checkTags,
  checkWorkspaceId,
  MAX_PLANNED_TAGS,
  parseRoleArn,
  roleArnOf,
} from '../../../../src/core/onboarding/validate.ts';

const RESOURCE_ID =
  '/subscriptions/0f0e0d0c-0b0a-0908-0706-050403020100/resourceGroups/sec-rg/providers/Microsoft.OperationalInsights/workspaces/sec-ws';

describe('account IDs', () => {
  it('accepts exactly 12 digits, leading zeros included', () => {
    assert.equal(checkAccountId('012345678901'), undefined);
    assert.equal(checkAccountId('000000000000'), undefined);
  });

  for (const bad of ['12345678901', '1234567890123', '12345678901a', ' 012345678901', '0123-4567-8901', '', '١٢٣٤٥٦٧٨٩٠١٢'])
    it(`refuses ${JSON.stringify(bad)}`, () => assert.equal(checkAccountId(bad), text.accountIdInvalid(bad)));
});

describe('role names', () => {
  it('accepts 1-64 characters of [A-Za-z0-9+=,.@_-]', () => {
    for (const ok of ['a', 'MicrosoftSentinelRole', 'a+b=c,d.e@f_g-h', 'x'.repeat(64)]) assert.equal(checkRoleName(ok), undefined, ok);
  });

  it('refuses an empty, too long or badly spelt name, saying what is wrong', () => {
    assert.equal(checkRoleName(''), text.roleNameEmpty());
    assert.equal(checkRoleName('x'.repeat(65)), text.roleNameTooLong('x'.repeat(65), 65));
    assert.equal(checkRoleName('my role/x'), text.roleNameChars('my role/x', [' ', '/']));
    assert.equal(checkRoleName('rôle'), text.roleNameChars('rôle', ['ô']));
  });
});

describe('role paths', () => {
  it('accepts / and /a/b/', () => {
    for (const ok of ['/', '/sentinel/', '/a/b/']) assert.equal(checkRolePath(ok), undefined, ok);
  });
  it('refuses paths not starting and ending with /', () => {
    for (const bad of ['', 'a/', '/a', '//x', `/${'a'.repeat(511)}/`]) assert.equal(checkRolePath(bad), text.rolePathInvalid(bad), bad);
  });
});

describe('workspace IDs', () => {
  it('accepts a GUID', () => assert.equal(checkWorkspaceId('8D9E2B1C-4F3A-4B5C-9D8E-7F6A5B4C3D2E'), undefined));
  it('says when it is the resource ID instead', () =>
    assert.equal(checkWorkspaceId(RESOURCE_ID), text.workspaceIdIsResourceId(RESOURCE_ID)));
  it('refuses anything else', () => assert.equal(checkWorkspaceId('sec-ws'), text.workspaceIdInvalid('sec-ws')));
});

describe('tags', () => {
  it('accepts letters of any script, digits, spaces and _ . : / = + - @', () => {
    assert.deepEqual(
      checkTags([
        { key: 'team', value: 'Sécurité 安全 / SOC' },
        { key: 'cost:center', value: '' },
        { key: 'a_b.c=d+e-f@g', value: 'x'.repeat(256) },
      ]),
      [],
    );
  });

  it('names each problem: count, lengths, characters, aws: prefix, reserved and duplicate keys', () => {
    const tooMany = Array.from({ length: MAX_PLANNED_TAGS + 1 }, (_, i) => ({ key: `k${i}`, value: '' }));
    assert.deepEqual(checkTags(tooMany), [text.tooManyTags(MAX_PLANNED_TAGS + 1, MAX_PLANNED_TAGS)]);
    assert.deepEqual(checkTags([{ key: '', value: 'v' }]), [text.tagKeyLength('', 0)]);
    assert.deepEqual(checkTags([{ key: 'k'.repeat(129), value: 'v' }]), [text.tagKeyLength('k'.repeat(129), 129)]);
    assert.deepEqual(checkTags([{ key: 'k', value: 'v'.repeat(257) }]), [text.tagValueLength('k', 257)]);
    assert.deepEqual(checkTags([{ key: 'owner#1', value: 'v' }]), [text.tagKeyChars('owner#1', ['#'])]);
    assert.deepEqual(checkTags([{ key: 'k', value: 'a;b' }]), [text.tagValueChars('k', [';'])]);
    assert.deepEqual(checkTags([{ key: 'AWS:cloudformation', value: 'v' }]), [text.tagKeyAwsPrefix('AWS:cloudformation')]);
    assert.deepEqual(checkTags([{ key: 'sentinel-chatops:onboarding', value: 'v' }]), [text.tagKeyReserved('sentinel-chatops:onboarding')]);
    assert.deepEqual(
      checkTags([
        { key: 'Team', value: 'a' },
        { key: 'team', value: 'b' },
      ]),
      [text.tagKeyDuplicate('team', 'Team')],
    );
  });

  it('counts characters, not bytes', () => {
    assert.deepEqual(checkTags([{ key: 'k', value: '安'.repeat(256) }]), []);
    assert.deepEqual(checkTags([{ key: 'k', value: '𠀀'.repeat(256) }]), []);
    assert.deepEqual(checkTags([{ key: 'k', value: '安'.repeat(257) }]), [text.tagValueLength('k', 257)]);
  });
});

describe('role ARNs', () => {
  it('parses account, path and name', () => {
    assert.deepEqual(parseRoleArn('arn:aws:iam::012345678901:role/MicrosoftSentinelRole'), {
      ok: true,
      parts: { accountId: '012345678901', path: '/', roleName: 'MicrosoftSentinelRole' },
    });
    assert.deepEqual(parseRoleArn('arn:aws:iam::012345678901:role/sec/sentinel/R1'), {
      ok: true,
      parts: { accountId: '012345678901', path: '/sec/sentinel/', roleName: 'R1' },
    });
    assert.equal(roleArnOf('012345678901', 'R1', '/sec/'), 'arn:aws:iam::012345678901:role/sec/R1');
  });

  const cases: [string, string, string][] = [
    ['malformed', 'not-an-arn', text.arnMalformed('not-an-arn')],
    ['GovCloud', 'arn:aws-us-gov:iam::012345678901:role/R', text.arnGovCloud('arn:aws-us-gov:iam::012345678901:role/R')],
    ['China', 'arn:aws-cn:iam::012345678901:role/R', text.arnChina('arn:aws-cn:iam::012345678901:role/R')],
    ['a user', 'arn:aws:iam::012345678901:user/R', text.arnNotIamRole('arn:aws:iam::012345678901:user/R')],
    ['another service', 'arn:aws:s3:::bucket/role/R', text.arnMalformed('arn:aws:s3:::bucket/role/R')],
    ['a short account', 'arn:aws:iam::12345678901:role/R', text.arnAccountInvalid('arn:aws:iam::12345678901:role/R', '12345678901')],
    ['a bad name', 'arn:aws:iam::012345678901:role/a b', text.roleNameChars('a b', [' '])],
    [
      'another account',
      'arn:aws:iam::111122223333:role/R',
      text.arnAccountMismatch('arn:aws:iam::111122223333:role/R', '111122223333', '012345678901'),
    ],
  ];
  for (const [name, arn, sentence] of cases) it(`refuses ${name}`, () => assert.equal(checkRoleArn(arn, '012345678901'), sentence));

  it('accepts the right account, ignoring surrounding blanks', () => {
    assert.equal(checkRoleArn(' arn:aws:iam::012345678901:role/R ', '012345678901'), undefined);
  });
});
