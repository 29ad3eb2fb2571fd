import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { SANDBOX_IAM_FILE, SandboxIam, SandboxIamError, SandboxIamGateway } from '../../../../src/cloud/aws/iam-sandbox.ts';
import { type ChatopsError, isChatopsError } from '../../../../src/core/errors.ts';
import type { RoleSpec } from '../../../../src/core/onboarding/gateways.ts';

const ACCOUNT = '012345678901';
const WORKSPACE_ID = '8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e';
const POLICY = 'arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess';
const trust = (externalId = WORKSPACE_ID) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::197857026523:root' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': externalId } },
    },
  ],
});
const OWNER = { key: 'sentinel-chatops:onboarding', value: 'onb-1' };
const spec: RoleSpec = {
  accountId: ACCOUNT,
  roleName: 'MicrosoftSentinelCloudTrail',
  path: '/',
  trustPolicy: JSON.stringify(trust()),
  managedPolicyArns: [POLICY],
  tags: [{ key: 'managed-by', value: 'sentinel-chatops' }],
  ownerTag: OWNER,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iam-sandbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refused(p: Promise<unknown>, code: string, awsCode?: string): Promise<ChatopsError> {
  try {
    await p;
  } catch (err) {
    assert.ok(isChatopsError(err), String(err));
    assert.equal(err.code, code, err.message);
    assert.match(err.message, /^sandbox IAM: /, 'every sandbox message says it is the sandbox');
    if (awsCode !== undefined) {
      assert.ok(err instanceof SandboxIamError);
      assert.equal(err.awsCode, awsCode);
    }
    return err;
  }
  assert.fail('expected a refusal');
}

describe('SandboxIamGateway', () => {
  test('creates the role with its policy and tags; the state survives a restart; repeating finds it', async () => {
    const ref = await new SandboxIamGateway({ dataDir: dir }).ensureRole(spec, 'op-1');
    assert.deepEqual(ref, { arn: `arn:aws:iam::${ACCOUNT}:role/MicrosoftSentinelCloudTrail`, created: true });

    const restarted = new SandboxIamGateway({ dataDir: dir });
    const role = await restarted.inspectRole(ref.arn);
    assert.deepEqual(role?.managedPolicyArns, [POLICY]);
    assert.deepEqual(role?.tags, [...spec.tags, OWNER]);
    assert.deepEqual(JSON.parse(role?.trustPolicyJson ?? ''), trust());
    assert.deepEqual(await restarted.ensureRole(spec, 'op-1'), ref, 'its own role (owner tag): created true again');
    assert.equal((await restarted.iam.listRoles(ACCOUNT)).length, 1);

    const saved = JSON.parse(await readFile(join(dir, SANDBOX_IAM_FILE), 'utf8'));
    assert.equal(saved.version, 1);
    assert.deepEqual(
      (await readdir(join(dir, 'sandbox'))).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp files left behind',
    );
  });

  test('20 concurrent ensureRole calls: one role, which all of them report as this onboarding’s', async () => {
    const g = new SandboxIamGateway({ dataDir: dir });
    const refs = await Promise.all(Array.from({ length: 20 }, () => g.ensureRole(spec, 'op-1')));
    assert.ok(refs.every((r) => r.created && r.arn === refs[0].arn));
    assert.equal((await g.iam.listRoles(ACCOUNT)).length, 1);
  });

  test('someone else’s identical role: accepted with created false; the owner tag is not added', async () => {
    const g = new SandboxIamGateway({ dataDir: dir });
    await g.iam.createRole({ accountId: ACCOUNT, roleName: spec.roleName, trustPolicy: JSON.stringify(trust()), tags: spec.tags });
    await g.iam.attachRolePolicy(ACCOUNT, spec.roleName, POLICY);
    assert.equal((await g.ensureRole(spec, 'op-1')).created, false);
    assert.deepEqual(await g.iam.listRoleTags(ACCOUNT, spec.roleName), spec.tags);
  });

  test('an existing role with the resource ID as external ID is a conflict naming it, labelled sandbox', async () => {
    const g = new SandboxIamGateway({ dataDir: dir });
    await g.ensureRole(
      {
        ...spec,
        trustPolicy: JSON.stringify(trust('/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w')),
      },
      'a',
    );
    const err = await refused(g.ensureRole(spec, 'b'), 'conflict');
    assert.match(err.message, /already exists in account 012345678901 .* and is not the planned role/);
    assert.match(
      err.details[0],
      /sts:ExternalId is "\/subscriptions\/x\/.*"; the plan has "8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e" \(the workspace ID\)/,
    );
  });

  test('role names are unique regardless of case', async () => {
    const g = new SandboxIamGateway({ dataDir: dir });
    await g.ensureRole(spec, 'a');
    const err = await refused(g.ensureRole({ ...spec, roleName: 'microsoftsentinelcloudtrail' }, 'b'), 'conflict');
    assert.deepEqual(err.details, ['- the role is named MicrosoftSentinelCloudTrail; the plan has microsoftsentinelcloudtrail']);
    await refused(
      g.iam.createRole({ accountId: ACCOUNT, roleName: 'MICROSOFTSENTINELCLOUDTRAIL', trustPolicy: JSON.stringify(trust()) }),
      'conflict',
      'EntityAlreadyExists',
    );
  });

  test('deleteRole detaches and deletes; a second delete is a no-op', async () => {
    const g = new SandboxIamGateway({ dataDir: dir });
    const { arn } = await g.ensureRole(spec, 'a');
    assert.deepEqual(await g.deleteRole(arn, 'a:rollback'), { deleted: true, detached: [POLICY] });
    assert.deepEqual(await g.deleteRole(arn, 'a:rollback'), { deleted: false, detached: [] });
    assert.equal(await g.inspectRole(arn), undefined);
  });

  test('a damaged state file is an environment error that says how to recover', async () => {
    await new SandboxIamGateway({ dataDir: dir }).ensureRole(spec, 'a');
    await writeFile(join(dir, SANDBOX_IAM_FILE), '{"version":1,"accounts":');
    await assert.rejects(new SandboxIamGateway({ dataDir: dir }).ensureRole(spec, 'a'), (err: unknown) => {
      assert.ok(isChatopsError(err));
      assert.equal(err.code, 'environment');
      assert.match(err.message, /sandbox state file .*iam\.json is damaged .* move it away/);
      return true;
    });
  });
});

describe('SandboxIam validates like IAM', () => {
  const base = { accountId: ACCOUNT, roleName: 'R', trustPolicy: JSON.stringify(trust()) };

  test('role names: 1-64 characters of the IAM set', async () => {
    const iam = new SandboxIam({ dataDir: dir });
    await refused(iam.createRole({ ...base, roleName: '' }), 'bad_input', 'ValidationError');
    const long = await refused(iam.createRole({ ...base, roleName: 'x'.repeat(65) }), 'bad_input');
    assert.match(long.message, /1-64 characters long \(it has 65\)/);
    const chars = await refused(iam.createRole({ ...base, roleName: 'sentinel role!' }), 'bad_input');
    assert.match(chars.message, /may contain only A-Z a-z 0-9 and \+ = , \. @ _ -/);
    await iam.createRole({ ...base, roleName: 'x'.repeat(64) });
    await iam.createRole({ ...base, roleName: 'a+=,.@_-Z9' });
  });

  test('account IDs are 12 digits (leading zeros count)', async () => {
    const iam = new SandboxIam({ dataDir: dir });
    await refused(iam.createRole({ ...base, accountId: '12345678901' }), 'bad_input');
    await iam.createRole({ ...base, accountId: '000000000001' });
  });

  test('paths: / or /…/ of printable ASCII', async () => {
    const iam = new SandboxIam({ dataDir: dir });
    for (const path of ['sentinel/', '/sentinel', '/a b/', `/${'p'.repeat(511)}/`])
      await refused(iam.createRole({ ...base, path }), 'bad_input');
    const role = await iam.createRole({ ...base, path: '/sentinel/aws/' });
    assert.equal(role.arn, `arn:aws:iam::${ACCOUNT}:role/sentinel/aws/R`);
  });

  test('trust policies: JSON with Version and Statement; principals, sts actions, no Resource; size', async () => {
    const iam = new SandboxIam({ dataDir: dir });
    const bad: [unknown, RegExp][] = [
      ['{"Version":', /this policy contains invalid Json/],
      [{ Statement: trust().Statement }, /has no Version/],
      [{ Version: '2012-10-18', Statement: trust().Statement }, /Version "2012-10-18" is not 2012-10-17 or 2008-10-17/],
      [{ Version: '2012-10-17' }, /missing required field Statement/],
      [{ Version: '2012-10-17', Statement: [] }, /missing required field Statement/],
      [{ Version: '2012-10-17', Statement: [{ ...trust().Statement[0], Effect: 'allow' }] }, /invalid effect/],
      [{ Version: '2012-10-17', Statement: [{ ...trust().Statement[0], Principal: undefined }] }, /missing required field Principal/],
      [{ Version: '2012-10-17', Statement: [{ ...trust().Statement[0], Principal: { AWS: 'microsoft' } }] }, /invalid principal in policy/],
      [{ Version: '2012-10-17', Statement: [{ ...trust().Statement[0], Action: 's3:GetObject' }] }, /invalid action: s3:GetObject/],
      [{ Version: '2012-10-17', Statement: [{ ...trust().Statement[0], Resource: '*' }] }, /prohibited field Resource/],
      [{ Version: '2012-10-17', Statement: [{ ...trust().Statement[0], Effects: 'Allow' }] }, /unknown field Effects/],
    ];
    for (const [doc, message] of bad) {
      const err = await refused(
        iam.createRole({ ...base, trustPolicy: typeof doc === 'string' ? doc : JSON.stringify(doc) }),
        'bad_input',
        'MalformedPolicyDocument',
      );
      assert.match(err.message, message);
    }
    const big = trust();
    big.Statement[0].Condition.StringEquals['sts:ExternalId'] = 'x'.repeat(2100);
    await refused(iam.createRole({ ...base, trustPolicy: JSON.stringify(big) }), 'limit_exceeded', 'LimitExceeded');
    assert.deepEqual(await iam.listRoles(ACCOUNT), [], 'nothing stored');
  });

  test('managed policies: known AWS managed ARNs only; the old CloudTrail name points to the new one; at most 10', async () => {
    const iam = new SandboxIam({ dataDir: dir });
    await iam.createRole(base);
    const old = await refused(
      iam.attachRolePolicy(ACCOUNT, 'R', 'arn:aws:iam::aws:policy/AWSCloudTrailReadOnlyAccess'),
      'not_found',
      'NoSuchEntity',
    );
    assert.match(old.message, /its current name is arn:aws:iam::aws:policy\/AWSCloudTrail_ReadOnlyAccess/);
    await refused(iam.attachRolePolicy(ACCOUNT, 'R', 'arn:aws:iam::aws:policy/MadeUp'), 'not_found', 'NoSuchEntity');
    await refused(iam.attachRolePolicy(ACCOUNT, 'R', 'AWSCloudTrail_ReadOnlyAccess'), 'not_found');
    await iam.attachRolePolicy(ACCOUNT, 'R', POLICY);
    await iam.attachRolePolicy(ACCOUNT, 'R', POLICY);
    assert.deepEqual(
      await iam.listAttachedRolePolicies(ACCOUNT, 'r'),
      [POLICY],
      'attaching twice is one attachment; names match regardless of case',
    );
    await refused(iam.attachRolePolicy(ACCOUNT, 'Nope', POLICY), 'not_found', 'NoSuchEntity');
  });

  test('tags: limits, reserved prefix, case-insensitive duplicate keys, character set', async () => {
    const iam = new SandboxIam({ dataDir: dir });
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await refused(iam.createRole({ ...base, tags: tags(51) }), 'limit_exceeded', 'LimitExceeded');
    await refused(iam.createRole({ ...base, tags: [{ key: 'aws:owner', value: 'x' }] }), 'bad_input', 'InvalidInput');
    const dup = await refused(
      iam.createRole({
        ...base,
        tags: [
          { key: 'Owner', value: 'a' },
          { key: 'owner', value: 'b' },
        ],
      }),
      'bad_input',
    );
    assert.match(dup.message, /duplicate tag key "owner" \(tag keys are case-insensitive\)/);
    await refused(iam.createRole({ ...base, tags: [{ key: 'k'.repeat(129), value: '' }] }), 'bad_input');
    await refused(iam.createRole({ ...base, tags: [{ key: 'team', value: '#sec' }] }), 'bad_input');
    await refused(iam.createRole({ ...base, tags: [{ key: 'team', value: 'v'.repeat(257) }] }), 'bad_input');
    await iam.createRole({ ...base, tags: [...tags(49), { key: '团队 name', value: 'sec-ops@example.com/1+1=2' }] });
    await refused(
      iam.tagRole(ACCOUNT, 'R', [
        { key: 'one-more', value: '' },
        { key: 'and-another', value: '' },
      ]),
      'limit_exceeded',
    );
    await iam.tagRole(ACCOUNT, 'R', [{ key: 'K0', value: 'replaced' }]);
    const after = await iam.listRoleTags(ACCOUNT, 'R');
    assert.equal(after.length, 50);
    assert.deepEqual(after.at(-1), { key: 'K0', value: 'replaced' });
  });

  test('DeleteRole refuses while policies are attached (DeleteConflict), like IAM', async () => {
    const iam = new SandboxIam({ dataDir: dir });
    await iam.createRole(base);
    await iam.attachRolePolicy(ACCOUNT, 'R', POLICY);
    const err = await refused(iam.deleteRole(ACCOUNT, 'R'), 'conflict', 'DeleteConflict');
    assert.match(err.message, /detach arn:aws:iam::aws:policy\/AWSCloudTrail_ReadOnlyAccess first/);
    await iam.detachRolePolicy(ACCOUNT, 'R', POLICY);
    await iam.deleteRole(ACCOUNT, 'R');
    await refused(iam.getRole(ACCOUNT, 'R'), 'not_found', 'NoSuchEntity');
  });
});
