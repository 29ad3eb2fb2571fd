/**
 * The one place that reads configuration. Everything comes from environment variables (and an
 * optional `.env` file beneath them), is validated at start with one line per bad value, and is
 * frozen. Nothing else in the code base reads `process.env`; code that needs a setting gets the
 * `Config` (or the part of it it needs) passed in.
 *
 * Every variable is listed in `ENV_VARS` (and in README's configuration table).
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ChatopsError } from '../core/errors.ts';
import { parseIsoDuration } from '../core/iso-duration.ts';
import { ANYONE } from '../core/onboarding/approval-policy.ts';
import { redactObject } from './redact.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const CLOUD_MODES = ['sandbox', 'real'] as const;
/** `sandbox`: in-process AWS/Sentinel gateways and the local workspace; `real`: Azure and AWS. */
export type CloudMode = (typeof CLOUD_MODES)[number];

export const AZURE_CLOUDS = ['public', 'usgov'] as const;
export type AzureCloud = (typeof AZURE_CLOUDS)[number];

/** Endpoint defaults per Azure cloud. Azure operated by 21Vianet (China) is out of scope for now (README). */
export const AZURE_CLOUD_ENDPOINTS: Readonly<
  Record<AzureCloud, { logsEndpoint: string; resourceManagerEndpoint: string; authorityHost: string }>
> = Object.freeze({
  public: Object.freeze({
    logsEndpoint: 'https://api.loganalytics.io/v1',
    resourceManagerEndpoint: 'https://management.azure.com',
    authorityHost: 'https://login.microsoftonline.com',
  }),
  usgov: Object.freeze({
    logsEndpoint: 'https://api.loganalytics.us/v1',
    resourceManagerEndpoint: 'https://management.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us',
  }),
});

export const DEFAULT_DATA_DIR = './.data';
export const DEFAULT_PORT = 3978;
export const DEFAULT_HOST = '127.0.0.1';
/** The local workspace's ID: the `TenantId` of its rows and the sandbox workspace's workspace ID. */
export const DEFAULT_LOCAL_WORKSPACE_ID = 'a5e7c1a0-7e57-4c1d-8a7b-5a9db0c0ffee';
/** The channel entry that means "every channel". */
export const ALL_CHANNELS = '*';
/** The entry of `requesters`/`approvers` that means "anyone" (defined by the approval policy). */
export { ANYONE } from '../core/onboarding/approval-policy.ts';

export const DEFAULT_APPROVAL_EXPIRY = 'PT24H';
export const DEFAULT_FIRST_EVENTS_TIMEOUT = 'PT1H';
/** The sandbox's generated audit key, when AUDIT_HMAC_KEY is not set (mode 0600). */
export const AUDIT_KEY_FILE_NAME = 'audit.key';

/** Every environment variable this module reads. */
export const ENV_VARS = [
  'DATA_DIR',
  'HOST',
  'PORT',
  'LOG_LEVEL',
  'CLOUD_MODE',
  'SENTINEL_WORKSPACES',
  'LOCAL_WORKSPACE_ID',
  'AZURE_CLOUD',
  'AZURE_LOGS_ENDPOINT',
  'AZURE_RESOURCE_MANAGER_ENDPOINT',
  'AZURE_AUTHORITY_HOST',
  'AWS_PROVISIONING_ROLE_NAME',
  'AUDIT_HMAC_KEY',
  'FIRST_EVENTS_TIMEOUT',
] as const;
export type EnvVar = (typeof ENV_VARS)[number];
/** Variables whose values are never echoed, even in an error. */
const SECRET_VARS: ReadonlySet<string> = new Set<EnvVar>(['AUDIT_HMAC_KEY']);

