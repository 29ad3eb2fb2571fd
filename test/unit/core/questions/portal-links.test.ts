import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { portalLinks } from '../../../../src/core/questions/portal-links.ts';

const ws = { subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg-sec', workspaceName: 'sentinel-prod' };
const kql = 'AWSCloudTrail\n| where EventName == "ConsoleLogin" // 控制台登录\n| count';

function unpack(encoded: string): string {
  return gunzipSync(Buffer.from(decodeURIComponent(encoded), 'base64')).toString('utf8');
}

test('the Azure portal link opens the workspace Logs blade with the query and timespan', () => {
  const { azurePortal } = portalLinks(ws, kql, 'P30D');
  assert.ok(azurePortal.startsWith('https://portal.azure.com/#blade/'));
  const m = /resourceId\/([^/]+)\/source\/LogsBlade\.AnalyticsShareLinkToQuery\/q\/([^/]+)\/timespan\/(.+)$/.exec(azurePortal);
  assert.ok(m, azurePortal);
  assert.equal(
    decodeURIComponent(m[1]),
    '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-sec/providers/Microsoft.OperationalInsights/workspaces/sentinel-prod',
  );
  assert.equal(unpack(m[2]), kql, 'the query round-trips, unicode included');
  assert.equal(m[3], 'P30D');
});

test('the Defender portal link carries the same query; US Government uses its own hosts', () => {
  const { defenderPortal } = portalLinks(ws, kql, 'P7D', 'usgov');
  const url = new URL(defenderPortal);
  assert.equal(url.origin, 'https://security.microsoft.us');
  assert.equal(unpack(encodeURIComponent(url.searchParams.get('query') ?? '')), kql);
  assert.ok(portalLinks(ws, kql, 'P7D', 'usgov').azurePortal.startsWith('https://portal.azure.us/'));
});
