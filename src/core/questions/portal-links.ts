/**
 * "Run this query" links for a real workspace. Both portals take the query gzip-compressed and
 * base64-encoded, as their own "share link" buttons produce. Microsoft is moving Sentinel to the
 * Defender portal (the Azure portal experience is announced to end in March 2027), so answers
 * offer both.
 */
import { gzipSync } from 'node:zlib';

export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
}

export interface PortalLinks {
  /** Azure portal, Log Analytics "Logs" blade of the workspace. */
  azurePortal: string;
  /** Microsoft Defender portal, advanced hunting (Sentinel tables are queryable there). */
  defenderPortal: string;
}

const AZURE_PORTAL: Record<'public' | 'usgov', string> = {
  public: 'https://portal.azure.com',
  usgov: 'https://portal.azure.us',
};
const DEFENDER_PORTAL: Record<'public' | 'usgov', string> = {
  public: 'https://security.microsoft.com',
  usgov: 'https://security.microsoft.us',
};

function packedQuery(kql: string): string {
  return encodeURIComponent(gzipSync(Buffer.from(kql, 'utf8')).toString('base64'));
}

/** `timespan` is an ISO 8601 duration (P30D), as the query was run. */
export function portalLinks(ws: WorkspaceRef, kql: string, timespan: string, cloud: 'public' | 'usgov' = 'public'): PortalLinks {
  const resourceId = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${ws.workspaceName}`;
  const q = packedQuery(kql);
  return {
    azurePortal: `${AZURE_PORTAL[cloud]}/#blade/Microsoft_OperationsManagementSuite_Workspace/Logs.ReactView/resourceId/${encodeURIComponent(resourceId)}/source/LogsBlade.AnalyticsShareLinkToQuery/q/${q}/timespan/${encodeURIComponent(timespan)}`,
    defenderPortal: `${DEFENDER_PORTAL[cloud]}/v2/advanced-hunting?query=${q}&timeRangeId=custom`,
  };
}
