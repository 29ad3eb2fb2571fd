/**
 * A loopback Azure Resource Manager over HTTPS (the Azure SDKs refuse to send a bearer token over
 * plain HTTP), with the self-signed test certificate in `test/helpers/tls/` (CN and SAN IP
 * 127.0.0.1). Clients trust it through `tlsOptions: { ca }` in-process, or NODE_EXTRA_CA_CERTS =
 * TEST_CA_FILE in a child process.
 *
 * It serves:
 * - PUT/GET/DELETE `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/
 *   workspaces/{w}/providers/Microsoft.SecurityInsights/dataConnectors/{id}?api-version=2024-09-01`
 *   (any other api-version answers 400 InvalidApiVersionParameter and is counted in `badApiVersions`);
 * - GET `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{w}
 *   ?api-version=2022-10-01` with `properties.customerId` (the workspace ID).
 * Unknown subscriptions, resource groups and workspaces answer 404 as ARM does
 * (SubscriptionNotFound, ResourceGroupNotFound, ResourceNotFound); a connector that does not exist
 * answers 404 NotFound. Every request must carry `Authorization: Bearer …` (else 401).
 *
 * Faults (on `faults`, changeable between calls): `conflict` (the next N PUTs answer 409 Conflict),
 * `throttle` (the next N requests answer 429 with Retry-After), `forbidden` (methods that answer 403
 * AuthorizationFailed, as for an identity without a Sentinel role).
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const TEST_CA_FILE = fileURLToPath(new URL('./tls/cert.pem', import.meta.url));
export const TEST_KEY_FILE = fileURLToPath(new URL('./tls/key.pem', import.meta.url));
export const SENTINEL_API_VERSION = '2024-09-01';
export const WORKSPACES_API_VERSION = '2022-10-01';

export interface ArmWorkspace {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** The Log Analytics workspace ID (GUID). */
  customerId: string;
}

export interface ArmRequest {
  method: string;
  path: string;
  apiVersion: string | null;
  authorization: string | undefined;
  body: unknown;
  status: number;
}

export interface ArmFaults {
  conflict?: { count: number };
  /** `retryAfter` is the Retry-After header's value (seconds); `retryAfterMs` sends retry-after-ms instead. */
  throttle?: { count: number; retryAfter?: string; retryAfterMs?: number };
  forbidden?: Set<string>;
  /** Any status with an ARM error body for the next `count` requests of `method`. */
  fail?: { method: string; status: number; code: string; message: string; count: number };
}

export interface ArmStub {
  url: string;
  requests: ArmRequest[];
  /** Connectors by lower-case resource ID, as stored (the ARM JSON answered by GET). */
  connectors: Map<string, Record<string, unknown>>;
  workspaces: ArmWorkspace[];
  faults: ArmFaults;
  /** Requests whose api-version was not the expected one. */
  badApiVersions: ArmRequest[];
  close(): Promise<void>;
}

const CONNECTOR_PATH =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)\/providers\/Microsoft\.SecurityInsights\/dataConnectors\/([^/]+)$/i;
const WORKSPACE_PATH =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)$/i;
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/(?:[\u0021-\u007e]+\/)?[\w+=,.@-]{1,64}$/;

class ArmError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export async function startArmStub(workspaces: ArmWorkspace[]): Promise<ArmStub> {
  const requests: ArmRequest[] = [];
  const badApiVersions: ArmRequest[] = [];
  const connectors = new Map<string, Record<string, unknown>>();
  const faults: ArmFaults = {};
  let etag = 0;