export interface WorkspaceConfig {
  /** Short name used in chat and on the CLI (`sandbox`, `prod-sec`). */
  readonly name: string;
  /** The Log Analytics workspace ID (a GUID; also the external ID of the AWS role's trust policy). */
  readonly workspaceId: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly workspaceName: string;
  /** Chat channel IDs this workspace serves; `*` serves every channel. */
  readonly channels: readonly string[];
  /** True for the built-in sandbox workspace (backed by the local workspace). */
  readonly builtIn: boolean;
  /** Who may request and approve onboardings of AWS accounts into this workspace. */
  readonly approval: WorkspaceApproval;
}

/** Chat user IDs and group IDs (Slack user groups, Teams/Entra groups); `*` in `users` means anyone. */
export interface PrincipalList {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

/** A workspace's approval settings (the `requesters`, `approvers`, `twoPersonRule`, `approvalExpiry` fields of its entry). */
export interface WorkspaceApproval {
  /** Undefined: anyone in a channel the workspace serves may request. */
  readonly requesters: PrincipalList | undefined;
  /** Who may approve or reject; `users: ['*']` is anyone (the sandbox default). */
  readonly approvers: PrincipalList;
  /** The requester cannot approve their own request (default true). */
  readonly twoPersonRule: boolean;
  /** How long a request waits for a decision, in ms (`approvalExpiry`, default PT24H). */
  readonly approvalExpiryMs: number;
}

/** Anyone may request, anyone but the requester may approve, 24 h to decide: sandbox mode's default. */
export const SANDBOX_APPROVAL: WorkspaceApproval = Object.freeze({
  requesters: undefined,
  approvers: Object.freeze({ users: Object.freeze([ANYONE]), groups: Object.freeze([]) }),
  twoPersonRule: true,
  approvalExpiryMs: 24 * 3600_000,
});

export interface Config {
  /** Absolute path of the data directory (local workspace files, SQLite database, lock). */
  readonly dataDir: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly cloudMode: CloudMode;
  /** Absolute path of the SENTINEL_WORKSPACES file, if one was given. */
  readonly workspacesFile: string | undefined;
  /** Never empty: in sandbox mode without a file, the built-in sandbox workspace. */
  readonly workspaces: readonly WorkspaceConfig[];
  readonly localWorkspaceId: string;
  readonly azure: {
    readonly cloud: AzureCloud;
    readonly logsEndpoint: string;
    readonly resourceManagerEndpoint: string;
    readonly authorityHost: string;
  };
  readonly aws: {
    /**
     * AWS_PROVISIONING_ROLE_NAME: the IAM role the bot assumes (STS AssumeRole) in each onboarded
     * account to create the Sentinel role there. Undefined: the default credential chain's own
     * account and permissions are used.
     */
    readonly provisioningRoleName: string | undefined;
  };
  readonly onboarding: {
    /**
     * AUDIT_HMAC_KEY: the key of the audit chain's anchor (a secret, never printed). Undefined in
     * sandbox mode when unset: the app then keeps a generated one in `<dataDir>/audit.key`.
     */
    readonly auditHmacSecret: string | undefined;
    /** FIRST_EVENTS_TIMEOUT: how long verification waits for the account's first events (default PT1H). */
    readonly firstEventsTimeoutMs: number;
  };
  /** Absolute path of the `.env` file that was read, if any. */
  readonly envFile: string | undefined;
}

export interface ConfigOverrides {
  /** `--data-dir`: wins over DATA_DIR. */
  dataDir?: string;
  /** Path of a `.env` file (must exist); `false` reads none; default: `.env` in `cwd` when present. */
  envFile?: string | false;
  /** Directory that relative paths are resolved against (default: `process.cwd()`). */
  cwd?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_EXPECTED = 'expected a GUID such as 01234567-89ab-cdef-0123-456789abcdef';
const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const ROLE_NAME_EXPECTED = 'expected an IAM role name: 1-64 characters of A-Z a-z 0-9 + = , . @ _ -';
const DURATION_EXPECTED = 'expected an ISO 8601 duration such as PT30M, PT1H or P1D';
const HMAC_KEY_EXPECTED =
  'expected a random key of at least 32 hex characters or 16 bytes in base64 (e.g. the output of `openssl rand -hex 32`)';
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToUndefined, schema.optional());
}

