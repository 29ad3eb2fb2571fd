/**
 * A loopback stand-in for AWS IAM and STS that speaks their Query APIs: form-encoded POST bodies
 * (`Action=CreateRole&Version=2010-05-08&...`), XML answers in the services' namespaces, and XML
 * error bodies (`<ErrorResponse><Error><Type>Sender</Type><Code>…</Code>…`) with IAM's HTTP status
 * codes. Point the real SDK clients at `url` (their `endpoint` option or AWS_ENDPOINT_URL_IAM/STS).
 *
 * The stub keeps roles per AWS account. The account of a call is the caller's: requests signed with
 * the base access key act in `baseAccount`; requests signed with keys from `AssumeRole` act in the
 * account of the assumed role (so a test sees which account's credentials a gateway used).
 *
 * Faults are set on `faults` and may be changed between calls:
 * - `throttle`: the next N matching calls answer `Throttling` (HTTP 400, as IAM does);
 * - `deny`: calls whose IAM/STS action (`iam:CreateRole`, `sts:AssumeRole`) is listed answer
 *   `AccessDenied` (HTTP 403) with IAM's wording, naming the caller;
 * - `lag`: after CreateRole, the next N calls that address that role answer `NoSuchEntity`
 *   (IAM's eventual consistency).
 * Seed existing roles with `putRole` (an EntityAlreadyExists test with the same or another trust policy).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** AWS managed policies the stub knows (AttachRolePolicy of another `arn:aws:iam::aws:policy/...` is NoSuchEntity). */
export const STUB_MANAGED_POLICIES: readonly string[] = [
  'arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess',
  'arn:aws:iam::aws:policy/ReadOnlyAccess',
  'arn:aws:iam::aws:policy/AdministratorAccess',
];

export interface StubRole {
  account: string;
  name: string;
  path: string;
  roleId: string;
  /** The trust policy exactly as it was sent (IAM answers it URL-encoded). */
  trustPolicy: string;
  description?: string;
  tags: Map<string, string>;
  attached: string[];
  inline: string[];
  createDate: Date;
}

export interface StubCall {
  /** `iam` or `sts` (from the signature's credential scope). */
  service: string;
  action: string;
  params: Record<string, string>;
  accessKeyId: string | undefined;
  sessionToken: string | undefined;
  /** The account the call acted in (the caller's). */
  account: string;
  /** HTTP status answered. */
  status: number;
  /** The error code answered, if any. */
  errorCode?: string;
}

export interface StubFaults {
  throttle?: { count: number; action?: string };
  deny?: Set<string>;
  lag?: number;
  /** Answers this error to the next `count` calls of `action` (default 1), with the HTTP status IAM uses for it. */
  fail?: { action: string; code: string; message: string; status: number; count?: number };
}

export interface IamStubOptions {
  /** Account of the base credentials (default 111111111111). */
  baseAccount?: string;
  /** Identity ARN of the base credentials (default `arn:aws:iam::<baseAccount>:user/chatops-operator`). */
  baseIdentity?: string;
  /** Page size of List* answers (default 100; smaller values exercise the SDK's pagination). */
  pageSize?: number;
}

export interface IamStub {
  url: string;
  calls: StubCall[];
  faults: StubFaults;
  /** Roles by `account/lower-case name`. */
  roles: Map<string, StubRole>;
  putRole(role: Partial<StubRole> & { account: string; name: string; trustPolicy: string }): StubRole;
  getRole(account: string, name: string): StubRole | undefined;
  /** Calls of one action (`CreateRole`), in order. */
  callsOf(action: string): StubCall[];
  close(): Promise<void>;
}

interface Session {
  account: string;
  identity: string;
}

class StubError extends Error {
  readonly status: number;
  readonly code: string;
  readonly type: 'Sender' | 'Receiver';
  constructor(status: number, code: string, message: string, type: 'Sender' | 'Receiver' = 'Sender') {
    super(message);
    this.status = status;
    this.code = code;
    this.type = type;
  }
}

