/**
 * `onboarding plan|list|show|request|approve|reject|submit-role|cancel|retry|resume`: the operator's
 * view of the onboarding workflow (issue 5, item 7).
 *
 * `plan` prints the plan (role name, trust policy JSON, managed policy, tags; or the CloudFormation
 * template; or the AWS CLI commands) and changes nothing. `list` and `show` read the store. The
 * others drive the workflow from a terminal as the chat surfaces will (`--as <user>` says who is
 * acting): they hold the data directory lock, resume interrupted steps first, and wait until the
 * steps they set in motion have finished (verification can take up to FIRST_EVENTS_TIMEOUT).
 *
 * Heavy modules (store, runner, cloud SDKs) are imported inside the functions.
 */
import { systemClock } from '../../core/clock.ts';
import { ChatopsError, type ErrorCode } from '../../core/errors.ts';
import type { RoleTag } from '../../core/onboarding/gateways.ts';
import type { Onboarding as OnboardingState } from '../../core/onboarding/machine.ts';
import type { Outcome } from '../../core/onboarding/runner.ts';
import { type CommandArgs, type CommandContext, type CommandSpec, stringFlag } from '../command.ts';
import type { Config, WorkspaceConfig } from '../config.ts';
import type { Onboarding } from '../onboarding-wiring.ts';