function httpsUrl(what: string) {
  return z.string().refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' && u.search === '' && u.hash === '';
    } catch {
      return false;
    }
  }, `expected an https:// URL of ${what}`);
}

const envSchema = z.object({
  DATA_DIR: optional(z.string()),
  HOST: optional(z.string().regex(/^[A-Za-z0-9.:_-]+$/, 'expected a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0')),
  PORT: optional(
    z
      .string()
      .regex(/^\d{1,5}$/, 'expected a TCP port number from 0 to 65535 (0 picks a free port)')
      .transform(Number)
      .refine((n) => n <= 65535, 'expected a TCP port number from 0 to 65535 (0 picks a free port)'),
  ),
  LOG_LEVEL: optional(
    z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })),
  ),
  CLOUD_MODE: optional(z.enum(CLOUD_MODES, { error: 'expected sandbox or real' })),
  SENTINEL_WORKSPACES: optional(z.string()),
  LOCAL_WORKSPACE_ID: optional(z.string().regex(GUID, GUID_EXPECTED)),
  AZURE_CLOUD: optional(
    z
      .string()
      .refine(
        (s) => !/^(china|azurechina|21vianet)/i.test(s),
        'Azure operated by 21Vianet (China) is not supported yet (see README); expected public or usgov',
      )
      .pipe(z.enum(AZURE_CLOUDS, { error: 'expected public or usgov' })),
  ),
  AZURE_LOGS_ENDPOINT: optional(httpsUrl('the Log Analytics query API, such as https://api.loganalytics.io/v1')),
  AZURE_RESOURCE_MANAGER_ENDPOINT: optional(httpsUrl('Azure Resource Manager, such as https://management.azure.com')),
  AZURE_AUTHORITY_HOST: optional(httpsUrl('the Microsoft Entra authority, such as https://login.microsoftonline.com')),
  AWS_PROVISIONING_ROLE_NAME: optional(z.string().regex(ROLE_NAME, ROLE_NAME_EXPECTED)),
  AUDIT_HMAC_KEY: optional(z.string().refine((s) => auditKeyBytes(s) !== undefined, HMAC_KEY_EXPECTED)),
  FIRST_EVENTS_TIMEOUT: optional(positiveDuration()),
});

/** An ISO 8601 duration (`PT1H`, `P1DT12H`, `PT90S`) in ms, more than zero. */
function positiveDuration() {
  return z.string({ error: DURATION_EXPECTED }).transform((s, ctx) => {
    const ms = parseDurationMs(s);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: DURATION_EXPECTED });
      return z.NEVER;
    }
    return ms;
  });
}

/** ISO 8601 duration (weeks, days, hours, minutes, seconds) in ms; undefined when malformed. */
export function parseDurationMs(text: string): number | undefined {
  // Settings take whole weeks, days, hours and minutes; only seconds may have a fraction.
  if (/\.\d*[WDHM]/i.test(text)) return undefined;
  const ms = parseIsoDuration(text);
  return ms === undefined ? undefined : Math.round(ms);
}

/**
 * The bytes of an audit HMAC key: 32 or more hex characters, or base64 of 16 or more bytes.
 * Undefined when it is neither (or too short).
 */
export function auditKeyBytes(text: string): Uint8Array | undefined {
  const t = text.trim();
  if (/^[0-9a-f]+$/i.test(t) && t.length % 2 === 0) return t.length >= 32 ? Buffer.from(t, 'hex') : undefined;
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    const bytes = Buffer.from(t, 'base64');
    return bytes.length >= 16 ? bytes : undefined;
  }
  return undefined;
}