  function findWorkspace(sub: string, rg: string, name: string): ArmWorkspace {
    const inSub = workspaces.filter((w) => w.subscriptionId.toLowerCase() === sub.toLowerCase());
    if (inSub.length === 0) throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
    const inRg = inSub.filter((w) => w.resourceGroup.toLowerCase() === rg.toLowerCase());
    if (inRg.length === 0) throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    const ws = inRg.find((w) => w.name.toLowerCase() === name.toLowerCase());
    if (ws === undefined)
      throw new ArmError(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.OperationalInsights/workspaces/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    return ws;
  }

  function handle(method: string, path: string, apiVersion: string | null, body: unknown): { status: number; json?: unknown } {
    const ws = WORKSPACE_PATH.exec(path);
    if (ws !== null) {
      if (apiVersion !== WORKSPACES_API_VERSION) throw badVersion(apiVersion);
      if (method !== 'GET') throw new ArmError(405, 'MethodNotAllowed', `${method} is not served by this stub`);
      const w = findWorkspace(ws[1], ws[2], ws[3]);
      return {
        status: 200,
        json: {
          id: `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${w.name}`,
          name: w.name,
          type: 'Microsoft.OperationalInsights/workspaces',
          location: 'westeurope',
          properties: { customerId: w.customerId, provisioningState: 'Succeeded', sku: { name: 'PerGB2018' }, retentionInDays: 90 },
        },
      };
    }
    const dc = CONNECTOR_PATH.exec(path);
    if (dc === null) throw new ArmError(404, 'InvalidResourceType', `The resource type could not be found for ${path}.`);
    if (apiVersion !== SENTINEL_API_VERSION) throw badVersion(apiVersion);
    const w = findWorkspace(dc[1], dc[2], dc[3]);
    const id = `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${w.name}/providers/Microsoft.SecurityInsights/dataConnectors/${dc[4]}`;
    const key = id.toLowerCase();
    switch (method) {
      case 'GET': {
        const c = connectors.get(key);
        if (c === undefined) throw new ArmError(404, 'NotFound', `Data connector '${dc[4]}' was not found.`);
        return { status: 200, json: c };
      }
      case 'PUT': {
        const b = (body ?? {}) as { kind?: unknown; properties?: { awsRoleArn?: unknown; dataTypes?: { logs?: { state?: unknown } } } };
        if (b.kind !== 'AmazonWebServicesCloudTrail')
          throw new ArmError(400, 'BadRequest', `This stub serves kind AmazonWebServicesCloudTrail only, got ${JSON.stringify(b.kind)}`);
        const arn = b.properties?.awsRoleArn;
        if (typeof arn !== 'string' || !ROLE_ARN.test(arn))
          throw new ArmError(400, 'BadRequest', `Invalid AWS role ARN: ${JSON.stringify(arn)}`);
        const state = b.properties?.dataTypes?.logs?.state;
        if (state !== 'Enabled' && state !== 'Disabled')
          throw new ArmError(400, 'BadRequest', `dataTypes.logs.state must be Enabled or Disabled, got ${JSON.stringify(state)}`);
        const existed = connectors.has(key);
        const stored = {
          id,
          name: dc[4],
          type: 'Microsoft.SecurityInsights/dataConnectors',
          etag: `"${(++etag).toString(16).padStart(8, '0')}-0000-0000-0000-000000000000"`,
          kind: 'AmazonWebServicesCloudTrail',
          properties: { awsRoleArn: arn, dataTypes: { logs: { state } } },
        };
        connectors.set(key, stored);
        return { status: existed ? 200 : 201, json: stored };
      }
      case 'DELETE':
        return { status: connectors.delete(key) ? 200 : 204 };
      default:
        throw new ArmError(405, 'MethodNotAllowed', `${method} is not served by this stub`);
    }
  }

  function onRequest(req: IncomingMessage, res: ServerResponse, text: string): void {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const method = req.method ?? 'GET';
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const record: ArmRequest = {
      method,
      path: url.pathname,
      apiVersion: url.searchParams.get('api-version'),
      authorization: req.headers.authorization,
      body,
      status: 0,
    };
    requests.push(record);
    let status: number;
    let json: unknown;
    let headers: Record<string, string> = {};
    try {
      if (!/^Bearer \S+/.test(record.authorization ?? ''))
        throw new ArmError(401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing.');
      if (faults.throttle && faults.throttle.count > 0) {
        faults.throttle.count--;
        const h: Record<string, string> =
          faults.throttle.retryAfterMs === undefined
            ? { 'retry-after': faults.throttle.retryAfter ?? '1' }
            : { 'retry-after-ms': String(faults.throttle.retryAfterMs) };
        throw new ArmError(429, 'TooManyRequests', 'The request is being throttled.', h);
      }
      if (faults.fail && faults.fail.method === method && faults.fail.count > 0) {
        faults.fail.count--;
        throw new ArmError(faults.fail.status, faults.fail.code, faults.fail.message);
      }
      if (method === 'PUT' && faults.conflict && faults.conflict.count > 0) {
        faults.conflict.count--;
        throw new ArmError(409, 'Conflict', 'Another operation on this data connector is in progress. Please retry later.');
      }
      if (faults.forbidden?.has(method)) {
        const verb = method === 'GET' ? 'read' : method === 'PUT' ? 'write' : 'delete';
        throw new ArmError(
          403,
          'AuthorizationFailed',
          `The client 'chatops-bot' with object id '5b0c3f4e-0000-4000-8000-000000000001' does not have authorization to perform action ` +
            `'Microsoft.SecurityInsights/dataConnectors/${verb}' over scope '${url.pathname}' or the scope is invalid. ` +
            'If access was recently granted, please refresh your credentials.',
        );
      }
      ({ status, json } = handle(method, url.pathname, record.apiVersion, body));
    } catch (err) {
      if (!(err instanceof ArmError)) throw err;
      status = err.status;
      json = { error: { code: err.code, message: err.message } };
      headers = err.headers;
    }
    record.status = status;
    const payload = json === undefined ? '' : JSON.stringify(json);
    res.writeHead(status, {
      ...headers,
      'x-ms-request-id': crypto.randomUUID(),
      ...(json === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    });
    res.end(payload);
  }

  const server: Server = createServer({ cert: readFileSync(TEST_CA_FILE), key: readFileSync(TEST_KEY_FILE) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        onRequest(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function badVersion(v: string | null): ArmError {
    badApiVersions.push(requests[requests.length - 1]);
    return new ArmError(400, 'InvalidApiVersionParameter', `The api-version '${v}' is invalid for this stub.`);
  }

  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    connectors,
    workspaces,
    faults,
    badApiVersions,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A TokenCredential that always answers the same token (the stub checks only that one is sent). */
export const staticTokenCredential = {
  getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};
