/**
 * The real IAM gateway driven through the real AWS SDK clients against the loopback IAM/STS stub
 * (Query API, XML). Throttling uses the SDK's own retry strategy with its real back-off.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { RealIamGateway, type RealIamOptions } from '../../../../src/cloud/aws/iam-real.ts';
import { isChatopsError } from '../../../../src/core/errors.ts';
import { isRetryable, type RoleSpec } from '../../../../src/core/onboarding/gateways.ts';
import { type IamStub, startIamStub } from '../../../helpers/iam-stub.ts';

const ACCOUNT = '012345678901';
const WORKSPACE_ID = '8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e';
const RESOURCE_ID =
  '/subscriptions/0f0e0d0c-0b0a-0908-0706-050403020100/resourceGroups/sec-rg/providers/Microsoft.OperationalInsights/workspaces/sec-ws';
const POLICY = 'arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess';

function trustPolicy(externalId: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::197857026523:root' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': externalId } },
      },
    ],
  };
}

const OWNER = { key: 'sentinel-chatops:onboarding', value: 'onb-1' };
const spec: RoleSpec = {
  accountId: ACCOUNT,
  roleName: 'MicrosoftSentinelCloudTrail',
  path: '/sentinel/',
  trustPolicy: JSON.stringify(trustPolicy(WORKSPACE_ID)),
  managedPolicyArns: [POLICY],
  tags: [
    { key: 'managed-by', value: 'sentinel-chatops' },
    { key: 'team', value: 'secops' },
  ],
  ownerTag: OWNER,
};
/** The tags CreateRole puts on the role: the planned ones and the owner tag. */
const createdTags = () =>
  new Map([
    ['managed-by', 'sentinel-chatops'],
    ['team', 'secops'],
    [OWNER.key, OWNER.value],
  ]);

const ARN = `arn:aws:iam::${ACCOUNT}:role/sentinel/MicrosoftSentinelCloudTrail`;
const BASE_KEY = 'AKIDBASEEXAMPLE';

let stub: IamStub;
let sleeps: number[];
const gateways: RealIamGateway[] = [];

