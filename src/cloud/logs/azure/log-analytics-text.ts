/**
 * Every sentence the Log Analytics gateway says to a person, in one place (after vega-lite's
 * `log/message.ts`): tests compare against these functions, not against copied strings. Each
 * message says what happened and what to do.
 */

/** How a workspace is named in messages: `"prod-sec" (workspace ID 0123…)` or just the ID. */
export function workspaceLabel(workspaceId: string, name?: string): string {
  return name ? `"${name}" (workspace ID ${workspaceId})` : `workspace ${workspaceId}`;
}

/** A service error as `Code: message`, or the HTTP status when the body said nothing. */
export function serviceSays(status: number | undefined, code: string | undefined, message: string | undefined): string {
  const head = code ?? (status === undefined ? 'no response' : `HTTP ${status}`);
  return message ? `${head}: ${message}` : head;
}

export const text = {
  forbidden: (workspace: string, said: string) =>
    `the identity the bot runs as may not query ${workspace}: it lacks the Log Analytics Reader role on that workspace ` +
    `(Log Analytics said ${said}). Assign Log Analytics Reader (or Microsoft Sentinel Reader) to the bot's identity on ` +
    `the workspace (Access control (IAM) → Add role assignment), wait a few minutes for it to apply, and ask again.`,

  unauthenticated: (workspace: string, said: string) =>
    `Log Analytics rejected the bot's Azure credentials for ${workspace} (${said}). The token comes from ` +
    `DefaultAzureCredential: check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or the managed identity, ` +
    `or "az login"), that the tenant is the workspace's, and that AZURE_CLOUD matches the workspace's cloud ` +
    `(usgov for Azure Government).`,

  noCredential: (detail: string) =>
    `no Azure credential could get a token for Log Analytics (${detail}). DefaultAzureCredential tries, in order: ` +
    `environment variables (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET), workload identity, managed ` +
    `identity, then the Azure CLI ("az login"); configure one of them and restart the bot.`,

  notFound: (workspace: string, endpoint: string, said: string) =>
    `Log Analytics at ${endpoint} does not know ${workspace} (${said}). Check the workspace ID (the GUID on the ` +
    `workspace's Overview page, not its name) in SENTINEL_WORKSPACES, and that AZURE_CLOUD matches the workspace's cloud.`,

  queryRejected: (said: string) => `Log Analytics rejected the query (${said}).`,

  throttled: (workspace: string, attempts: number, seconds: number, retryAfterSeconds: number | undefined) =>
    `Log Analytics is throttling queries to ${workspace} (HTTP 429; ${attempts} ${plural(attempts, 'attempt')} over ` +
    `${seconds} s). Try again ${retryAfterSeconds === undefined ? 'in a minute' : `in ${retryAfterSeconds} s, as the service asks`}. ` +
    `Log Analytics allows each identity 5 queries at once and 200 requests per 30 seconds.`,

  serverError: (workspace: string, said: string, attempts: number, seconds: number) =>
    `Log Analytics failed to answer for ${workspace} (${said}; ${attempts} ${plural(attempts, 'attempt')} over ${seconds} s). ` +
    `The fault is on the service side: try again in a few minutes, and check the Azure status page if it persists.`,

  serverTimeout: (workspace: string, serverTimeoutSeconds: number) =>
    `the query on ${workspace} ran longer than the server timeout of ${serverTimeoutSeconds} s and was stopped. ` +
    `Ask for a shorter time window or fewer groups; the operator can raise the server timeout (at most 600 s).`,

  clientTimeout: (workspace: string, endpoint: string, seconds: number) =>
    `no answer from Log Analytics at ${endpoint} within ${seconds} s for ${workspace}; the query was abandoned. ` +
    `Try again; if it keeps happening, check the network path to the endpoint.`,

  unreachable: (endpoint: string, detail: string, attempts: number) =>
    `could not reach Log Analytics at ${endpoint} (${detail}; ${attempts} ${plural(attempts, 'attempt')}). ` +
    `Check the network and proxy settings, and AZURE_LOGS_ENDPOINT / AZURE_CLOUD.`,

  unexpectedStatus: (workspace: string, said: string) =>
    `Log Analytics gave an unexpected answer for ${workspace} (${said}); the query was not completed. Try again; ` +
    `if it persists, this is a bug in the bot's Log Analytics gateway.`,

  partialResult: (said: string) =>
    `Log Analytics returned a partial result (${said}): the tables and chart may be missing data. ` +
    `A shorter time window usually gives a complete answer.`,

  badTimespan: (timespan: string) => `not an ISO 8601 duration: ${JSON.stringify(timespan)} (expected e.g. P30D, PT24H or P1DT12H)`,

  badNow: (now: number) => `not a valid instant for the end of the query window: ${String(now)}`,

  closed: () => `the Log Analytics gateway is shutting down; the query was not run. Try again shortly.`,
} as const;

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
