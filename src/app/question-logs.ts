/**
 * The LogsGateway questions run on: in sandbox mode the local workspace (in this thread: the CLI
 * runs one query), in real mode Log Analytics through DefaultAzureCredential.
 */
import { inThreadLogsGateway } from '../cloud/logs/local/run-local-query.ts';
import { openWorkspace } from '../cloud/logs/local/workspace.ts';
import { ChatopsError } from '../core/errors.ts';
import type { LogsGateway } from '../core/questions/logs-gateway.ts';
import type { WorkspaceRef } from '../core/questions/portal-links.ts';
import type { Config } from './config.ts';

export async function questionLogs(
  config: Config,
  workspaceName?: string,
): Promise<{ logs: LogsGateway; portal?: { workspace: WorkspaceRef; cloud: 'public' | 'usgov' } }> {
  const ws = workspaceName ? config.workspaces.find((w) => w.name === workspaceName) : config.workspaces[0];
  if (!ws) {
    throw new ChatopsError(
      'not_found',
      `no workspace named "${workspaceName}": configured are ${config.workspaces.map((w) => w.name).join(', ')}`,
    );
  }
  if (config.cloudMode === 'sandbox' || ws.builtIn) {
    return { logs: inThreadLogsGateway(await openWorkspace(config.dataDir)) };
  }
  const [{ DefaultAzureCredential }, { LogAnalyticsGateway }] = await Promise.all([
    import('@azure/identity'),
    import('../cloud/logs/azure/log-analytics-gateway.ts'),
  ]);
  const logs = new LogAnalyticsGateway({
    credential: new DefaultAzureCredential({ authorityHost: config.azure.authorityHost }),
    workspaceId: ws.workspaceId,
    workspaceName: ws.workspaceName,
    endpoint: config.azure.logsEndpoint,
  });
  return {
    logs,
    portal: {
      workspace: { subscriptionId: ws.subscriptionId, resourceGroup: ws.resourceGroup, workspaceName: ws.workspaceName },
      cloud: config.azure.cloud === 'usgov' ? 'usgov' : 'public',
    },
  };
}
