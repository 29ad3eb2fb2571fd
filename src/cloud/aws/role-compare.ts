/**
 * Compares a role as IAM reports it with the planned role, and names each difference in words an
 * approver can act on ("the trust policy's sts:ExternalId is X; the plan has Y").
 *
 * Policies are compared by meaning, not by text: IAM hands the document back URL-encoded and may
 * reorder keys, turn a single value into a string or a list, and write an account principal as
 * `arn:aws:iam::<account>:root`. Statement ids (`Sid`) do not change what a policy allows and are ignored.
 * Tags the role has beyond the planned ones are not differences.
 */
import type { ObservedRole, RoleTag } from '../../core/onboarding/gateways.ts';

/** The parts of a role that the plan fixes (the onboarding's RoleSpec fits). */
export interface PlannedRoleShape {
  readonly roleName: string;
  /** `/` unless the plan gives one. */
  readonly path?: string;
  /** The trust policy, as JSON text or as an object. */
  readonly trustPolicy: string | object;
  readonly managedPolicyArns: readonly string[];
  /** The planned tags (not the owner tag: that one says who created the role, and is not compared). */
  readonly tags: readonly RoleTag[];
}

export interface RoleComparison {
  /** One sentence per difference that makes the role not the planned one. */
  readonly mismatches: readonly string[];
  /** Planned managed policies the role lacks (attaching them converges the role to the plan). */
  readonly missingPolicies: readonly string[];
  /** Planned tags the role lacks entirely (adding them converges the role to the plan). */
  readonly missingTags: readonly RoleTag[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface CanonicalStatement {
  effect: string;
  principal: Record<string, string[]> | '*' | undefined;
  notPrincipal: Record<string, string[]> | '*' | undefined;
  action: string[] | undefined;
  notAction: string[] | undefined;
  resource: string[] | undefined;
  notResource: string[] | undefined;
  /** operator → condition key (lower case) → sorted values */
  condition: Record<string, Record<string, string[]>>;
}

export interface CanonicalPolicy {
  readonly version: string;
  readonly statements: readonly CanonicalStatement[];
  /** Stable text of the whole policy: equal texts mean equal policies. */
  readonly text: string;
}

/** Parses and normalises a policy document. Throws a SyntaxError/TypeError for text that is not a policy. */
export function canonicalPolicy(doc: string | object): CanonicalPolicy {
  const parsed = (typeof doc === 'string' ? JSON.parse(doc) : doc) as Json;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('a policy must be a JSON object');
  const raw = parsed.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const statements = list.map(canonicalStatement).sort((a, b) => cmp(stable(a), stable(b)));
  const version = typeof parsed.Version === 'string' ? parsed.Version : '2008-10-17';
  return { version, statements, text: stable({ version, statements }) };
}

function canonicalStatement(s: Json): CanonicalStatement {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new TypeError('a policy statement must be a JSON object');
  const condition: Record<string, Record<string, string[]>> = {};
  const cond = s.Condition;
  if (typeof cond === 'object' && cond !== null && !Array.isArray(cond)) {
    for (const [op, entries] of Object.entries(cond)) {
      if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) continue;
      const out: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(entries)) out[k.toLowerCase()] = strings(v);
      condition[op] = out;
    }
  }
  return {
    effect: String(s.Effect ?? ''),
    principal: principal(s.Principal),
    notPrincipal: principal(s.NotPrincipal),
    action: s.Action === undefined ? undefined : strings(s.Action).map((a) => a.toLowerCase()),
    notAction: s.NotAction === undefined ? undefined : strings(s.NotAction).map((a) => a.toLowerCase()),
    resource: s.Resource === undefined ? undefined : strings(s.Resource),
    notResource: s.NotResource === undefined ? undefined : strings(s.NotResource),
    condition,
  };
}

function principal(p: Json | undefined): Record<string, string[]> | '*' | undefined {
  if (p === undefined) return undefined;
  if (p === '*') return '*';
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return { '': strings(p) };
  const out: Record<string, string[]> = {};
  for (const [kind, v] of Object.entries(p)) {
    const values = strings(v);
    out[kind] = kind === 'AWS' ? values.map((x) => (/^\d{12}$/.test(x) ? `arn:aws:iam::${x}:root` : x)).sort(cmp) : values;
  }
  return out;
}