export const PLAN_FORMATS = ['text', 'json', 'cloudformation', 'cli'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface PlanOptions {
  accountId: string;
  /** The workspace ID (GUID) or the configured short name. */
  workspace: string;
  roleName: string | undefined;
  tags: readonly RoleTag[];
  format: PlanFormat;
}

/** The configured workspace by workspace ID or short name. */
export function findWorkspace(config: Pick<Config, 'workspaces'>, idOrName: string): WorkspaceConfig | undefined {
  const key = idOrName.trim().toLowerCase();
  return config.workspaces.find((w) => w.workspaceId === key || w.name.toLowerCase() === key);
}

export async function onboardingPlan(ctx: CommandContext, o: PlanOptions): Promise<number> {
  const [{ buildPlan }, render, { text }, { checkAccountId, isWorkspaceResourceId }] = await Promise.all([
    import('../../core/onboarding/plan.ts'),
    import('../../core/onboarding/plan-render.ts'),
    import('../../core/onboarding/text.ts'),
    import('../../core/onboarding/validate.ts'),
  ]);
  const config = ctx.config();
  const workspace = findWorkspace(config, o.workspace);
  if (workspace === undefined) {
    const problems = [
      isWorkspaceResourceId(o.workspace)
        ? `--workspace-id: ${o.workspace} is a resource ID; give the Log Analytics workspace ID (a GUID) of a configured workspace (${config.workspaces.map((w) => `${w.name} = ${w.workspaceId}`).join(', ')}).`
        : text.workspaceNotConfigured(
            o.workspace,
            config.workspaces.map((w) => `${w.name} (${w.workspaceId})`),
          ),
    ];
    const account = checkAccountId(o.accountId);
    if (account !== undefined) problems.push(account);
    if (problems.length === 1) throw new ChatopsError('bad_input', problems[0]);
    throw new ChatopsError('bad_input', text.invalidPlan(problems.length), { details: problems });
  }
  const plan = buildPlan({ accountId: o.accountId, workspace, roleName: o.roleName, tags: o.tags });
  switch (o.format) {
    case 'json':
      ctx.printJson({ plan, cloudMode: config.cloudMode });
      break;
    case 'cloudformation':
      ctx.print(render.renderCloudFormation(plan));
      break;
    case 'cli':
      ctx.print(render.renderAwsCli(plan));
      break;
    default:
      ctx.print(`${config.cloudMode === 'sandbox' ? '[sandbox] ' : ''}${render.renderPlanText(plan)}`);
  }
  return 0;
}

export async function onboardingList(ctx: CommandContext, options: { all: boolean }): Promise<number> {
  const { openOnboardingStore } = await import('../onboarding-wiring.ts');
  const store = await openOnboardingStore(ctx.config());
  try {
    const items = await store.list(options.all ? {} : { open: true });
    if (ctx.json) ctx.printJson({ onboardings: items.map(summary) });
    else if (items.length === 0) ctx.print(options.all ? 'no onboardings' : 'no open onboardings (--all lists closed ones too)');
    else {
      const { text } = await import('../../core/onboarding/text.ts');
      for (const s of items)
        ctx.print(
          `${s.id}  ${s.phase.padEnd(22)}  account ${s.plan.accountId}  workspace ${s.plan.workspace.name}  ${text.mode(s.mode)}  requested by ${s.requestedBy} at ${new Date(s.requestedAt).toISOString()}`,
        );
    }
    return 0;
  } finally {
    store.close();
  }
}

export async function onboardingShow(ctx: CommandContext, id: string): Promise<number> {
  const [{ openOnboardingStore }, { text }] = await Promise.all([
    import('../onboarding-wiring.ts'),
    import('../../core/onboarding/text.ts'),
  ]);
  const store = await openOnboardingStore(ctx.config());
  try {
    const s = await store.get(id);
    if (s === undefined) throw new ChatopsError('not_found', text.onboardingNotFound(id));
    if (ctx.json) ctx.printJson({ onboarding: s, journal: store.journal(id), decisions: store.decisions(id) });
    else ctx.print(await describe(s));
    return 0;
  } finally {
    store.close();
  }
}

function summary(s: OnboardingState) {
  return {
    id: s.id,
    phase: s.phase,
    mode: s.mode,
    accountId: s.plan.accountId,
    workspace: s.plan.workspace.name,
    roleArn: s.roleArn ?? s.plan.roleArn,
    requestedBy: s.requestedBy,
    requestedAt: new Date(s.requestedAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  };
}

async function describe(s: OnboardingState): Promise<string> {
  const [{ text, formatTime }, { renderPlanText }] = await Promise.all([
    import('../../core/onboarding/text.ts'),
    import('../../core/onboarding/plan-render.ts'),
  ]);
  const lines = [
    `onboarding ${s.id}`,
    `phase       ${s.phase} (${text.phase(s.phase, s.mode)})`,
    `mode        ${text.mode(s.mode)}`,
    `requested   by ${s.requestedBy} at ${formatTime(s.requestedAt)}`,
  ];
  if (s.expiresAt !== undefined) lines.push(`expires     ${formatTime(s.expiresAt)}`);
  for (const [step, d] of Object.entries(s.decisions))
    if (d !== undefined) lines.push(`${step.padEnd(11)} ${d.outcome} by ${d.by} at ${formatTime(d.at)}${d.reason ? `: ${d.reason}` : ''}`);
  if (s.roleArn !== undefined) lines.push(`role        ${s.roleArn}${s.roleCreatedByBot ? ' (created by the bot)' : ''}`);
  if (s.connector !== undefined) lines.push(`connector   ${s.connector.connectorId}`);
  if (s.firstEvents !== undefined && s.firstEvents.length > 0)
    lines.push('first events', ...s.firstEvents.map((e) => `  ${e.time}  ${e.eventSource}  ${e.eventName}`));
  if (s.failure !== undefined) {
    lines.push(`failed      at ${s.failure.step}: ${s.failure.message}`);
    for (const c of s.failure.likelyCauses ?? []) lines.push(`  likely: ${c}`);
    for (const h of s.failure.healthErrors ?? []) lines.push(`  SentinelHealth: ${h}`);
  }
  lines.push('', renderPlanText(s.plan));
  return lines.join('\n');
}

// --- driving the workflow -----------------------------------------------------------------

export type DriveAction =
  | {
      kind: 'request';
      accountId: string;
      workspace: string;
      mode: 'bot_provisioned' | 'self_service';
      roleName?: string;
      tags: readonly RoleTag[];
    }
  | { kind: 'approve'; id: string }
  | { kind: 'reject'; id: string; reason: string }
  | { kind: 'submit-role'; id: string; roleArn: string }
  | { kind: 'cancel'; id: string; reason?: string }
  | { kind: 'retry'; id: string }
  | { kind: 'disconnect'; id: string }
  | { kind: 'resume' };

export interface DriveOptions {
  actor: { userId: string; groups: readonly string[] };
  /** Wait for the steps set in motion (default true). */
  wait: boolean;
}

const REFUSAL_CODES: Record<string, ErrorCode> = {
  bad_input: 'bad_input',
  not_found: 'not_found',
  denied: 'bad_input',
  conflict: 'conflict',
  unavailable: 'unavailable',
};

/** Runs one command against the workflow and prints where the onboarding is afterwards. */
export async function onboardingDrive(ctx: CommandContext, action: DriveAction, options: DriveOptions): Promise<number> {
  const { createOnboarding } = await import('../onboarding-wiring.ts');
  const onboarding = await createOnboarding(ctx.config(), ctx.logger(), systemClock);
  try {
    await onboarding.runner.resume();
    const outcome = await act(onboarding, action, options.actor);
    if (options.wait) await onboarding.runner.idle();
    if (outcome === undefined) {
      const open = await onboarding.store.list({ open: true });
      if (ctx.json) ctx.printJson({ onboardings: open.map(summary) });
      else ctx.print(open.length === 0 ? 'nothing to resume' : open.map((s) => `${s.id}  ${s.phase}`).join('\n'));
      return 0;
    }
    if (!outcome.ok) throw new ChatopsError(REFUSAL_CODES[outcome.kind] ?? 'bad_input', outcome.refusal);
    const now = (await onboarding.store.get(outcome.onboarding.id)) ?? outcome.onboarding;
    if (ctx.json) ctx.printJson({ onboarding: now });
    else ctx.print(await describe(now));
    return now.phase === 'failed' ? 1 : 0;
  } finally {
    await onboarding.close();
  }
}

async function act(o: Onboarding, a: DriveAction, actor: DriveOptions['actor']): Promise<Outcome | undefined> {
  const r = o.runner;
  const step = async (id: string) => {
    const s = await o.store.get(id);
    if (s === undefined) return undefined;
    return s.phase === 'awaiting_plan_approval'
      ? 'plan'
      : s.phase === 'awaiting_arn_approval'
        ? 'arn'
        : s.disconnect !== undefined
          ? 'disconnect'
          : 'plan';
  };
  switch (a.kind) {
    case 'request':
      return r.request({ actor, accountId: a.accountId, workspace: a.workspace, mode: a.mode, roleName: a.roleName, tags: a.tags });
    case 'approve': {
      const s = await step(a.id);
      return s === 'arn' ? r.approveArn(a.id, actor) : s === 'disconnect' ? r.approveDisconnect(a.id, actor) : r.approvePlan(a.id, actor);
    }
    case 'reject': {
      const s = await step(a.id);
      return s === 'arn'
        ? r.rejectArn(a.id, actor, a.reason)
        : s === 'disconnect'
          ? r.rejectDisconnect(a.id, actor, a.reason)
          : r.rejectPlan(a.id, actor, a.reason);
    }
    case 'submit-role':
      return r.submitRole(a.id, actor, a.roleArn);
    case 'cancel':
      return r.cancel(a.id, actor, a.reason);
    case 'retry':
      return r.retry(a.id, actor);
    case 'disconnect':
      return r.requestDisconnect(a.id, actor);
    case 'resume':
      return undefined;
  }
}

// --- flags ----------------------------------------------------------------------------------

export function tagsFlag(args: CommandArgs): RoleTag[] {
  const v = args.values.tag;
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.map((t) => {
    if (typeof t !== 'string') throw new ChatopsError('bad_input', '--tag needs a value: key=value');
    const eq = t.indexOf('=');
    if (eq <= 0) throw new ChatopsError('bad_input', `--tag expects key=value, got ${JSON.stringify(t)}`);
    return { key: t.slice(0, eq), value: t.slice(eq + 1) };
  });
}

function required(args: CommandArgs, name: string, what: string): string {
  const v = stringFlag(args, name);
  if (v === undefined || v.trim() === '') throw new ChatopsError('bad_input', `--${name} is required: ${what}`);
  return v.trim();
}

function formatFlag(ctx: CommandContext, args: CommandArgs): PlanFormat {
  const f = stringFlag(args, 'format');
  if (f === undefined) return ctx.json ? 'json' : 'text';
  if (!(PLAN_FORMATS as readonly string[]).includes(f))
    throw new ChatopsError('bad_input', `--format expects one of ${PLAN_FORMATS.join(', ')}, got ${JSON.stringify(f)}`);
  return f as PlanFormat;
}

function actorFlag(args: CommandArgs): DriveOptions['actor'] {
  const userId = required(args, 'as', 'the chat user ID you act as (the approval policy checks it)');
  const g = args.values.group;
  const groups = (g === undefined ? [] : Array.isArray(g) ? g : [g]).filter((x): x is string => typeof x === 'string');
  return { userId, groups };
}

const ACTOR_OPTIONS = { as: { type: 'string' }, group: { type: 'string', multiple: true }, 'no-wait': { type: 'boolean' } } as const;
const driveOptions = (args: CommandArgs): DriveOptions => ({ actor: actorFlag(args), wait: args.values['no-wait'] !== true });

export const onboardingPlanCommand: CommandSpec = {
  name: 'onboarding plan',
  summary: 'print the plan of an onboarding (role, trust policy, managed policy, tags) without changing anything',
  usage: '--account <12 digits> --workspace-id <guid> [--role-name N] [--tag k=v]... [--format text|json|cloudformation|cli]',
  details: [
    '--format cloudformation prints a CloudFormation template, --format cli the equivalent AWS CLI commands; --json = --format json.',
    'Bad input exits 1 naming every problem; nothing is stored.',
  ],
  options: {
    account: { type: 'string' },
    'workspace-id': { type: 'string' },
    'role-name': { type: 'string' },
    tag: { type: 'string', multiple: true },
    format: { type: 'string' },
  },
  positionals: { max: 0 },
  run: (ctx, args) =>
    onboardingPlan(ctx, {
      accountId: required(args, 'account', 'the 12-digit AWS account ID'),
      workspace: required(args, 'workspace-id', 'the Log Analytics workspace ID (GUID) of a configured workspace'),
      roleName: stringFlag(args, 'role-name'),
      tags: tagsFlag(args),
      format: formatFlag(ctx, args),
    }),
};

export const onboardingListCommand: CommandSpec = {
  name: 'onboarding list',
  summary: 'list open onboardings (--all: closed ones too)',
  usage: '[--all]',
  options: { all: { type: 'boolean' } },
  positionals: { max: 0 },
  run: (ctx, args) => onboardingList(ctx, { all: args.values.all === true }),
};

export const onboardingShowCommand: CommandSpec = {
  name: 'onboarding show',
  summary: 'show one onboarding: phase, decisions, role, connector, first events, failure, plan',
  usage: '<id>',
  positionals: { min: 1, max: 1, name: '<id>' },
  run: (ctx, args) => onboardingShow(ctx, args.positionals[0]),
};

export const onboardingRequestCommand: CommandSpec = {
  name: 'onboarding request',
  summary: 'request an onboarding as a chat user would (--as <user>)',
  usage: '--account <12 digits> --workspace <name|guid> --as <user> [--self-service] [--role-name N] [--tag k=v]... [--no-wait]',
  options: {
    ...ACTOR_OPTIONS,
    account: { type: 'string' },
    workspace: { type: 'string' },
    'self-service': { type: 'boolean' },
    'role-name': { type: 'string' },
    tag: { type: 'string', multiple: true },
  },
  positionals: { max: 0 },
  writesDataDir: true,
  run: (ctx, args) => {
    const roleName = stringFlag(args, 'role-name');
    return onboardingDrive(
      ctx,
      {
        kind: 'request',
        accountId: required(args, 'account', 'the 12-digit AWS account ID'),
        workspace: required(args, 'workspace', 'the short name or workspace ID of a configured workspace'),
        mode: args.values['self-service'] === true ? 'self_service' : 'bot_provisioned',
        ...(roleName === undefined ? {} : { roleName }),
        tags: tagsFlag(args),
      },
      driveOptions(args),
    );
  },
};

function idCommand(
  name: string,
  summary: string,
  build: (id: string, args: CommandArgs) => DriveAction,
  extra = '',
  options = {},
): CommandSpec {
  return {
    name: `onboarding ${name}`,
    summary,
    usage: `<id> --as <user> ${extra}[--group G]... [--no-wait]`,
    options: { ...ACTOR_OPTIONS, ...options },
    positionals: { min: 1, max: 1, name: '<id>' },
    writesDataDir: true,
    run: (ctx, args) => onboardingDrive(ctx, build(args.positionals[0], args), driveOptions(args)),
  };
}

export const onboardingApproveCommand = idCommand(
  'approve',
  'approve the step the onboarding waits for (plan, role ARN, disconnect)',
  (id) => ({
    kind: 'approve',
    id,
  }),
);
export const onboardingRejectCommand = idCommand(
  'reject',
  'reject the step the onboarding waits for, with a reason',
  (id, args) => ({ kind: 'reject', id, reason: required(args, 'reason', 'why (the requester sees it)') }),
  '--reason <text> ',
  { reason: { type: 'string' } },
);
export const onboardingSubmitRoleCommand = idCommand(
  'submit-role',
  'self-service: submit the ARN of the role you created',
  (id, args) => ({ kind: 'submit-role', id, roleArn: required(args, 'arn', 'the role ARN, arn:aws:iam::<account>:role/<name>') }),
  '--arn <role ARN> ',
  { arn: { type: 'string' } },
);
export const onboardingCancelCommand = idCommand(
  'cancel',
  'cancel an onboarding (rolls back a role the bot created)',
  (id, args) => {
    const reason = stringFlag(args, 'reason');
    return reason === undefined ? { kind: 'cancel', id } : { kind: 'cancel', id, reason };
  },
  '[--reason <text>] ',
  { reason: { type: 'string' } },
);
export const onboardingRetryCommand = idCommand('retry', 'retry the failed step of an onboarding', (id) => ({ kind: 'retry', id }));
export const onboardingDisconnectCommand = idCommand('disconnect', 'ask to disconnect a connected account (needs an approval)', (id) => ({
  kind: 'disconnect',
  id,
}));

export const onboardingResumeCommand: CommandSpec = {
  name: 'onboarding resume',
  summary: 'finish steps interrupted by a crash or a stop (serve does this at start)',
  usage: '',
  positionals: { max: 0 },
  writesDataDir: true,
  run: (ctx) => onboardingDrive(ctx, { kind: 'resume' }, { actor: { userId: 'system', groups: [] }, wait: true }),
};
