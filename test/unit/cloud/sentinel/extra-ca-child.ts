/**
 * Run by connector-real.test.ts in a child process started with NODE_EXTRA_CA_CERTS: the gateway,
 * given no `ca`, reaches the HTTPS ARM stub at argv[2] through Node's CA store alone.
 */
import { RealSentinelGateway } from '../../../../src/cloud/sentinel/connector-real.ts';
import { staticTokenCredential } from '../../../helpers/arm-stub.ts';

const workspace = {
  name: 'prod-sec',
  workspaceId: '8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e',
  subscriptionId: '0f0e0d0c-0b0a-0908-0706-050403020100',
  resourceGroup: 'sec-rg',
  workspaceName: 'sec-ws',
};
const gateway = new RealSentinelGateway({ credential: staticTokenCredential, resourceManagerEndpoint: process.argv[2], maxRetries: 0 });
const ref = await gateway.ensureConnector({ workspace, roleArn: 'arn:aws:iam::012345678901:role/FromChild' }, 'child-op');
const workspaceId = await gateway.readWorkspaceId(workspace);
process.stdout.write(JSON.stringify({ created: ref.created, workspaceId }));