function strings(v: Json | undefined): string[] {
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return list.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).sort(cmp);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with sorted object keys and without undefined members. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => cmp(a, b));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stable(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Sentences that say how the observed trust policy differs from the planned one (empty: same meaning). */
export function trustPolicyDifferences(planned: string | object, observedJson: string): string[] {
  const want = canonicalPolicy(planned);
  let got: CanonicalPolicy;
  try {
    got = canonicalPolicy(observedJson);
  } catch {
    return [`the trust policy is not valid JSON policy text: ${truncate(observedJson)}`];
  }
  if (want.text === got.text) return [];
  if (want.statements.length === 1 && got.statements.length === 1) {
    const out = statementDifferences(want.statements[0], got.statements[0]);
    if (want.version !== got.version) out.push(`the trust policy's Version is ${got.version}; the plan has ${want.version}`);
    if (out.length > 0) return out;
  }
  return [`the trust policy differs from the plan: it is ${compact(got)}; the plan has ${compact(want)}`];
}

function statementDifferences(want: CanonicalStatement, got: CanonicalStatement): string[] {
  const out: string[] = [];
  const field = (name: string, w: unknown, g: unknown) => {
    if (stable(w) !== stable(g)) out.push(`the trust policy's ${name} is ${show(g)}; the plan has ${show(w)}`);
  };
  field('Effect', want.effect, got.effect);
  field('Principal', want.principal, got.principal);
  field('NotPrincipal', want.notPrincipal, got.notPrincipal);
  field('Action', want.action, got.action);
  field('NotAction', want.notAction, got.notAction);
  field('Resource', want.resource, got.resource);
  field('NotResource', want.notResource, got.notResource);
  const ops = new Set([...Object.keys(want.condition), ...Object.keys(got.condition)]);
  for (const op of [...ops].sort(cmp)) {
    const w = want.condition[op] ?? {};
    const g = got.condition[op] ?? {};
    for (const k of [...new Set([...Object.keys(w), ...Object.keys(g)])].sort(cmp)) {
      const label = `condition ${op} ${k === 'sts:externalid' ? 'sts:ExternalId' : k}`;
      if (w[k] === undefined) out.push(`the trust policy has an extra ${label} = ${show(g[k])} that the plan does not have`);
      else if (g[k] === undefined)
        out.push(
          k === 'sts:externalid' && op === 'StringEquals'
            ? `the trust policy does not require sts:ExternalId = ${show(w[k])} (the workspace ID)`
            : `the trust policy lacks the ${label} = ${show(w[k])}`,
        );
      else if (stable(w[k]) !== stable(g[k]))
        out.push(
          k === 'sts:externalid'
            ? `the trust policy's sts:ExternalId is ${show(g[k])}; the plan has ${show(w[k])} (the workspace ID)`
            : `the trust policy's ${label} is ${show(g[k])}; the plan has ${show(w[k])}`,
        );
    }
  }
  return out;
}

function show(v: unknown): string {
  if (v === undefined) return 'absent';
  if (Array.isArray(v) && v.length === 1) return JSON.stringify(v[0]);
  return stable(v);
}

function compact(p: CanonicalPolicy): string {
  return truncate(p.text);
}

function truncate(s: string, max = 600): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Compares an observed role with the plan. */
export function compareRole(plan: PlannedRoleShape, role: ObservedRole): RoleComparison {
  const mismatches: string[] = [];
  const planPath = plan.path ?? '/';
  if (role.roleName !== plan.roleName) mismatches.push(`the role is named ${role.roleName}; the plan has ${plan.roleName}`);
  if (role.path !== planPath) mismatches.push(`the role's path is ${role.path}; the plan has ${planPath}`);
  mismatches.push(...trustPolicyDifferences(plan.trustPolicy, role.trustPolicyJson));

  const planned = new Set(plan.managedPolicyArns);
  const extra = role.managedPolicyArns.filter((a) => !planned.has(a));
  for (const a of extra) mismatches.push(`the role has the policy ${a} attached, which the plan does not have`);
  const attached = new Set(role.managedPolicyArns);
  const missingPolicies = plan.managedPolicyArns.filter((a) => !attached.has(a));

  const have = new Map(role.tags.map((t) => [t.key, t.value]));
  const missingTags: RoleTag[] = [];
  for (const t of plan.tags) {
    const v = have.get(t.key);
    if (v === undefined) missingTags.push(t);
    else if (v !== t.value) mismatches.push(`the role's tag ${t.key} is ${JSON.stringify(v)}; the plan has ${JSON.stringify(t.value)}`);
  }
  return { mismatches, missingPolicies, missingTags };
}

/** Every difference, including what is only missing: for checking a role someone else created (self-service). */
export function allDifferences(c: RoleComparison): string[] {
  return [
    ...c.mismatches,
    ...c.missingPolicies.map((a) => `the role lacks the planned policy ${a}`),
    ...c.missingTags.map((t) => `the role lacks the planned tag ${t.key}=${JSON.stringify(t.value)}`),
  ];
}
