/**
 * A small authenticated GET against Azure Resource Manager for reads that no installed SDK covers
 * (the Log Analytics workspace: `@azure/arm-operationalinsights` is not a dependency). It uses the
 * same TokenCredential and TLS settings as the SDK clients, retries 429/503 after Retry-After and
 * other 5xx with a doubling delay (at most `maxRetries` times), and fails with an error shaped like
 * the SDK's RestError so that one mapping (arm-errors.ts) serves both.
 */
import { request } from 'node:https';
import type { TokenCredential } from '@azure/identity';

export interface ArmGetOptions {
  readonly credential: TokenCredential;
  /** `https://management.azure.com` (no trailing slash needed). */
  readonly endpoint: string;
  /** Token scope (default `<endpoint>/.default`). */
  readonly scope?: string;
  /** Extra trusted CA certificates (tests); otherwise Node's store, which includes NODE_EXTRA_CA_CERTS. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Mirrors the fields of @azure/core-rest-pipeline's RestError that callers read. */
export class ArmRestError extends Error {
  readonly statusCode: number | undefined;
  readonly code: string | undefined;
  constructor(message: string, statusCode: number | undefined, code: string | undefined, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RestError';
    this.statusCode = statusCode;
    this.code = code;
  }
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** GETs `path` (starting with `/subscriptions/…`) with `api-version`; resolves the parsed JSON body of a 2xx answer. */
export async function armGetJson(path: string, apiVersion: string, options: ArmGetOptions): Promise<unknown> {
  const base = options.endpoint.replace(/\/+$/, '');
  const url = new URL(`${base}${path}`);
  url.searchParams.set('api-version', apiVersion);
  const scope = options.scope ?? `${base}/.default`;
  const maxRetries = options.maxRetries ?? 3;
  const sleep = options.sleep ?? defaultSleep;
  for (let retry = 0; ; retry++) {
    const token = await options.credential.getToken(scope);
    if (token === null) throw new ArmRestError(`no Azure token for ${scope}`, 401, 'NoToken');
    let res: RawResponse;
    try {
      res = await send(url, token.token, options);
    } catch (err) {
      if (retry < maxRetries) {
        await sleep(1000 * 2 ** retry);
        continue;
      }
      throw new ArmRestError(err instanceof Error ? err.message : String(err), undefined, 'REQUEST_SEND_ERROR', { cause: err });
    }
    if (res.status >= 200 && res.status < 300) {
      try {
        return res.text === '' ? undefined : JSON.parse(res.text);
      } catch (err) {
        throw new ArmRestError(`Azure Resource Manager answered ${url.pathname} with text that is not JSON`, res.status, 'PARSE_ERROR', {
          cause: err,
        });
      }
    }
    const wait = retryDelay(res, retry);
    if (wait !== undefined && retry < maxRetries) {
      await sleep(wait);
      continue;
    }
    const { code, message } = errorBody(res);
    throw new ArmRestError(message, res.status, code);
  }
}

function retryDelay(res: RawResponse, retry: number): number | undefined {
  if (res.status === 429 || res.status === 503) {
    const ms = header(res, 'retry-after-ms') ?? header(res, 'x-ms-retry-after-ms');
    if (ms !== undefined && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
    const after = header(res, 'retry-after');
    if (after !== undefined) {
      const s = Number(after);
      if (Number.isFinite(s)) return s * 1000;
      const at = Date.parse(after);
      if (Number.isFinite(at)) return Math.max(0, at - Date.now());
    }
  }
  if (res.status === 408 || (res.status >= 500 && res.status !== 501 && res.status !== 505)) return 1000 * 2 ** retry;
  return undefined;
}

function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function errorBody(res: RawResponse): { code: string | undefined; message: string } {
  try {
    const body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === 'string' ? body.error.code : undefined;
    const message = typeof body.error?.message === 'string' ? body.error.message : `HTTP ${res.status}`;
    return { code, message };
  } catch {
    return { code: undefined, message: res.text.trim() || `HTTP ${res.status}` };
  }
}

function send(url: URL, token: string, options: ArmGetOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        timeout: options.timeoutMs ?? 30_000,
        ...(options.ca === undefined ? {} : { ca: options.ca as string | Buffer | Array<string | Buffer> }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error(`timed out after ${options.timeoutMs ?? 30_000} ms`), { code: 'ETIMEDOUT' })),
    );
    req.on('error', reject);
    req.end();
  });
}
