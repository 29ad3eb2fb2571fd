import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { connectorIdFor } from '../../../../src/cloud/sentinel/connector-id.ts';
import { SANDBOX_SENTINEL_FILE, SandboxSentinelGateway } from '../../../../src/cloud/sentinel/connector-sandbox.ts';
import { isChatopsError } from '../../../../src/core/errors.ts';
import type { WorkspaceRef } from '../../../../src/core/onboarding/gateways.ts';

const workspace: WorkspaceRef = {
  name: 'sandbox',
  workspaceId: 'A5E7C1A0-7E57-4C1D-8A7B-5A9DB0C0FFEE',
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: 'sandbox',
  workspaceName: 'sandbox-workspace',
};
const ROLE = 'arn:aws:iam::012345678901:role/MicrosoftSentinelCloudTrail';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentinel-sandbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refused(p: Promise<unknown>, code: string): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(isChatopsError(err), String(err));
    assert.equal(err.code, code);
    assert.match(err.message, /^sandbox Sentinel: /);
    return err.message;
  }
  assert.fail('expected a refusal');
}

test('records the connector (created, then replaced), keeps it across a restart, and lists the connected account', async () => {
  const g = new SandboxSentinelGateway({ dataDir: dir, workspaces: [workspace] });
  const first = await g.ensureConnector({ workspace, roleArn: ROLE }, 'onb-1:connector');
  assert.equal(first.connectorId, connectorIdFor('onb-1:connector'));
  assert.equal(first.created, true);
  assert.equal(first.logsState, 'Enabled');
  assert.match(first.resourceId, /\/providers\/Microsoft\.SecurityInsights\/dataConnectors\/[0-9a-f-]{36}$/);
  const again = await g.ensureConnector({ workspace, roleArn: ROLE }, 'onb-1:connector');
  assert.deepEqual(again, { ...first, created: false });

  const restarted = new SandboxSentinelGateway({ dataDir: dir, workspaces: [workspace] });
  assert.deepEqual(await restarted.getConnector(workspace, first.connectorId), {
    connectorId: first.connectorId,
    resourceId: first.resourceId,
    roleArn: ROLE,
    logsState: 'Enabled',
  });
  const listed = await restarted.listConnectors();
  assert.equal(listed.length, 1);
  assert.equal(listed[0].accountId, '012345678901');
  assert.deepEqual(listed[0].workspace, { name: 'sandbox', workspaceId: 'a5e7c1a0-7e57-4c1d-8a7b-5a9db0c0ffee' });
  assert.equal(JSON.parse(await readFile(join(dir, SANDBOX_SENTINEL_FILE), 'utf8')).version, 1);
});

test('workspace names are matched as ARM does, regardless of case', async () => {
  const g = new SandboxSentinelGateway({ dataDir: dir, workspaces: [workspace] });
  const ref = await g.ensureConnector({ workspace, roleArn: ROLE }, 'op');
  assert.ok(await g.getConnector({ ...workspace, workspaceName: 'SANDBOX-WORKSPACE', resourceGroup: 'SandBox' }, ref.connectorId));
});

test('delete: deleted, then nothing to delete; unknown IDs read as absent', async () => {
  const g = new SandboxSentinelGateway({ dataDir: dir });
  const { connectorId } = await g.ensureConnector({ workspace, roleArn: ROLE }, 'op');
  assert.deepEqual(await g.deleteConnector(workspace, connectorId, 'op:rollback'), { deleted: true });
  assert.deepEqual(await g.deleteConnector(workspace, connectorId, 'op:rollback'), { deleted: false });
  assert.equal(await g.getConnector(workspace, connectorId), undefined);
  assert.deepEqual(await g.listConnectors(workspace), []);
});

test('the role ARN is validated like ARM would need it: format, 12-digit account, commercial partition', async () => {
  const g = new SandboxSentinelGateway({ dataDir: dir });
  for (const roleArn of [
    'arn:aws:iam::12345678901:role/x',
    'arn:aws:iam::012345678901:user/x',
    'arn:aws:iam::012345678901:role/',
    'MicrosoftSentinelCloudTrail',
    ` ${ROLE}`,
  ])
    assert.match(await refused(g.ensureConnector({ workspace, roleArn }, 'op'), 'bad_input'), /is not an IAM role ARN/);
  assert.match(
    await refused(g.ensureConnector({ workspace, roleArn: 'arn:aws-us-gov:iam::012345678901:role/x' }, 'op'), 'bad_input'),
    /commercial partition \(aws\) only/,
  );
  assert.deepEqual(await g.listConnectors(), [], 'nothing stored');
});

test('a workspace that is not the sandbox’s is not found; readWorkspaceId answers the configured ID', async () => {
  const g = new SandboxSentinelGateway({ dataDir: dir, workspaces: [workspace] });
  const other = { ...workspace, name: 'prod', workspaceName: 'prod-ws' };
  assert.match(
    await refused(g.ensureConnector({ workspace: other, roleArn: ROLE }, 'op'), 'not_found'),
    /prod-ws \(prod\) .* is not a sandbox workspace \(known: sandbox\)/,
  );
  await refused(g.getConnector(other, 'x'), 'not_found');
  assert.equal(await g.readWorkspaceId(workspace), 'a5e7c1a0-7e57-4c1d-8a7b-5a9db0c0ffee');
});

test('concurrent PUTs of one operation converge on one connector', async () => {
  const g = new SandboxSentinelGateway({ dataDir: dir });
  const refs = await Promise.all(Array.from({ length: 20 }, () => g.ensureConnector({ workspace, roleArn: ROLE }, 'op')));
  assert.equal(refs.filter((r) => r.created).length, 1);
  assert.equal((await g.listConnectors()).length, 1);
});