const noSuchRole = (name: string) => new StubError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);

export async function startIamStub(options: IamStubOptions = {}): Promise<IamStub> {
  const baseAccount = options.baseAccount ?? '111111111111';
  const baseIdentity = options.baseIdentity ?? `arn:aws:iam::${baseAccount}:user/chatops-operator`;
  const pageSize = options.pageSize ?? 100;
  const calls: StubCall[] = [];
  const faults: StubFaults = {};
  const roles = new Map<string, StubRole>();
  const sessions = new Map<string, Session>();
  /** Role keys that are not yet visible, with how many more calls they stay hidden. */
  const hidden = new Map<string, number>();

  const key = (account: string, name: string) => `${account}/${name.toLowerCase()}`;
  const arnOf = (r: StubRole) => `arn:aws:iam::${r.account}:role${r.path}${r.name}`;

  function putRole(role: Partial<StubRole> & { account: string; name: string; trustPolicy: string }): StubRole {
    const full: StubRole = {
      path: '/',
      roleId: `AROA${randomBytes(8).toString('hex').toUpperCase()}`,
      tags: new Map(),
      attached: [],
      inline: [],
      createDate: new Date(),
      ...role,
    };
    roles.set(key(full.account, full.name), full);
    hidden.delete(key(full.account, full.name));
    return full;
  }

  function visibleRole(account: string, name: string): StubRole {
    const k = key(account, name);
    const role = roles.get(k);
    if (role === undefined) throw noSuchRole(name);
    const left = hidden.get(k);
    if (left !== undefined) {
      if (left <= 1) hidden.delete(k);
      else hidden.set(k, left - 1);
      throw noSuchRole(name);
    }
    return role;
  }

  function list<T>(items: T[], params: Record<string, string>): { page: T[]; marker: string | undefined } {
    const start = params.Marker === undefined ? 0 : Number(params.Marker);
    const max = Math.min(pageSize, params.MaxItems === undefined ? pageSize : Number(params.MaxItems));
    const page = items.slice(start, start + max);
    return { page, marker: start + max < items.length ? String(start + max) : undefined };
  }

  function members(params: Record<string, string>, prefix: string, fields: string[]): Record<string, string>[] {
    const out: Record<string, string>[] = [];
    for (let i = 1; ; i++) {
      const entry: Record<string, string> = {};
      let any = false;
      for (const f of fields) {
        const v = params[`${prefix}.member.${i}.${f}`];
        if (v !== undefined) {
          entry[f] = v;
          any = true;
        }
      }
      if (!any) return out;
      out.push(entry);
    }
  }

  const roleXml = (r: StubRole) =>
    `<Role><Path>${esc(r.path)}</Path><RoleName>${esc(r.name)}</RoleName><RoleId>${r.roleId}</RoleId><Arn>${esc(arnOf(r))}</Arn>` +
    `<CreateDate>${r.createDate.toISOString()}</CreateDate>` +
    `<AssumeRolePolicyDocument>${esc(encodeURIComponent(r.trustPolicy))}</AssumeRolePolicyDocument>` +
    (r.description === undefined ? '' : `<Description>${esc(r.description)}</Description>`) +
    `<MaxSessionDuration>3600</MaxSessionDuration>` +
    (r.tags.size === 0 ? '' : `<Tags>${tagsXml(r.tags)}</Tags>`) +
    `</Role>`;

  const tagsXml = (tags: Map<string, string>) =>
    [...tags].map(([k, v]) => `<member><Key>${esc(k)}</Key><Value>${esc(v)}</Value></member>`).join('');

  function iam(action: string, p: Record<string, string>, s: Session): string {
    switch (action) {
      case 'CreateRole': {
        const name = p.RoleName ?? '';
        if (!/^[\w+=,.@-]{1,64}$/.test(name))
          throw new StubError(
            400,
            'ValidationError',
            `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint`,
          );
        if (roles.has(key(s.account, name))) throw new StubError(409, 'EntityAlreadyExists', `Role with name ${name} already exists.`);
        const doc = p.AssumeRolePolicyDocument ?? '';
        try {
          const parsed = JSON.parse(doc);
          if (typeof parsed !== 'object' || parsed === null || !('Statement' in parsed)) throw new Error('no Statement');
        } catch {
          throw new StubError(400, 'MalformedPolicyDocument', 'This policy contains invalid Json');
        }
        const tags = new Map(members(p, 'Tags', ['Key', 'Value']).map((t) => [t.Key, t.Value ?? '']));
        const role = putRole({ account: s.account, name, path: p.Path ?? '/', trustPolicy: doc, description: p.Description, tags });
        if (faults.lag) hidden.set(key(s.account, name), faults.lag);
        else hidden.delete(key(s.account, name));
        return `<CreateRoleResult>${roleXml(role)}</CreateRoleResult>`;
      }
      case 'GetRole':
        return `<GetRoleResult>${roleXml(visibleRole(s.account, p.RoleName ?? ''))}</GetRoleResult>`;
      case 'AttachRolePolicy': {
        const role = visibleRole(s.account, p.RoleName ?? '');
        const arn = p.PolicyArn ?? '';
        if (arn.startsWith('arn:aws:iam::aws:policy/') && !STUB_MANAGED_POLICIES.includes(arn))
          throw new StubError(404, 'NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
        if (!role.attached.includes(arn)) role.attached.push(arn);
        return '';
      }
      case 'DetachRolePolicy': {
        const role = visibleRole(s.account, p.RoleName ?? '');
        const arn = p.PolicyArn ?? '';
        if (!role.attached.includes(arn)) throw new StubError(404, 'NoSuchEntity', `Policy ${arn} was not found.`);
        role.attached = role.attached.filter((a) => a !== arn);
        return '';
      }
      case 'TagRole': {
        const role = visibleRole(s.account, p.RoleName ?? '');
        for (const t of members(p, 'Tags', ['Key', 'Value'])) role.tags.set(t.Key, t.Value ?? '');
        return '';
      }
      case 'ListAttachedRolePolicies': {
        const role = visibleRole(s.account, p.RoleName ?? '');
        const { page, marker } = list(role.attached, p);
        const items = page
          .map((a) => `<member><PolicyName>${esc(a.slice(a.lastIndexOf('/') + 1))}</PolicyName><PolicyArn>${esc(a)}</PolicyArn></member>`)
          .join('');
        return `<ListAttachedRolePoliciesResult><AttachedPolicies>${items}</AttachedPolicies>${truncation(marker)}</ListAttachedRolePoliciesResult>`;
      }
      case 'ListRolePolicies': {
        const role = visibleRole(s.account, p.RoleName ?? '');
        const { page, marker } = list(role.inline, p);
        return `<ListRolePoliciesResult><PolicyNames>${page.map((n) => `<member>${esc(n)}</member>`).join('')}</PolicyNames>${truncation(marker)}</ListRolePoliciesResult>`;
      }
      case 'ListRoleTags': {
        const role = visibleRole(s.account, p.RoleName ?? '');
        const { page, marker } = list([...role.tags], p);
        return `<ListRoleTagsResult><Tags>${tagsXml(new Map(page))}</Tags>${truncation(marker)}</ListRoleTagsResult>`;
      }
      case 'DeleteRole': {
        const role = visibleRole(s.account, p.RoleName ?? '');
        if (role.attached.length > 0 || role.inline.length > 0)
          throw new StubError(409, 'DeleteConflict', 'Cannot delete entity, must detach all policies first.');
        roles.delete(key(s.account, role.name));
        return '';
      }
      default:
        throw new StubError(400, 'InvalidAction', `Could not find operation ${action} for version 2010-05-08`);
    }
  }

  function sts(action: string, p: Record<string, string>, s: Session): string {
    switch (action) {
      case 'AssumeRole': {
        const arn = p.RoleArn ?? '';
        const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
        if (m === null) throw new StubError(400, 'ValidationError', `${arn} is invalid`);
        const sessionName = p.RoleSessionName ?? 'session';
        const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
        const assumed = `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${sessionName}`;
        sessions.set(accessKeyId, { account: m[1], identity: assumed });
        const expiration = new Date(Date.now() + Number(p.DurationSeconds ?? 3600) * 1000).toISOString();
        return (
          `<AssumeRoleResult><Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${randomBytes(20).toString('hex')}</SecretAccessKey>` +
          `<SessionToken>token-${accessKeyId}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
          `<AssumedRoleUser><AssumedRoleId>AROA0000:${esc(sessionName)}</AssumedRoleId><Arn>${esc(assumed)}</Arn></AssumedRoleUser></AssumeRoleResult>`
        );
      }
      case 'GetCallerIdentity':
        return `<GetCallerIdentityResult><Arn>${esc(s.identity)}</Arn><UserId>AIDA0000</UserId><Account>${s.account}</Account></GetCallerIdentityResult>`;
      default:
        throw new StubError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    }
  }

  function resourceOf(service: string, action: string, p: Record<string, string>, s: Session): string {
    if (service === 'sts') return p.RoleArn ?? '*';
    if (p.RoleName !== undefined) return `arn:aws:iam::${s.account}:role${p.Path ?? '/'}${p.RoleName}`;
    return `arn:aws:iam::${s.account}:${action}`;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const params = Object.fromEntries(new URLSearchParams(body));
    const auth = String(req.headers.authorization ?? '');
    const cred = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth);
    const accessKeyId = cred?.[1];
    const service = cred?.[2] ?? (params.Version === '2011-06-15' ? 'sts' : 'iam');
    const sessionToken = req.headers['x-amz-security-token'] as string | undefined;
    const session = (accessKeyId && sessions.get(accessKeyId)) || { account: baseAccount, identity: baseIdentity };
    const action = params.Action ?? '';
    const call: StubCall = { service, action, params, accessKeyId, sessionToken, account: session.account, status: 200 };
    calls.push(call);
    const ns = service === 'sts' ? STS_NS : IAM_NS;
    try {
      if (faults.throttle && faults.throttle.count > 0 && (faults.throttle.action === undefined || faults.throttle.action === action)) {
        faults.throttle.count--;
        throw new StubError(400, 'Throttling', 'Rate exceeded');
      }
      if (faults.fail && faults.fail.action === action && (faults.fail.count ?? 1) > 0) {
        const f = faults.fail;
        f.count = (f.count ?? 1) - 1;
        throw new StubError(f.status, f.code, f.message);
      }
      const iamAction = `${service}:${action}`;
      if (faults.deny?.has(iamAction)) {
        const resource = resourceOf(service, action, params, session);
        throw new StubError(
          403,
          'AccessDenied',
          `User: ${session.identity} is not authorized to perform: ${iamAction} on resource: ${resource} because no identity-based policy allows the ${iamAction} action`,
        );
      }
      const result = service === 'sts' ? sts(action, params, session) : iam(action, params, session);
      send(res, 200, `<${action}Response xmlns="${ns}">${result}${metadata()}</${action}Response>`);
    } catch (err) {
      if (!(err instanceof StubError)) throw err;
      call.status = err.status;
      call.errorCode = err.code;
      send(
        res,
        err.status,
        `<ErrorResponse xmlns="${ns}"><Error><Type>${err.type}</Type><Code>${err.code}</Code><Message>${esc(err.message)}</Message></Error><RequestId>${requestId()}</RequestId></ErrorResponse>`,
      );
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    faults,
    roles,
    putRole,
    getRole: (account, name) => roles.get(key(account, name)),
    callsOf: (action) => calls.filter((c) => c.action === action),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function send(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId() });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
}

const truncation = (marker: string | undefined) =>
  marker === undefined ? '<IsTruncated>false</IsTruncated>' : `<IsTruncated>true</IsTruncated><Marker>${marker}</Marker>`;

const metadata = () => `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata>`;

function requestId(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