const PRINCIPAL_EXPECTED = 'expected a list of chat user IDs, or an object {users: [...], groups: [...]}';
const principalId = z.string({ error: 'expected a chat user or group ID' }).trim().min(1, 'expected a chat user or group ID');
const principalsSchema = z.union(
  [
    z.array(principalId, { error: PRINCIPAL_EXPECTED }).transform((users) => ({ users, groups: [] as string[] })),
    z.strictObject(
      {
        users: z.array(principalId, { error: 'expected a list of chat user IDs' }).default([]),
        groups: z.array(principalId, { error: 'expected a list of chat group IDs' }).default([]),
      },
      { error: PRINCIPAL_EXPECTED },
    ),
  ],
  { error: PRINCIPAL_EXPECTED },
);

const workspaceSchema = z.strictObject({
  name: z
    .string({ error: 'expected a short name' })
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i, 'expected a short name: letters, digits, - and _, at most 63 characters'),
  workspaceId: z.string({ error: GUID_EXPECTED }).regex(GUID, GUID_EXPECTED),
  subscriptionId: z.string({ error: GUID_EXPECTED }).regex(GUID, GUID_EXPECTED),
  resourceGroup: z
    .string({ error: 'expected a resource group name' })
    .regex(/^[-\w.()]{0,89}[-\w()]$/, 'expected a resource group name: 1-90 letters, digits, - _ . ( ), not ending in .'),
  workspaceName: z
    .string({ error: 'expected a Log Analytics workspace name' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/, 'expected a Log Analytics workspace name: 4-63 letters, digits and -'),
  channels: z
    .array(z.string().trim().min(1, 'expected a channel ID'), { error: 'expected a list of channel IDs (or "*")' })
    .min(1, 'expected at least one channel ID (or "*" for every channel)'),
  requesters: principalsSchema.optional(),
  approvers: principalsSchema.optional(),
  twoPersonRule: z.boolean({ error: 'expected true or false' }).optional(),
  approvalExpiry: positiveDuration().optional(),
});

const LIST_EXPECTED = 'expected a list of workspaces, or an object with a "workspaces" list';
const workspacesFileSchema = z.union([
  z.array(workspaceSchema, { error: LIST_EXPECTED }),
  z
    .strictObject({ workspaces: z.array(workspaceSchema, { error: LIST_EXPECTED }) }, { error: LIST_EXPECTED })
    .transform((o) => o.workspaces),
]);

/**
 * Reads and validates the configuration. Throws a ChatopsError('config') whose detail lines name
 * every bad variable and what is expected; returns a deeply frozen Config.
 */
