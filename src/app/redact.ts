/**
 * Keeping secrets out of logs and printed configuration, in three layers:
 * 1. by key: any property whose name looks like a secret (token, secret, password, authorization, …)
 *    is replaced, at any depth (`redactObject`);
 * 2. by shape: text that looks like a bearer token, a Slack token or a JWT is masked (`scrubText`);
 * 3. by value: the values of environment variables whose names look like secrets are masked wherever
 *    they appear, even inside an error message (`secretValuesFromEnv` + `scrubText`).
 */

export const REDACTED = '[redacted]';

/** Property names (any case, any separator) that hold secrets. */
export const SECRET_KEY_PATTERN =
  /token|secret|passw(or)?d|pwd|authorization|cookie|credential|private[-_]?key|api[-_]?key|access[-_]?key|sas$|signature/i;

/** Environment variable names whose values are secrets; names ending in _FILE, _PATH or _DIR hold locations, not secrets. */
const SECRET_ENV_PATTERN = /TOKEN|SECRET|PASSW(OR)?D|CREDENTIAL|PRIVATE_KEY|API_KEY|ACCESS_KEY|CONNECTION_STRING|HMAC/i;
const LOCATION_ENV_PATTERN = /_(FILE|PATH|DIR)$/i;
/** Shorter values are not scrubbed by value: masking "true" or "1" everywhere would garble logs. */
const MIN_SECRET_VALUE_LENGTH = 8;

const TEXT_PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\bxox[abeoprs]-[A-Za-z0-9-]+/g, REDACTED],
  [/\bxapp-[A-Za-z0-9-]+/g, REDACTED],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, REDACTED],
  [/([?&](?:sig|signature|code|access_token|client_secret)=)[^&\s"]+/gi, `$1${REDACTED}`],
];

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}

/** A copy of `value` with every secret-looking property replaced by `[redacted]` (cycle-safe). */
export function redactObject<T>(value: T): T {
  return redactValue(value, new WeakMap()) as T;
}

function redactValue(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(redactValue(item, seen));
    return out;
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redactValue(v, seen);
  }
  return out;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Values of secret-looking environment variables, longest first. */
export function secretValuesFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < MIN_SECRET_VALUE_LENGTH) continue;
    if (SECRET_ENV_PATTERN.test(name) && !LOCATION_ENV_PATTERN.test(name)) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * Masks token-shaped text and every given secret value (also in its JSON-escaped form, since
 * log lines are JSON).
 */
export function scrubText(text: string, secretValues: readonly string[] = []): string {
  let out = text;
  for (const secret of secretValues) {
    if (secret.length < MIN_SECRET_VALUE_LENGTH) continue;
    out = out.split(secret).join(REDACTED);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join(REDACTED);
  }
  for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
