/**
 * The real Sentinel gateway driven through `@azure/arm-securityinsight` against the loopback ARM
 * stub over HTTPS. In this process the stub's self-signed certificate is trusted through the
 * gateway's `ca` option (the SDK's tlsOptions); a child process shows NODE_EXTRA_CA_CERTS works too.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectorIdFor } from '../../../../src/cloud/sentinel/connector-id.ts';
import { RealSentinelGateway, type RealSentinelOptions } from '../../../../src/cloud/sentinel/connector-real.ts';
import { isChatopsError } from '../../../../src/core/errors.ts';
import { isRetryable } from '../../../../src/core/onboarding/gateways.ts';
import { type ArmStub, startArmStub, staticTokenCredential, TEST_CA_FILE } from '../../../helpers/arm-stub.ts';

const SUB = '0f0e0d0c-0b0a-0908-0706-050403020100';
const WORKSPACE_ID = '8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e';
const workspace = { name: 'prod-sec', subscriptionId: SUB, resourceGroup: 'sec-rg', workspaceName: 'sec-ws', workspaceId: WORKSPACE_ID };
const ROLE = 'arn:aws:iam::012345678901:role/sentinel/MicrosoftSentinelCloudTrail';
const CA = readFileSync(TEST_CA_FILE, 'utf8');

let stub: ArmStub;
let sleeps: number[];

function gateway(extra: Partial<RealSentinelOptions> = {}): RealSentinelGateway {
  return new RealSentinelGateway({
    credential: staticTokenCredential,
    resourceManagerEndpoint: stub.url,
    ca: CA,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
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

const puts = () => stub.requests.filter((r) => r.method === 'PUT');

before(async () => {
  stub = await startArmStub([{ subscriptionId: SUB, resourceGroup: 'sec-rg', name: 'sec-ws', customerId: WORKSPACE_ID }]);
});
after(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.requests.length = 0;
  stub.badApiVersions.length = 0;
  stub.connectors.clear();
  for (const k of Object.keys(stub.faults)) delete (stub.faults as Record<string, unknown>)[k];
  sleeps = [];
});

describe('ensureConnector', () => {
  test('PUTs the AmazonWebServicesCloudTrail connector with the role ARN and logs enabled, at the pinned API version', async () => {
    const ref = await gateway().ensureConnector({ workspace, roleArn: ROLE }, 'onb-1:connector');
    const id = connectorIdFor('onb-1:connector');
    assert.equal(ref.connectorId, id);
    assert.equal(ref.created, true);
    assert.equal(ref.roleArn, ROLE);
    assert.equal(ref.logsState, 'Enabled');
    assert.equal(
      ref.resourceId,
      `/subscriptions/${SUB}/resourceGroups/sec-rg/providers/Microsoft.OperationalInsights/workspaces/sec-ws/providers/Microsoft.SecurityInsights/dataConnectors/${id}`,
    );
    const [put] = puts();
    assert.equal(put.apiVersion, '2024-09-01');
    assert.equal(put.authorization, 'Bearer test-token');
    assert.deepEqual(put.body, {
      kind: 'AmazonWebServicesCloudTrail',
      properties: { awsRoleArn: ROLE, dataTypes: { logs: { state: 'Enabled' } } },
    });
    assert.deepEqual(stub.badApiVersions, []);
  });

  test('PUT twice: one connector with the same ID and content; the second answer is an update', async () => {
    const g = gateway();
    const first = await g.ensureConnector({ workspace, roleArn: ROLE }, 'onb-1:connector');
    const second = await g.ensureConnector({ workspace, roleArn: ROLE }, 'onb-1:connector');
    assert.equal(second.connectorId, first.connectorId);
    assert.equal(second.created, false);
    assert.equal(stub.connectors.size, 1);
    const { etag: _a, created: _b, ...a } = first;
    const { etag: _c, created: _d, ...b } = second;
    assert.deepEqual(a, b);
  });

  test('409 Conflict twice, then success: retried with a doubling delay (3 PUTs)', async () => {
    stub.faults.conflict = { count: 2 };
    const ref = await gateway().ensureConnector({ workspace, roleArn: ROLE }, 'onb-1:connector');
    assert.equal(ref.created, true);
    assert.deepEqual(
      puts().map((r) => r.status),
      [409, 409, 201],
    );
    assert.deepEqual(sleeps, [2000, 4000]);
  });

  test('409 Conflict that does not clear: a conflict error after the bounded attempts', async () => {
    stub.faults.conflict = { count: 100 };
    const err = await rejection(
      gateway({ conflict: { attempts: 3, firstDelayMs: 10 } }).ensureConnector({ workspace, roleArn: ROLE }, 'op'),
    );
    assert.equal(err.code, 'conflict');
    assert.match(err.message, /^Azure answered 409 Conflict 3 times when trying to create the AWS CloudTrail data connector/);
    assert.equal(puts().length, 3);
    assert.deepEqual(sleeps, [10, 20]);
  });

  test('429 with Retry-After: 1 is waited out by the SDK pipeline, then the PUT succeeds', async () => {
    stub.faults.throttle = { count: 1, retryAfter: '1' };
    const started = Date.now();
    const ref = await gateway().ensureConnector({ workspace, roleArn: ROLE }, 'onb-1:connector');
    const elapsed = Date.now() - started;
    assert.equal(ref.created, true);
    assert.deepEqual(
      puts().map((r) => r.status),
      [429, 201],
    );
    assert.ok(elapsed >= 950, `waited ${elapsed} ms for Retry-After: 1`);
  });

  test('429 that does not clear: throttled after 1 + maxRetries attempts', async () => {
    stub.faults.throttle = { count: 100, retryAfterMs: 5 };
    const err = await rejection(gateway({ maxRetries: 2 }).ensureConnector({ workspace, roleArn: ROLE }, 'op'));
    assert.equal(err.code, 'throttled');
    assert.match(
      err.message,
      /throttled the request to create the AWS CloudTrail data connector .* and 3 attempts ran out; try again in a minute$/,
    );
    assert.equal(puts().length, 3);
  });

  test('403: forbidden, naming the identity and the Microsoft Sentinel Contributor role on the resource group', async () => {
    stub.faults.forbidden = new Set(['PUT']);
    const err = await rejection(gateway().ensureConnector({ workspace, roleArn: ROLE }, 'op'));
    assert.equal(err.code, 'forbidden');
    assert.match(
      err.message,
      /^the identity chatops-bot \(object id 5b0c3f4e-0000-4000-8000-000000000001\) may not create the AWS CloudTrail data connector [0-9a-f-]{36} in workspace sec-ws \(prod-sec\) in resource group sec-rg of subscription 0f0e0d0c-0b0a-0908-0706-050403020100: it lacks Microsoft\.SecurityInsights\/dataConnectors\/write\. Assign it the Microsoft Sentinel Contributor role on resource group sec-rg/,
    );
  });

  test('404 for a workspace, resource group or subscription that does not exist: not_found naming all three', async () => {
    for (const [ws, said] of [
      [{ ...workspace, workspaceName: 'other-ws' }, /Microsoft\.OperationalInsights\/workspaces\/other-ws/],
      [{ ...workspace, resourceGroup: 'other-rg' }, /Resource group 'other-rg' could not be found/],
      [{ ...workspace, subscriptionId: '11111111-2222-3333-4444-555555555555' }, /subscription '11111111-2222-3333-4444-555555555555'/],
    ] as const) {
      const err = await rejection(gateway().ensureConnector({ workspace: ws, roleArn: ROLE }, 'op'));
      assert.equal(err.code, 'not_found');
      assert.ok(
        err.message.startsWith(
          `workspace ${ws.workspaceName} (prod-sec) in resource group ${ws.resourceGroup} of subscription ${ws.subscriptionId} was not found`,
        ),
        err.message,
      );
      assert.match(err.message, said);
      assert.match(err.message, /check subscriptionId, resourceGroup and workspaceName in SENTINEL_WORKSPACES$/);
    }
  });

  test('a malformed role ARN is refused before any request', async () => {
    const err = await rejection(gateway().ensureConnector({ workspace, roleArn: 'arn:aws:iam::12:role/x' }, 'op'));
    assert.equal(err.code, 'bad_input');
    assert.equal(stub.requests.length, 0);
  });

  test('ARM refusing the body (400) is bad input with its message', async () => {
    stub.faults.fail = {
      method: 'PUT',
      status: 400,
      code: 'BadRequest',
      message: 'Workspace is not onboarded to Microsoft Sentinel',
      count: 1,
    };
    const err = await rejection(gateway().ensureConnector({ workspace, roleArn: ROLE }, 'op'));
    assert.equal(err.code, 'bad_input');
    assert.match(err.message, /Azure said: Workspace is not onboarded to Microsoft Sentinel/);
  });
});

describe('retryable refusals', () => {
  test('a 400 saying the role cannot be assumed is marked retryable (IAM eventual consistency); others are not', async () => {
    stub.faults.fail = {
      method: 'PUT',
      status: 400,
      code: 'BadRequest',
      message: `Unable to assume role ${ROLE}: check the trust relationship and the external ID`,
      count: 1,
    };
    const err = await rejection(gateway().ensureConnector({ workspace, roleArn: ROLE }, 'op'));
    assert.equal(err.code, 'bad_input');
    assert.equal(isRetryable(err), true);

    stub.faults.fail = {
      method: 'PUT',
      status: 400,
      code: 'BadRequest',
      message: 'Workspace is not onboarded to Microsoft Sentinel',
      count: 1,
    };
    assert.equal(isRetryable(await rejection(gateway().ensureConnector({ workspace, roleArn: ROLE }, 'op'))), false);
  });
});

describe('getConnector and deleteConnector', () => {
  test('GET: the connector as ARM has it; undefined for an ID that is not there', async () => {
    const g = gateway();
    await g.ensureConnector({ workspace, roleArn: ROLE }, 'onb-1:connector');
    const got = await g.getConnector(workspace, connectorIdFor('onb-1:connector'));
    assert.equal(got?.kind, 'AmazonWebServicesCloudTrail');
    assert.equal(got?.roleArn, ROLE);
    assert.equal(got?.logsState, 'Enabled');
    assert.equal(await g.getConnector(workspace, connectorIdFor('onb-2:connector')), undefined);
  });

  test('GET in a workspace that does not exist is not_found, not "no connector"', async () => {
    const err = await rejection(gateway().getConnector({ ...workspace, workspaceName: 'gone-ws' }, connectorIdFor('x')));
    assert.equal(err.code, 'not_found');
  });

  test('DELETE: deleted, then nothing to delete', async () => {
    const g = gateway();
    await g.ensureConnector({ workspace, roleArn: ROLE }, 'onb-1:connector');
    assert.deepEqual(await g.deleteConnector(workspace, connectorIdFor('onb-1:connector')), { deleted: true });
    assert.deepEqual(await g.deleteConnector(workspace, connectorIdFor('onb-1:connector')), { deleted: false });
    assert.equal(stub.connectors.size, 0);
  });

  test('403 on DELETE names the delete permission', async () => {
    stub.faults.forbidden = new Set(['DELETE']);
    const err = await rejection(gateway().deleteConnector(workspace, connectorIdFor('x')));
    assert.equal(err.code, 'forbidden');
    assert.match(err.message, /lacks Microsoft\.SecurityInsights\/dataConnectors\/delete/);
  });

  test('every request carried a bearer token and the pinned api-version', async () => {
    const g = gateway();
    await g.ensureConnector({ workspace, roleArn: ROLE }, 'a');
    await g.getConnector(workspace, connectorIdFor('a'));
    await g.deleteConnector(workspace, connectorIdFor('a'));
    assert.deepEqual(
      stub.requests.map((r) => `${r.method} ${r.apiVersion} ${r.authorization}`),
      ['PUT 2024-09-01 Bearer test-token', 'GET 2024-09-01 Bearer test-token', 'DELETE 2024-09-01 Bearer test-token'],
    );
  });
});

describe('the workspace ID that ARM reports', () => {
  test('readWorkspaceId reads properties.customerId of Microsoft.OperationalInsights/workspaces', async () => {
    assert.equal(await gateway().readWorkspaceId(workspace), WORKSPACE_ID);
    const [req] = stub.requests;
    assert.equal(req.path, `/subscriptions/${SUB}/resourceGroups/sec-rg/providers/Microsoft.OperationalInsights/workspaces/sec-ws`);
    assert.equal(req.apiVersion, '2022-10-01');
    assert.equal(req.authorization, 'Bearer test-token');
  });

  test('verifyWorkspaceId accepts the matching ID (any case) and refuses another, naming both', async () => {
    await gateway().verifyWorkspaceId({ ...workspace, workspaceId: WORKSPACE_ID.toUpperCase() });
    const err = await rejection(gateway().verifyWorkspaceId({ ...workspace, workspaceId: '00000000-1111-2222-3333-444444444444' }));
    assert.equal(err.code, 'config');
    assert.match(
      err.message,
      /prod-sec has workspaceId 00000000-1111-2222-3333-444444444444, but Azure reports 8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e/,
    );
  });

  test('a workspace that does not exist: not_found', async () => {
    const err = await rejection(gateway().readWorkspaceId({ ...workspace, workspaceName: 'none-ws' }));
    assert.equal(err.code, 'not_found');
  });

  test('429 on the workspace read is retried after Retry-After', async () => {
    stub.faults.throttle = { count: 2, retryAfter: '3' };
    assert.equal(await gateway().readWorkspaceId(workspace), WORKSPACE_ID);
    assert.deepEqual(sleeps, [3000, 3000]);
  });
});

describe('HTTPS trust', () => {
  test('without the test CA the stub is not trusted: unavailable, naming the certificate problem', async () => {
    const err = await rejection(gateway({ ca: undefined, maxRetries: 0 }).ensureConnector({ workspace, roleArn: ROLE }, 'op'));
    assert.equal(err.code, 'unavailable');
    assert.match(err.message, /certificate/);
  });

  test('NODE_EXTRA_CA_CERTS set when a process starts is enough (no ca option)', async () => {
    const child = fileURLToPath(new URL('./extra-ca-child.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [child, stub.url], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: TEST_CA_FILE },
    });
    const out = JSON.parse(stdout) as { created: boolean; workspaceId: string };
    assert.equal(out.created, true);
    assert.equal(out.workspaceId, WORKSPACE_ID);
  });
});