export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Config {
  const cwd = overrides.cwd ?? process.cwd();
  const problems: string[] = [];

  const dotEnv = readDotEnv(cwd, overrides.envFile, problems);
  const merged: Env = { ...dotEnv.values, ...env };
  const origin = (name: string) => (env[name] === undefined && dotEnv.values[name] !== undefined ? ` (set in ${dotEnv.path})` : '');
  const show = (name: string) => `${name}${origin(name)}`;

  const raw: Record<string, string | undefined> = {};
  for (const name of ENV_VARS) raw[name] = merged[name];
  // Each variable on its own, so that one bad value does not hide the checks that depend on the others.
  const v: Partial<z.infer<typeof envSchema>> = {};
  for (const name of ENV_VARS) {
    const parsed = envSchema.shape[name].safeParse(raw[name]);
    if (parsed.success) (v as Record<string, unknown>)[name] = parsed.data;
    else
      for (const issue of parsed.error.issues)
        problems.push(
          `${show(name)}: ${issue.message} (got ${SECRET_VARS.has(name) ? `${raw[name]?.length ?? 0} characters` : JSON.stringify(raw[name])})`,
        );
  }

  if (overrides.dataDir !== undefined && overrides.dataDir.trim() === '') problems.push('--data-dir: expected a directory path');
  const dataDir = resolve(cwd, overrides.dataDir || v.DATA_DIR || DEFAULT_DATA_DIR);

  // Real mode: Sentinel workspaces are configured. AWS_PROVISIONING_ROLE_NAME is optional (without
  // it the default credential chain's account is used).
  const cloudMode: CloudMode = v.CLOUD_MODE ?? (v.SENTINEL_WORKSPACES ? 'real' : 'sandbox');
  if (cloudMode === 'real') {
    if (isUnset(raw.SENTINEL_WORKSPACES))
      problems.push(
        'SENTINEL_WORKSPACES: required when CLOUD_MODE=real; expected the path of a JSON or YAML file listing the Sentinel workspaces',
      );
    if (isUnset(raw.AUDIT_HMAC_KEY)) problems.push(`AUDIT_HMAC_KEY: required when CLOUD_MODE=real; ${HMAC_KEY_EXPECTED}`);
  }

  const localWorkspaceId = (v.LOCAL_WORKSPACE_ID ?? DEFAULT_LOCAL_WORKSPACE_ID).toLowerCase();
  const workspacesFile = v.SENTINEL_WORKSPACES ? resolve(cwd, v.SENTINEL_WORKSPACES) : undefined;
  const workspaces = workspacesFile
    ? readWorkspaces(workspacesFile, show('SENTINEL_WORKSPACES'), cloudMode, problems)
    : cloudMode === 'sandbox'
      ? [sandboxWorkspace(localWorkspaceId)]
      : [];

  if (problems.length === 1) throw new ChatopsError('config', `invalid configuration: ${problems[0]}`);
  if (problems.length > 1) throw new ChatopsError('config', `invalid configuration (${problems.length} problems):`, { details: problems });

  const cloud = v.AZURE_CLOUD ?? 'public';
  const defaults = AZURE_CLOUD_ENDPOINTS[cloud];
  const config: Config = {
    dataDir,
    host: v.HOST ?? DEFAULT_HOST,
    port: v.PORT ?? DEFAULT_PORT,
    logLevel: v.LOG_LEVEL ?? 'info',
    cloudMode,
    workspacesFile,
    workspaces,
    localWorkspaceId,
    azure: {
      cloud,
      logsEndpoint: trimSlash(v.AZURE_LOGS_ENDPOINT ?? defaults.logsEndpoint),
      resourceManagerEndpoint: trimSlash(v.AZURE_RESOURCE_MANAGER_ENDPOINT ?? defaults.resourceManagerEndpoint),
      authorityHost: trimSlash(v.AZURE_AUTHORITY_HOST ?? defaults.authorityHost),
    },
    aws: { provisioningRoleName: v.AWS_PROVISIONING_ROLE_NAME },
    onboarding: {
      auditHmacSecret: v.AUDIT_HMAC_KEY?.trim(),
      firstEventsTimeoutMs: v.FIRST_EVENTS_TIMEOUT ?? (parseDurationMs(DEFAULT_FIRST_EVENTS_TIMEOUT) as number),
    },
    envFile: dotEnv.path,
  };
  return deepFreeze(config);
}

/** The built-in workspace of sandbox mode: backed by the local workspace, serves every channel. */
export function sandboxWorkspace(localWorkspaceId: string = DEFAULT_LOCAL_WORKSPACE_ID): WorkspaceConfig {
  return {
    name: 'sandbox',
    workspaceId: localWorkspaceId,
    subscriptionId: '00000000-0000-0000-0000-000000000000',
    resourceGroup: 'sandbox',
    workspaceName: 'local-workspace',
    channels: [ALL_CHANNELS],
    builtIn: true,
    approval: SANDBOX_APPROVAL,
  };
}

/** The workspace that serves a chat channel: an exact channel match first, then a `*` workspace. */
export function workspaceForChannel(config: Pick<Config, 'workspaces'>, channelId: string): WorkspaceConfig | undefined {
  return config.workspaces.find((w) => w.channels.includes(channelId)) ?? config.workspaces.find((w) => w.channels.includes(ALL_CHANNELS));
}

/** A copy fit for printing and logging: secret-looking fields replaced by `[redacted]`. */
export function redactConfig(config: Config): Record<string, unknown> {
  return redactObject(JSON.parse(JSON.stringify(config)) as Record<string, unknown>);
}