function gateway(extra: Partial<RealIamOptions> = {}): RealIamGateway {
  const g = new RealIamGateway({
    provisioningRoleName: 'ChatopsProvisioner',
    credentials: { accessKeyId: BASE_KEY, secretAccessKey: 'base-secret' },
    endpoint: stub.url,
    stsEndpoint: stub.url,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  gateways.push(g);
  return g;
}

async function rejection(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    assert.ok(isChatopsError(err), `expected a ChatopsError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

before(async () => {
  stub = await startIamStub({ baseAccount: '999999999999' });
});
after(async () => {
  for (const g of gateways) g.close();
  await stub.close();
});
beforeEach(() => {
  stub.calls.length = 0;
  stub.roles.clear();
  for (const k of Object.keys(stub.faults)) delete (stub.faults as Record<string, unknown>)[k];
  sleeps = [];
});

describe('ensureRole', () => {
  test('assumes the provisioning role in the target account, then creates the role with trust policy, path, tags and policy', async () => {
    const ref = await gateway().ensureRole(spec, 'op-1');
    assert.deepEqual(ref, { arn: ARN, created: true });

    const [assume] = stub.callsOf('AssumeRole');
    assert.equal(assume.service, 'sts');
    assert.equal(assume.accessKeyId, BASE_KEY);
    assert.equal(assume.params.RoleArn, `arn:aws:iam::${ACCOUNT}:role/ChatopsProvisioner`);

    const [create] = stub.callsOf('CreateRole');
    assert.equal(create.service, 'iam');
    assert.notEqual(create.accessKeyId, BASE_KEY, 'IAM calls are signed with the assumed role');
    assert.ok(create.sessionToken);
    assert.equal(create.account, ACCOUNT);
    assert.equal(create.params.Path, '/sentinel/');
    assert.deepEqual(JSON.parse(create.params.AssumeRolePolicyDocument), trustPolicy(WORKSPACE_ID));
    assert.equal(create.params['Tags.member.1.Key'], 'managed-by');
    assert.equal(create.params['Tags.member.3.Key'], 'sentinel-chatops:onboarding');
    assert.equal(create.params['Tags.member.3.Value'], 'onb-1');

    const role = stub.getRole(ACCOUNT, 'MicrosoftSentinelCloudTrail');
    assert.ok(role);
    assert.deepEqual(role.attached, [POLICY]);
    assert.deepEqual(role.tags, createdTags());
    assert.equal(stub.getRole('999999999999', 'MicrosoftSentinelCloudTrail'), undefined, 'nothing in the bot’s own account');
  });

  test('repeating the step finds its own role (owner tag): created true again, no second role, nothing re-attached', async () => {
    const g = gateway();
    await g.ensureRole(spec, 'op-1');
    const again = await g.ensureRole(spec, 'op-1');
    assert.deepEqual(again, { arn: ARN, created: true });
    assert.equal(stub.roles.size, 1);
    assert.deepEqual(
      stub.callsOf('CreateRole').map((c) => c.errorCode),
      [undefined, 'EntityAlreadyExists'],
    );
    assert.equal(stub.callsOf('AttachRolePolicy').length, 1);
    assert.equal(stub.callsOf('TagRole').length, 0);
    assert.equal(stub.callsOf('AssumeRole').length, 1, 'assumed-role credentials are reused');
  });

  test('someone else’s identical role (trust policy written differently, no owner tag): created false, owner tag not added', async () => {
    stub.putRole({
      account: ACCOUNT,
      name: 'MicrosoftSentinelCloudTrail',
      path: '/sentinel/',
      trustPolicy: JSON.stringify({
        Statement: {
          Sid: 'sentinel',
          Condition: { StringEquals: { 'sts:externalid': [WORKSPACE_ID] } },
          Action: ['sts:AssumeRole'],
          Principal: { AWS: '197857026523' },
          Effect: 'Allow',
        },
        Version: '2012-10-17',
      }),
      tags: new Map([
        ['managed-by', 'sentinel-chatops'],
        ['team', 'secops'],
        ['cost-center', '42'],
      ]),
      attached: [POLICY],
    });
    assert.deepEqual(await gateway().ensureRole(spec, 'op-1'), { arn: ARN, created: false });
    assert.equal(stub.getRole(ACCOUNT, 'MicrosoftSentinelCloudTrail')?.tags.has(OWNER.key), false);
    assert.equal(stub.callsOf('TagRole').length, 0);
  });

  test('a half-done role of this onboarding (crash between CreateRole and AttachRolePolicy) is finished: policy attached, created true', async () => {
    stub.putRole({
      account: ACCOUNT,
      name: 'MicrosoftSentinelCloudTrail',
      path: '/sentinel/',
      trustPolicy: JSON.stringify(trustPolicy(WORKSPACE_ID)),
      tags: createdTags(),
    });
    assert.deepEqual(await gateway().ensureRole(spec, 'op-1'), { arn: ARN, created: true });
    assert.deepEqual(stub.getRole(ACCOUNT, 'MicrosoftSentinelCloudTrail')?.attached, [POLICY]);
  });

  test('an identical role lacking a planned tag gets it added (TagRole), but never the owner tag', async () => {
    stub.putRole({
      account: ACCOUNT,
      name: 'MicrosoftSentinelCloudTrail',
      path: '/sentinel/',
      trustPolicy: JSON.stringify(trustPolicy(WORKSPACE_ID)),
      tags: new Map([['managed-by', 'sentinel-chatops']]),
      attached: [POLICY],
    });
    assert.deepEqual(await gateway().ensureRole(spec, 'op-1'), { arn: ARN, created: false });
    const role = stub.getRole(ACCOUNT, 'MicrosoftSentinelCloudTrail');
    assert.equal(role?.tags.get('team'), 'secops');
    assert.equal(role?.tags.has(OWNER.key), false);
    const [tag] = stub.callsOf('TagRole');
    assert.deepEqual(tag.params['Tags.member.1.Key'], 'team');
    assert.equal(tag.params['Tags.member.2.Key'], undefined);
  });

  test('an identical role made by another onboarding (another owner tag value) is not ours: created false', async () => {
    const tags = createdTags();
    tags.set(OWNER.key, 'onb-0');
    stub.putRole({
      account: ACCOUNT,
      name: 'MicrosoftSentinelCloudTrail',
      path: '/sentinel/',
      trustPolicy: JSON.stringify(trustPolicy(WORKSPACE_ID)),
      tags,
      attached: [POLICY],
    });
    assert.deepEqual(await gateway().ensureRole(spec, 'op-1'), { arn: ARN, created: false });
    assert.equal(stub.getRole(ACCOUNT, 'MicrosoftSentinelCloudTrail')?.tags.get(OWNER.key), 'onb-0');
  });

  test('an existing role with the resource ID as external ID, another policy and another tag value is a conflict naming each difference', async () => {
    stub.putRole({
      account: ACCOUNT,
      name: 'MicrosoftSentinelCloudTrail',
      path: '/sentinel/',
      trustPolicy: JSON.stringify(trustPolicy(RESOURCE_ID)),
      tags: new Map([['managed-by', 'someone-else']]),
      attached: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    });
    const err = await rejection(gateway().ensureRole(spec, 'op-1'));
    assert.equal(err.code, 'conflict');
    assert.match(err.message, /a role named MicrosoftSentinelCloudTrail already exists in account 012345678901/);
    assert.match(err.message, /nothing was changed/);
    assert.deepEqual(err.details, [
      `- the trust policy's sts:ExternalId is ${JSON.stringify(RESOURCE_ID)}; the plan has "${WORKSPACE_ID}" (the workspace ID)`,
      '- the role has the policy arn:aws:iam::aws:policy/AdministratorAccess attached, which the plan does not have',
      '- the role\'s tag managed-by is "someone-else"; the plan has "sentinel-chatops"',
    ]);
    assert.equal(stub.callsOf('AttachRolePolicy').length, 0, 'a conflicting role is left alone');
    assert.equal(stub.callsOf('TagRole').length, 0);
  });

  test('role names are unique regardless of case: an existing "microsoftsentinelcloudtrail" is named as a conflict', async () => {
    stub.putRole({
      account: ACCOUNT,
      name: 'microsoftsentinelcloudtrail',
      path: '/sentinel/',
      trustPolicy: JSON.stringify(trustPolicy(WORKSPACE_ID)),
      attached: [POLICY],
      tags: createdTags(),
    });
    const err = await rejection(gateway().ensureRole(spec, 'op-1'));
    assert.equal(err.code, 'conflict');
    assert.deepEqual(err.details, ['- the role is named microsoftsentinelcloudtrail; the plan has MicrosoftSentinelCloudTrail']);
  });

  test('a missing external ID condition is named', async () => {
    const open = trustPolicy(WORKSPACE_ID);
    open.Statement[0].Condition = {} as never;
    stub.putRole({ account: ACCOUNT, name: 'MicrosoftSentinelCloudTrail', path: '/sentinel/', trustPolicy: JSON.stringify(open) });
    const err = await rejection(gateway().ensureRole(spec, 'op-1'));
    assert.equal(err.code, 'conflict');
    assert.deepEqual(err.details, [`- the trust policy does not require sts:ExternalId = "${WORKSPACE_ID}" (the workspace ID)`]);
  });

  test('Throttling twice: the SDK retries and the third attempt succeeds', async () => {
    stub.faults.throttle = { count: 2, action: 'CreateRole' };
    const ref = await gateway().ensureRole(spec, 'op-1');
    assert.equal(ref.created, true);
    assert.deepEqual(
      stub.callsOf('CreateRole').map((c) => c.errorCode ?? 'ok'),
      ['Throttling', 'Throttling', 'ok'],
    );
    assert.equal(stub.roles.size, 1);
  });

  test('Throttling beyond the SDK’s attempts: throttled, saying how many attempts ran out; nothing created', async () => {
    stub.faults.throttle = { count: 100, action: 'CreateRole' };
    const err = await rejection(gateway().ensureRole(spec, 'op-1'));
    assert.equal(err.code, 'throttled');
    assert.equal(err.message, 'AWS IAM throttled iam:CreateRole and 3 attempts ran out; try again in a minute');
    assert.equal(stub.callsOf('CreateRole').length, 3);
    assert.equal(stub.roles.size, 0);
  });

  test('maxAttempts is passed to the SDK', async () => {
    stub.faults.throttle = { count: 100, action: 'CreateRole' };
    const err = await rejection(gateway({ maxAttempts: 1 }).ensureRole(spec, 'op-1'));
    assert.equal(err.code, 'throttled');
    assert.equal(stub.callsOf('CreateRole').length, 1);
  });

  test('AccessDenied on CreateRole: forbidden, naming the action and the assumed identity', async () => {
    stub.faults.deny = new Set(['iam:CreateRole']);
    const err = await rejection(gateway().ensureRole(spec, 'op-1'));
    assert.equal(err.code, 'forbidden');
    assert.match(
      err.message,
      /^arn:aws:sts::012345678901:assumed-role\/ChatopsProvisioner\/sentinel-chatops is not allowed to call iam:CreateRole on arn:aws:iam::012345678901:role\/sentinel\/MicrosoftSentinelCloudTrail; grant it iam:CreateRole/,
    );
  });

  test('AccessDenied on AttachRolePolicy names iam:AttachRolePolicy', async () => {
    stub.faults.deny = new Set(['iam:AttachRolePolicy']);
    const err = await rejection(gateway().ensureRole(spec, 'op-1'));
    assert.equal(err.code, 'forbidden');
    assert.match(
      err.message,
      /is not allowed to call iam:AttachRolePolicy on arn:aws:iam::012345678901:role\/sentinel\/MicrosoftSentinelCloudTrail/,
    );
  });

  test('AccessDenied on sts:AssumeRole: forbidden, naming the provisioning role and what it must allow', async () => {
    stub.faults.deny = new Set(['sts:AssumeRole']);
    const err = await rejection(gateway().ensureRole(spec, 'op-1'));
    assert.equal(err.code, 'forbidden');
    assert.match(
      err.message,
      /^arn:aws:iam::999999999999:user\/chatops-operator is not allowed to call sts:AssumeRole on arn:aws:iam::012345678901:role\/ChatopsProvisioner/,
    );
    assert.match(err.message, /must exist in account 012345678901 and trust the bot's identity/);
    assert.equal(stub.callsOf('CreateRole').length, 0);
  });

  test('without a provisioning role the base credentials act directly', async () => {
    const ref = await gateway({ provisioningRoleName: undefined }).ensureRole({ ...spec, accountId: '999999999999' }, 'op-1');
    assert.equal(ref.arn, 'arn:aws:iam::999999999999:role/sentinel/MicrosoftSentinelCloudTrail');
    assert.equal(stub.callsOf('AssumeRole').length, 0);
    assert.equal(stub.callsOf('CreateRole')[0].accessKeyId, BASE_KEY);
  });

  test('AWS_ENDPOINT_URL_IAM and AWS_ENDPOINT_URL_STS move the endpoints (the SDK reads them)', async () => {
    const saved = { iam: process.env.AWS_ENDPOINT_URL_IAM, sts: process.env.AWS_ENDPOINT_URL_STS };
    process.env.AWS_ENDPOINT_URL_IAM = stub.url;
    process.env.AWS_ENDPOINT_URL_STS = stub.url;
    try {
      const ref = await gateway({ endpoint: undefined, stsEndpoint: undefined }).ensureRole(spec, 'op-1');
      assert.equal(ref.created, true);
      assert.equal(stub.callsOf('AssumeRole').length, 1);
    } finally {
      for (const [k, v] of [
        ['AWS_ENDPOINT_URL_IAM', saved.iam],
        ['AWS_ENDPOINT_URL_STS', saved.sts],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  });

  test('IAM eventual consistency: AttachRolePolicy right after CreateRole is retried with a doubling back-off', async () => {
    stub.faults.lag = 2;
    const ref = await gateway().ensureRole(spec, 'op-1');
    assert.equal(ref.created, true);
    assert.deepEqual(
      stub.callsOf('AttachRolePolicy').map((c) => c.errorCode ?? 'ok'),
      ['NoSuchEntity', 'NoSuchEntity', 'ok'],
    );
    assert.deepEqual(sleeps, [500, 1000]);
  });

  test('a role that stays invisible past the back-off: the error is marked retryable for the runner', async () => {
    stub.faults.lag = 100;
    const err = await rejection(gateway({ consistency: { attempts: 3, firstDelayMs: 10 } }).ensureRole(spec, 'op-1'));
    assert.equal(err.code, 'not_found');
    assert.equal((err as { retryable?: boolean }).retryable, true);
    assert.equal(isRetryable(err), true);
    assert.deepEqual(sleeps, [10, 20]);
  });

  test('a policy that does not exist is not waited for: not_found naming the policy', async () => {
    const err = await rejection(gateway().ensureRole({ ...spec, managedPolicyArns: ['arn:aws:iam::aws:policy/NoSuchPolicy'] }, 'op-1'));
    assert.equal(err.code, 'not_found');
    assert.match(err.message, /arn:aws:iam::aws:policy\/NoSuchPolicy does not exist/);
    assert.deepEqual(sleeps, []);
  });

  test('MalformedPolicyDocument is bad input; LimitExceeded (after the SDK retried it) is limit_exceeded', async () => {
    const bad = await rejection(gateway().ensureRole({ ...spec, trustPolicy: '{"Version":"2012-10-17"' }, 'op-1'));
    assert.equal(bad.code, 'bad_input');
    assert.match(bad.message, /IAM refused the policy document .*This policy contains invalid Json/);

    // The SDK classes IAM's LimitExceeded(Exception) as throttling and retries it: it must persist to surface.
    stub.faults.fail = {
      action: 'CreateRole',
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for RolesPerAccount: 1000',
      status: 409,
      count: 3,
    };
    const limit = await rejection(gateway().ensureRole(spec, 'op-1'));
    assert.equal(limit.code, 'limit_exceeded');
    assert.match(limit.message, /RolesPerAccount/);
    assert.equal(stub.callsOf('CreateRole').filter((c) => c.errorCode === 'LimitExceeded').length, 3);
  });
});

describe('inspectRole', () => {
  test('reads the URL-decoded trust policy, attached policies (all pages) and tags', async () => {
    await stub.close();
    stub = await startIamStub({ baseAccount: '999999999999', pageSize: 1 });
    stub.putRole({
      account: ACCOUNT,
      name: 'Submitted',
      trustPolicy: JSON.stringify(trustPolicy(WORKSPACE_ID)),
      attached: [POLICY, 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
      tags: new Map([
        ['a', '1'],
        ['b', '2 & <3>'],
      ]),
    });
    const role = await gateway().inspectRole(`arn:aws:iam::${ACCOUNT}:role/Submitted`);
    assert.ok(role);
    assert.deepEqual(JSON.parse(role.trustPolicyJson), trustPolicy(WORKSPACE_ID));
    assert.deepEqual(role.managedPolicyArns, [POLICY, 'arn:aws:iam::aws:policy/ReadOnlyAccess']);
    assert.deepEqual(role.tags, [
      { key: 'a', value: '1' },
      { key: 'b', value: '2 & <3>' },
    ]);
    assert.equal(stub.callsOf('ListAttachedRolePolicies').length, 2, 'paginated');
  });

  test('a role that does not exist: undefined, after waiting out eventual consistency', async () => {
    const role = await gateway({ consistency: { attempts: 4, firstDelayMs: 100 } }).inspectRole(`arn:aws:iam::${ACCOUNT}:role/Nope`);
    assert.equal(role, undefined);
    assert.deepEqual(sleeps, [100, 200, 400]);
    assert.equal(stub.callsOf('GetRole').length, 4);
  });

  test('an ARN whose path is not the role’s: undefined', async () => {
    stub.putRole({ account: ACCOUNT, name: 'Pathed', path: '/a/', trustPolicy: '{"Statement":[]}' });
    assert.equal(await gateway().inspectRole(`arn:aws:iam::${ACCOUNT}:role/b/Pathed`), undefined);
    assert.ok(await gateway().inspectRole(`arn:aws:iam::${ACCOUNT}:role/a/Pathed`));
  });

  test('a malformed or GovCloud ARN is bad input', async () => {
    const bad = await rejection(gateway().inspectRole('arn:aws:iam::12345:role/x'));
    assert.equal(bad.code, 'bad_input');
    const gov = await rejection(gateway().inspectRole(`arn:aws-us-gov:iam::${ACCOUNT}:role/x`));
    assert.match(gov.message, /commercial partition \(aws\) only/);
  });
});

describe('deleteRole', () => {
  test('detaches the managed policies, deletes the role; a second delete is a no-op', async () => {
    const g = gateway();
    await g.ensureRole(spec, 'op-1');
    assert.deepEqual(await g.deleteRole(ARN, 'op-1:rollback'), { deleted: true, detached: [POLICY] });
    assert.equal(stub.roles.size, 0);
    assert.deepEqual(await g.deleteRole(ARN, 'op-1:rollback'), { deleted: false, detached: [] });
  });

  test('AccessDenied on DeleteRole names iam:DeleteRole', async () => {
    const g = gateway();
    await g.ensureRole(spec, 'op-1');
    stub.faults.deny = new Set(['iam:DeleteRole']);
    const err = await rejection(g.deleteRole(ARN, 'op-1:rollback'));
    assert.equal(err.code, 'forbidden');
    assert.match(err.message, /iam:DeleteRole/);
  });
});