/** A path as the user would type it: relative to `cwd` (with `./`) when inside it, else absolute. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? path : `./${rel}`;
}

function isUnset(value: string | undefined): boolean {
  return blankToUndefined(value) === undefined;
}

function readDotEnv(
  cwd: string,
  envFile: string | false | undefined,
  problems: string[],
): { path: string | undefined; values: Record<string, string> } {
  if (envFile === false) return { path: undefined, values: {} };
  const path = resolve(cwd, envFile ?? '.env');
  if (envFile === undefined && !existsSync(path)) return { path: undefined, values: {} };
  try {
    return { path, values: parseEnv(readFileSync(path, 'utf8')) as Record<string, string> };
  } catch (err) {
    problems.push(`.env file ${path}: cannot be read (${(err as Error).message}); fix or remove it`);
    return { path: undefined, values: {} };
  }
}

function readWorkspaces(path: string, variable: string, cloudMode: CloudMode, problems: string[]): WorkspaceConfig[] {
  const where = `${variable} (${path})`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problems.push(
      `${where}: ${code === 'ENOENT' ? 'file not found' : (err as Error).message}; expected a JSON or YAML file listing the workspaces`,
    );
    return [];
  }
  let content: unknown;
  try {
    content = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    problems.push(`${where}: not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${firstLine((err as Error).message)}`);
    return [];
  }
  const parsed = workspacesFileSchema.safeParse(content);
  if (!parsed.success) {
    for (const issue of leafIssues(parsed.error.issues)) {
      const at = formatPath(issue.path);
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; expected only ${Object.keys(workspaceSchema.shape).join(', ')}`
          : issue.message;
      problems.push(`${where}: ${at ? `${at}: ` : ''}${message}`);
    }
    return [];
  }
  const workspaces = parsed.data.map((w, i): WorkspaceConfig => {
    const { requesters, approvers, twoPersonRule, approvalExpiry, ...rest } = w;
    const hasApprovers = approvers !== undefined && approvers.users.length + approvers.groups.length > 0;
    if (!hasApprovers && cloudMode === 'real')
      problems.push(
        `${where}: workspaces[${i}].approvers: required in real mode (nothing could be approved without approvers); expected a list of chat user IDs, or {users: [...], groups: [...]}`,
      );
    return {
      ...rest,
      workspaceId: w.workspaceId.toLowerCase(),
      subscriptionId: w.subscriptionId.toLowerCase(),
      builtIn: false,
      approval: {
        requesters,
        // Sandbox mode without approvers: anyone but the requester (so the demo works).
        approvers: hasApprovers ? approvers : SANDBOX_APPROVAL.approvers,
        twoPersonRule: twoPersonRule ?? true,
        approvalExpiryMs: approvalExpiry ?? SANDBOX_APPROVAL.approvalExpiryMs,
      },
    };
  });
  if (workspaces.length === 0) problems.push(`${where}: lists no workspace; expected at least one`);
  const byName = new Map<string, number>();
  const byChannel = new Map<string, string>();
  workspaces.forEach((w, i) => {
    const prior = byName.get(w.name.toLowerCase());
    if (prior !== undefined)
      problems.push(`${where}: workspaces[${i}].name: "${w.name}" is also the name of workspaces[${prior}]; names must be unique`);
    else byName.set(w.name.toLowerCase(), i);
    for (const channel of new Set(w.channels)) {
      const owner = byChannel.get(channel);
      if (owner !== undefined)
        problems.push(`${where}: channel "${channel}" is served by both "${owner}" and "${w.name}"; a channel must map to one workspace`);
      else byChannel.set(channel, w.name);
    }
  });
  return workspaces;
}

/** Zod reports a failed union as one issue holding each branch's issues: report the branch that got furthest. */
function leafIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0];
      out.push(...leafIssues(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))));
    } else out.push(issue);
  }
  return out;
}

function depth(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  if (out.startsWith('[')) out = `workspaces${out}`;
  return out;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
