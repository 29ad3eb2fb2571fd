/**
 * The onboarding state machine: a PURE `transition(state, event) → { state, effects, refusal? }`.
 * It does no I/O and runs no effect; it returns effects as data, with deterministic ids, for the
 * runner to journal and execute (runner.ts). Results come back as `effect.done` / `effect.failed`.
 *
 * Happy path (both modes):
 *
 *   requested → awaiting_plan_approval → creating_role → awaiting_arn_approval → connecting → verifying → connected
 *
 * - bot-provisioned: in `creating_role` the bot runs `iam.ensureRole`;
 * - self-service: in `creating_role` the requester creates the role from the rendered template or
 *   commands and submits its ARN (`role.submitted`); the bot checks the format and account, then
 *   reads the role (`iam.inspectRole`) and compares it with the plan. A mismatch is named and the
 *   requester may submit again; a role the bot may not read goes to the approvers marked unchecked.
 *
 * Ends and detours: `rejected` (a reason is required), `expired` (a person did not act by
 * `expiresAt`), `cancelled`, `failed` (with the failing step; `retry` runs that step again,
 * `cancel` rolls back), `rolling_back` (deletes the connector if one may exist, and the role if the
 * bot created it, then ends as cancelled, rejected or expired), and disconnect, approval-gated:
 * `connected → awaiting_disconnect_approval → disconnecting → disconnected`.
 *
 * Who may send which event is the approval policy's business (approval-policy.ts); the machine
 * only checks what follows from the state itself: the phase, the deadline, the ARN's shape, that a
 * rejection has a reason, and that an effect result is the one awaited (`pendingEffect`).
 *
 * Every state-changing transition increments `version` (the store's optimistic lock) and sets
 * `updatedAt` to the event's time. States and effects are plain JSON.
 */
import type {
  ConnectorRef,
  ConnectorSpec,
  DeleteResult,
  FirstEvent,
  FirstEventsResult,
  Notification,
  NotificationAudience,
  NotificationTopic,
  ObservedRole,
  RoleRef,
  RoleSpec,
  WorkspaceRef,
} from './gateways.ts';
import { type OnboardingPlan, roleSpecOf } from './plan.ts';
import { text } from './text.ts';
import { compareRole, type PolicyMismatch } from './trust-policy.ts';
import { checkRoleArn } from './validate.ts';

export const PHASES = [
  'requested',
  'awaiting_plan_approval',
  'creating_role',
  'awaiting_arn_approval',
  'connecting',
  'verifying',
  'connected',
  'rejected',
  'expired',
  'cancelled',
  'failed',
  'rolling_back',
  'awaiting_disconnect_approval',
  'disconnecting',
  'disconnected',
] as const;
export type Phase = (typeof PHASES)[number];

/** Phases after which nothing happens any more. Every other phase is open (one per account and workspace). */
export const CLOSED_PHASES = ['rejected', 'expired', 'cancelled', 'disconnected'] as const satisfies readonly Phase[];

export const MODES = ['bot_provisioned', 'self_service'] as const;
/** `bot_provisioned`: the bot creates the role; `self_service`: the requester does and submits the ARN. */
export type Mode = (typeof MODES)[number];

/** The steps that run an effect, and so can fail. */
export type FailingStep = 'creating_role' | 'connecting' | 'verifying' | 'rolling_back' | 'disconnecting';

export interface Decision {
  readonly outcome: 'approved' | 'rejected';
  readonly by: string;
  readonly at: number;
  readonly reason?: string;
}

export interface Failure {
  readonly step: FailingStep;
  readonly effectId: string;
  /** The ChatopsError code (`forbidden`, `conflict`, …), or `timed_out` for no first events. */
  readonly code: string;
  readonly message: string;
  readonly at: number;
  readonly likelyCauses?: readonly string[];
  readonly healthErrors?: readonly string[];
}

/** What the bot found when it compared a submitted role with the plan (self-service). */
export interface RoleCheck {
  readonly arn: string;
  /** False when the bot could not read the role (`note` says why): approvers must check it themselves. */
  readonly checked: boolean;
  readonly found: boolean;
  readonly mismatches: readonly PolicyMismatch[];
  readonly note?: string;
}

/** What rolling back or disconnecting still has to delete, and where it ends. */
export interface Teardown {
  readonly deleteConnector: boolean;
  readonly deleteRole: boolean;
  readonly endsAs: 'cancelled' | 'rejected' | 'expired' | 'disconnected';
}

export interface Settings {
  /** How long a person has to decide or act (default 24 h). */
  readonly approvalTtlMs: number;
  /** How long to wait for the first CloudTrail events after connecting. */
  readonly verifyTimeoutMs: number;
}

export const DEFAULT_SETTINGS: Settings = Object.freeze({ approvalTtlMs: 24 * 3600_000, verifyTimeoutMs: 2 * 3600_000 });

export interface Onboarding {
  readonly id: string;
  readonly mode: Mode;
  readonly phase: Phase;
  /** Increments with every change: the store's optimistic lock. */
  readonly version: number;
  readonly plan: OnboardingPlan;
  readonly requestedBy: string;
  readonly requestedAt: number;
  readonly updatedAt: number;
  /** The chat surface's own data (channel, thread), handed back in notifications. */
  readonly origin: Readonly<Record<string, string>>;
  readonly settings: Settings;
  /** When the current wait for a person ends (approval, or a self-service role submission). */
  readonly expiresAt?: number;
  readonly decisions: { readonly plan?: Decision; readonly arn?: Decision; readonly disconnect?: Decision };
  /** Self-service: the ARN being checked (an `iam.inspectRole` is pending or failed). */
  readonly submission?: { readonly arn: string; readonly by: string; readonly at: number };
  readonly submissions: number;
  /** Self-service: who submitted the ARN that went to the approvers (the two-person rule covers them too). */
  readonly roleSubmittedBy?: string;
  /** The role Sentinel will assume (after ensureRole, or the checked submission). */
  readonly roleArn?: string;
  /** True only when the bot created the role: then rollback and disconnect delete it. */
  readonly roleCreatedByBot: boolean;
  readonly roleCheck?: RoleCheck;
  /** Set once `sentinel.ensureConnector` was sent: a connector may exist from then on. */
  readonly connectorMayExist: boolean;
  readonly connector?: { readonly connectorId: string; readonly resourceId: string };
  readonly firstEvents?: readonly FirstEvent[];
  /** The effect whose result the machine waits for; other results are ignored. */
  readonly pendingEffect?: string;
  readonly failure?: Failure;
  readonly teardown?: Teardown;
  readonly disconnect?: { readonly requestedBy: string; readonly requestedAt: number; readonly round: number };
  readonly disconnectRounds: number;
  /** How many times `retry` was used: part of the ids of retried effects. */
  readonly retries: number;
  readonly cancelledBy?: string;
}

interface EffectBase {
  /** Unique per attempt: the journal's key. */
  readonly id: string;
  readonly onboardingId: string;
  /** The gateway's idempotency key: the same for every attempt of one operation. */
  readonly opId: string;
}

export type Effect =
  | (EffectBase & { readonly kind: 'iam.ensureRole'; readonly role: RoleSpec })
  | (EffectBase & { readonly kind: 'iam.inspectRole'; readonly roleArn: string })
  | (EffectBase & { readonly kind: 'iam.deleteRole'; readonly roleArn: string })
  | (EffectBase & { readonly kind: 'sentinel.ensureConnector'; readonly connector: ConnectorSpec })
  | (EffectBase & {
      readonly kind: 'sentinel.deleteConnector';
      readonly workspace: WorkspaceRef;
      /** Known after a successful ensureConnector; else the runner derives it from `connectorOpId`. */
      readonly connectorId?: string;
      readonly connectorOpId: string;
    })
  | (EffectBase & {
      readonly kind: 'logs.awaitFirstEvents';
      readonly workspace: WorkspaceRef;
      readonly accountId: string;
      readonly deadline: number;
    })
  | (EffectBase & { readonly kind: 'notify'; readonly notification: Notification });

export type EffectKind = Effect['kind'];
export const EFFECT_KINDS = [
  'iam.ensureRole',
  'iam.inspectRole',
  'iam.deleteRole',
  'sentinel.ensureConnector',
  'sentinel.deleteConnector',
  'logs.awaitFirstEvents',
  'notify',
] as const satisfies readonly EffectKind[];

/** What each effect kind yields (JSON: `null` for "no role"). */
export interface EffectResults {
  'iam.ensureRole': RoleRef;
  'iam.inspectRole': ObservedRole | null;
  'iam.deleteRole': DeleteResult;
  'sentinel.ensureConnector': ConnectorRef;
  'sentinel.deleteConnector': DeleteResult;
  'logs.awaitFirstEvents': FirstEventsResult;
  notify: null;
}

export type EffectOutcome = { [K in EffectKind]: { readonly kind: K; readonly value: EffectResults[K] } }[EffectKind];

export interface EffectError {
  readonly code: string;
  readonly message: string;
}

export type OnboardingEvent =
  | { readonly type: 'plan.proposed'; readonly at: number }
  | { readonly type: 'plan.approved'; readonly by: string; readonly at: number }
  | { readonly type: 'plan.rejected'; readonly by: string; readonly at: number; readonly reason: string }
  | { readonly type: 'role.submitted'; readonly by: string; readonly at: number; readonly roleArn: string }
  | { readonly type: 'arn.approved'; readonly by: string; readonly at: number }
  | { readonly type: 'arn.rejected'; readonly by: string; readonly at: number; readonly reason: string }
  | { readonly type: 'effect.done'; readonly effectId: string; readonly at: number; readonly outcome: EffectOutcome }
  | { readonly type: 'effect.failed'; readonly effectId: string; readonly at: number; readonly error: EffectError }
  | { readonly type: 'expire'; readonly at: number }
  | { readonly type: 'cancel'; readonly by: string; readonly at: number; readonly reason?: string }
  | { readonly type: 'retry'; readonly by: string; readonly at: number }
  | { readonly type: 'disconnect.requested'; readonly by: string; readonly at: number }
  | { readonly type: 'disconnect.approved'; readonly by: string; readonly at: number }
  | { readonly type: 'disconnect.rejected'; readonly by: string; readonly at: number; readonly reason: string };

export type OnboardingEventType = OnboardingEvent['type'];

export interface Step {
  readonly state: Onboarding;
  readonly effects: readonly Effect[];
  /** Set when the event does not apply: a sentence for the person; state and effects are unchanged then. */
  readonly refusal?: string;
}

export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}

/** True while the onboarding holds its (account, workspace) slot. */
export function isOpen(phase: Phase): boolean {
  switch (phase) {
    case 'rejected':
    case 'expired':
    case 'cancelled':
    case 'disconnected':
      return false;
    case 'requested':
    case 'awaiting_plan_approval':
    case 'creating_role':
    case 'awaiting_arn_approval':
    case 'connecting':
    case 'verifying':
    case 'connected':
    case 'failed':
    case 'rolling_back':
    case 'awaiting_disconnect_approval':
    case 'disconnecting':
      return true;
    default:
      return assertNever(phase);
  }
}

/** True when a person must act before `expiresAt` (so `expire` applies). */
export function isWaitingForPerson(s: Onboarding): boolean {
  switch (s.phase) {
    case 'awaiting_plan_approval':
    case 'awaiting_arn_approval':
    case 'awaiting_disconnect_approval':
      return true;
    case 'creating_role':
      return s.mode === 'self_service' && s.submission === undefined;
    case 'requested':
    case 'connecting':
    case 'verifying':
    case 'connected':
    case 'rejected':
    case 'expired':
    case 'cancelled':
    case 'failed':
    case 'rolling_back':
    case 'disconnecting':
    case 'disconnected':
      return false;
    default:
      return assertNever(s.phase);
  }
}

export type DecisionStep = 'plan' | 'arn' | `disconnect:${number}`;

/** The decision an approve/reject event takes, for the store's once-only claim; undefined for other events. */
export function decisionStepOf(s: Onboarding, type: OnboardingEventType): DecisionStep | undefined {
  switch (type) {
    case 'plan.approved':
    case 'plan.rejected':
      return 'plan';
    case 'arn.approved':
    case 'arn.rejected':
      return 'arn';
    case 'disconnect.approved':
    case 'disconnect.rejected':
      return `disconnect:${s.disconnect?.round ?? s.disconnectRounds}`;
    case 'plan.proposed':
    case 'role.submitted':
    case 'effect.done':
    case 'effect.failed':
    case 'expire':
    case 'cancel':
    case 'retry':
    case 'disconnect.requested':
      return undefined;
    default:
      return assertNever(type);
  }
}

export interface NewOnboarding {
  readonly id: string;
  readonly mode: Mode;
  readonly plan: OnboardingPlan;
  readonly requestedBy: string;
  readonly at: number;
  readonly origin?: Readonly<Record<string, string>>;
  readonly settings?: Partial<Settings>;
}

/** The onboarding as requested (`requested`, version 0), before the plan is proposed. */
export function createOnboarding(input: NewOnboarding): Onboarding {
  return {
    id: input.id,
    mode: input.mode,
    phase: 'requested',
    version: 0,
    plan: input.plan,
    requestedBy: input.requestedBy,
    requestedAt: input.at,
    updatedAt: input.at,
    origin: { ...(input.origin ?? {}) },
    settings: { ...DEFAULT_SETTINGS, ...(input.settings ?? {}) },
    decisions: {},
    submissions: 0,
    roleCreatedByBot: false,
    connectorMayExist: false,
    disconnectRounds: 0,
    retries: 0,
  };
}

/** Creates the onboarding and proposes its plan: `awaiting_plan_approval`, version 1, approvers notified. */
export function start(input: NewOnboarding): Step {
  return transition(createOnboarding(input), { type: 'plan.proposed', at: input.at });
}

/** The next state and the effects to run. Pure: the same input gives the same output. */
export function transition(s: Onboarding, e: OnboardingEvent): Step {
  switch (e.type) {
    case 'plan.proposed':
      if (s.phase !== 'requested') return refuse(s, e);
      return go(s, e.at, { phase: 'awaiting_plan_approval', expiresAt: e.at + s.settings.approvalTtlMs }, (n) => [
        notify(n, 'plan_ready', 'approvers', text.planReady(n.id, n.plan.accountId, n.plan.workspace.name, n.requestedBy)),
      ]);

    case 'plan.approved': {
      if (s.phase !== 'awaiting_plan_approval') return refuse(s, e);
      if (expired(s, e.at)) return refusal(s, text.approvalExpired(s.expiresAt!));
      const decisions = { ...s.decisions, plan: decision('approved', e.by, e.at) };
      if (s.mode === 'bot_provisioned')
        return go(s, e.at, { phase: 'creating_role', decisions, expiresAt: undefined }, (n) => [ensureRoleEffect(n)], true);
      return go(s, e.at, { phase: 'creating_role', decisions, expiresAt: e.at + s.settings.approvalTtlMs }, (n) => [
        notify(n, 'role_needed', 'requester', text.roleNeeded(n.id, n.plan.roleName)),
      ]);
    }

    case 'plan.rejected':
    case 'arn.rejected': {
      const phase = e.type === 'plan.rejected' ? 'awaiting_plan_approval' : 'awaiting_arn_approval';
      if (s.phase !== phase) return refuse(s, e);
      if (e.reason.trim() === '') return refusal(s, text.reasonRequired());
      if (expired(s, e.at)) return refusal(s, text.approvalExpired(s.expiresAt!));
      const d = decision('rejected', e.by, e.at, e.reason.trim());
      const decisions = e.type === 'plan.rejected' ? { ...s.decisions, plan: d } : { ...s.decisions, arn: d };
      return teardownOrEnd(s, e.at, 'rejected', { decisions, expiresAt: undefined });
    }

    case 'role.submitted': {
      if (s.phase !== 'creating_role') return refuse(s, e);
      if (s.mode === 'bot_provisioned') return refusal(s, text.botCreatesRole());
      if (s.submission !== undefined) return refusal(s, text.roleBeingChecked());
      if (expired(s, e.at)) return refusal(s, text.approvalExpired(s.expiresAt!));
      const arn = e.roleArn.trim();
      const problem = checkRoleArn(arn, s.plan.accountId);
      if (problem !== undefined) return refusal(s, problem);
      const submissions = s.submissions + 1;
      return go(
        s,
        e.at,
        { submission: { arn, by: e.by, at: e.at }, submissions },
        (n) => [{ kind: 'iam.inspectRole', ...ids(n, `inspect-${submissions}`), roleArn: arn }],
        true,
      );
    }

    case 'arn.approved':
      if (s.phase !== 'awaiting_arn_approval') return refuse(s, e);
      if (expired(s, e.at)) return refusal(s, text.approvalExpired(s.expiresAt!));
      return go(
        s,
        e.at,
        {
          phase: 'connecting',
          decisions: { ...s.decisions, arn: decision('approved', e.by, e.at) },
          expiresAt: undefined,
          connectorMayExist: true,
        },
        (n) => [ensureConnectorEffect(n)],
        true,
      );

    case 'effect.done':
    case 'effect.failed':
      if (s.pendingEffect === undefined || s.pendingEffect !== e.effectId) return refusal(s, text.unexpectedEffect(e.effectId));
      return e.type === 'effect.done' ? onDone(s, e) : onFailed(s, e);

    case 'expire':
      if (!isWaitingForPerson(s) || s.expiresAt === undefined || e.at < s.expiresAt) return refuse(s, e);
      if (s.phase === 'awaiting_disconnect_approval')
        return go(s, e.at, { phase: 'connected', disconnect: undefined, expiresAt: undefined }, (n) => [
          notify(n, 'connected', 'requester', text.disconnectExpired(n.id)),
        ]);
      return teardownOrEnd(s, e.at, 'expired', { expiresAt: undefined });

    case 'cancel':
      switch (s.phase) {
        case 'requested':
        case 'awaiting_plan_approval':
        case 'creating_role':
        case 'awaiting_arn_approval':
        case 'verifying':
        case 'failed':
          if (s.phase === 'creating_role' && (s.mode === 'bot_provisioned' || s.submission !== undefined))
            return refusal(s, text.cancelWhileRunning(s.phase));
          return teardownOrEnd(s, e.at, 'cancelled', { cancelledBy: e.by, expiresAt: undefined });
        case 'connecting':
        case 'rolling_back':
        case 'disconnecting':
          return refusal(s, text.cancelWhileRunning(s.phase));
        case 'connected':
        case 'awaiting_disconnect_approval':
          return refusal(s, text.cancelConnected());
        case 'rejected':
        case 'expired':
        case 'cancelled':
        case 'disconnected':
          return refuse(s, e);
        default:
          return assertNever(s.phase);
      }

    case 'retry':
      if (s.phase !== 'failed' || s.failure === undefined) return refuse(s, e);
      return retry(s, e.at);

    case 'disconnect.requested': {
      if (s.phase !== 'connected') return refuse(s, e);
      const round = s.disconnectRounds + 1;
      return go(
        s,
        e.at,
        {
          phase: 'awaiting_disconnect_approval',
          disconnect: { requestedBy: e.by, requestedAt: e.at, round },
          disconnectRounds: round,
          decisions: { ...s.decisions, disconnect: undefined },
          expiresAt: e.at + s.settings.approvalTtlMs,
        },
        (n) => [notify(n, 'disconnect_requested', 'approvers', text.disconnectRequested(n.id, e.by))],
      );
    }

    case 'disconnect.approved':
      if (s.phase !== 'awaiting_disconnect_approval') return refuse(s, e);
      if (expired(s, e.at)) return refusal(s, text.approvalExpired(s.expiresAt!));
      return teardownStep(
        s,
        e.at,
        'disconnecting',
        { deleteConnector: true, deleteRole: s.roleCreatedByBot, endsAs: 'disconnected' },
        { decisions: { ...s.decisions, disconnect: decision('approved', e.by, e.at) }, expiresAt: undefined },
      );

    case 'disconnect.rejected':
      if (s.phase !== 'awaiting_disconnect_approval') return refuse(s, e);
      if (e.reason.trim() === '') return refusal(s, text.reasonRequired());
      if (expired(s, e.at)) return refusal(s, text.approvalExpired(s.expiresAt!));
      return go(
        s,
        e.at,
        {
          phase: 'connected',
          decisions: { ...s.decisions, disconnect: decision('rejected', e.by, e.at, e.reason.trim()) },
          disconnect: undefined,
          expiresAt: undefined,
        },
        (n) => [notify(n, 'connected', 'requester', text.disconnectRejected(n.id, e.by, e.reason.trim()))],
      );

    default:
      return assertNever(e);
  }
}

type DoneEvent = Extract<OnboardingEvent, { type: 'effect.done' }>;
type FailedEvent = Extract<OnboardingEvent, { type: 'effect.failed' }>;

function onDone(s: Onboarding, e: DoneEvent): Step {
  const o = e.outcome;
  switch (o.kind) {
    case 'iam.ensureRole':
      if (o.value.arn !== s.plan.roleArn)
        return fail(
          s,
          e.at,
          'creating_role',
          e.effectId,
          { code: 'conflict', message: text.roleArnDiffers(o.value.arn, s.plan.roleArn) },
          {
            roleArn: o.value.arn,
            roleCreatedByBot: o.value.created,
          },
        );
      return arnReady(s, e.at, { roleArn: o.value.arn, roleCreatedByBot: o.value.created });

    case 'iam.inspectRole': {
      const arn = s.submission?.arn ?? '';
      if (o.value === null)
        return go(
          s,
          e.at,
          { submission: undefined, pendingEffect: undefined, roleCheck: { arn, checked: true, found: false, mismatches: [] } },
          (n) => [notify(n, 'role_rejected', 'requester', text.roleNotFound(arn))],
        );
      const mismatches = compareRole(
        {
          accountId: s.plan.accountId,
          workspaceId: s.plan.workspace.workspaceId,
          workspaceName: s.plan.workspace.name,
          managedPolicyArns: s.plan.managedPolicyArns,
        },
        o.value,
      );
      const roleCheck: RoleCheck = { arn, checked: true, found: true, mismatches };
      if (mismatches.length > 0)
        return go(s, e.at, { submission: undefined, pendingEffect: undefined, roleCheck }, (n) => [
          notify(
            n,
            'role_rejected',
            'requester',
            text.roleMismatch(
              arn,
              mismatches.map((m) => m.text),
            ),
          ),
        ]);
      return arnReady(s, e.at, {
        roleArn: arn,
        roleCreatedByBot: false,
        roleCheck,
        submission: undefined,
        roleSubmittedBy: s.submission?.by,
      });
    }

    case 'sentinel.ensureConnector':
      return go(
        s,
        e.at,
        { phase: 'verifying', connector: { connectorId: o.value.connectorId, resourceId: o.value.resourceId } },
        (n) => [awaitEventsEffect(n, e.at)],
        true,
      );

    case 'logs.awaitFirstEvents': {
      const r = o.value;
      if (r.timedOut)
        return fail(s, e.at, 'verifying', e.effectId, {
          code: 'timed_out',
          message: text.noEventsYet(r.likelyCauses, r.healthErrors),
          likelyCauses: r.likelyCauses,
          healthErrors: r.healthErrors,
        });
      return go(s, e.at, { phase: 'connected', firstEvents: r.events, pendingEffect: undefined, failure: undefined }, (n) => [
        notify(n, 'connected', 'requester', text.connected(n.id, n.plan.accountId, n.plan.workspace.name, r.events.length)),
      ]);
    }

    case 'sentinel.deleteConnector':
    case 'iam.deleteRole': {
      if (s.teardown === undefined || (s.phase !== 'rolling_back' && s.phase !== 'disconnecting'))
        return refusal(s, text.unexpectedEffect(e.effectId));
      const teardown = o.kind === 'iam.deleteRole' ? { ...s.teardown, deleteRole: false } : { ...s.teardown, deleteConnector: false };
      return teardownStep(s, e.at, s.phase, teardown, o.kind === 'iam.deleteRole' ? {} : { connectorMayExist: false });
    }

    case 'notify':
      return refusal(s, text.unexpectedEffect(e.effectId));

    default:
      return assertNever(o);
  }
}

function onFailed(s: Onboarding, e: FailedEvent): Step {
  switch (s.phase) {
    case 'creating_role':
      if (s.mode === 'self_service' && e.error.code === 'forbidden') {
        const arn = s.submission?.arn ?? '';
        return arnReady(s, e.at, {
          roleArn: arn,
          roleCreatedByBot: false,
          submission: undefined,
          roleSubmittedBy: s.submission?.by,
          roleCheck: { arn, checked: false, found: false, mismatches: [], note: e.error.message },
        });
      }
      return fail(s, e.at, 'creating_role', e.effectId, e.error);
    case 'connecting':
    case 'verifying':
    case 'rolling_back':
    case 'disconnecting':
      return fail(s, e.at, s.phase, e.effectId, e.error);
    case 'requested':
    case 'awaiting_plan_approval':
    case 'awaiting_arn_approval':
    case 'connected':
    case 'rejected':
    case 'expired':
    case 'cancelled':
    case 'failed':
    case 'awaiting_disconnect_approval':
    case 'disconnected':
      return refusal(s, text.unexpectedEffect(e.effectId));
    default:
      return assertNever(s.phase);
  }
}

function retry(s: Onboarding, at: number): Step {
  const failure = s.failure!;
  const base: Partial<Onboarding> = { phase: failure.step, failure: undefined, retries: s.retries + 1 };
  switch (failure.step) {
    case 'creating_role':
      if (s.mode === 'self_service') {
        const arn = s.submission?.arn ?? s.roleArn ?? '';
        return go(s, at, base, (n) => [{ kind: 'iam.inspectRole', ...ids(n, `inspect-${n.submissions}`), roleArn: arn }], true);
      }
      return go(s, at, base, (n) => [ensureRoleEffect(n)], true);
    case 'connecting':
      return go(s, at, base, (n) => [ensureConnectorEffect(n)], true);
    case 'verifying':
      return go(s, at, base, (n) => [awaitEventsEffect(n, at)], true);
    case 'rolling_back':
    case 'disconnecting':
      return teardownStep(s, at, failure.step, s.teardown!, { failure: undefined, retries: s.retries + 1 });
    default:
      return assertNever(failure.step);
  }
}

/** The role is there (created, or submitted and checked): ask the approvers for the second approval. */
function arnReady(s: Onboarding, at: number, patch: Partial<Onboarding>): Step {
  return go(
    s,
    at,
    { ...patch, phase: 'awaiting_arn_approval', pendingEffect: undefined, expiresAt: at + s.settings.approvalTtlMs },
    (n) => {
      const notes = n.roleCheck !== undefined && !n.roleCheck.checked ? ` ${text.roleUnchecked(n.roleCheck.note ?? '')}` : '';
      return [notify(n, 'arn_ready', 'approvers', `${text.arnReady(n.id, n.roleArn!, n.roleCheck?.checked === true)}${notes}`)];
    },
  );
}

function fail(
  s: Onboarding,
  at: number,
  step: FailingStep,
  effectId: string,
  error: EffectError & Partial<Failure>,
  patch: Partial<Onboarding> = {},
): Step {
  const failure: Failure = {
    step,
    effectId,
    code: error.code,
    message: error.message,
    at,
    ...(error.likelyCauses === undefined ? {} : { likelyCauses: error.likelyCauses }),
    ...(error.healthErrors === undefined ? {} : { healthErrors: error.healthErrors }),
  };
  return go(s, at, { ...patch, phase: 'failed', failure, pendingEffect: undefined }, (n) => [
    notify(n, 'failed', 'requester', text.failed(n.id, step, error.message)),
  ]);
}

/** Ends in `then`, rolling back first when a connector may exist or the bot created the role. */
function teardownOrEnd(s: Onboarding, at: number, then: Teardown['endsAs'], patch: Partial<Onboarding>): Step {
  return teardownStep(s, at, 'rolling_back', { deleteConnector: s.connectorMayExist, deleteRole: s.roleCreatedByBot, endsAs: then }, patch);
}

/**
 * The next deletion of a teardown (the connector first, so that Sentinel stops assuming the role,
 * then the role), or, when nothing is left to delete, the end it leads to.
 */
function teardownStep(
  s: Onboarding,
  at: number,
  phase: 'rolling_back' | 'disconnecting',
  teardown: Teardown,
  patch: Partial<Onboarding>,
): Step {
  const prefix = phase === 'disconnecting' ? 'disconnect' : 'rollback';
  if (teardown.deleteConnector)
    return go(
      s,
      at,
      { ...patch, phase, teardown },
      (n) => [
        {
          kind: 'sentinel.deleteConnector',
          ...ids(n, `${prefix}-connector`),
          workspace: n.plan.workspace,
          connectorOpId: `${n.id}:connector`,
          ...(n.connector === undefined ? {} : { connectorId: n.connector.connectorId }),
        },
      ],
      true,
    );
  if (teardown.deleteRole && s.roleArn !== undefined)
    return go(
      s,
      at,
      { ...patch, phase, teardown },
      (n) => [{ kind: 'iam.deleteRole', ...ids(n, `${prefix}-role`), roleArn: n.roleArn! }],
      true,
    );
  return go(s, at, { ...patch, phase: teardown.endsAs, teardown: undefined, pendingEffect: undefined }, (n) => [
    endNotice(n, teardown.endsAs),
  ]);
}

function endNotice(n: Onboarding, then: Teardown['endsAs']): Effect {
  switch (then) {
    case 'cancelled':
      return notify(n, 'cancelled', 'requester', text.cancelled(n.id, n.cancelledBy ?? ''));
    case 'rejected': {
      const d = n.decisions.arn ?? n.decisions.plan;
      return notify(n, 'rejected', 'requester', text.rejected(n.id, d?.by ?? '', d?.reason ?? ''));
    }
    case 'expired':
      return notify(n, 'expired', 'requester', text.expired(n.id));
    case 'disconnected':
      return notify(n, 'disconnected', 'requester', text.disconnected(n.id));
    default:
      return assertNever(then);
  }
}

/**
 * The next state (version + 1, `updatedAt` = at) with `patch` applied, and its effects. With
 * `awaits`, the first effect is the one whose result the machine waits for (`pendingEffect`).
 */
function go(s: Onboarding, at: number, patch: Partial<Onboarding>, effects: (n: Onboarding) => Effect[], awaits = false): Step {
  const merged = { ...s, ...patch, version: s.version + 1, updatedAt: at } as Onboarding;
  const n = dropUndefined(merged);
  const fx = effects(n);
  const state = awaits && fx.length > 0 ? { ...n, pendingEffect: fx[0].id } : n;
  return { state, effects: fx };
}

/** JSON has no `undefined`: keep states identical before and after a store round trip. */
function dropUndefined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && k === 'decisions' ? dropUndefined(v as object) : v;
  }
  return out as T;
}

function refuse(s: Onboarding, e: OnboardingEvent): Step {
  return refusal(s, text.notNow(s.phase, e.type, s.mode));
}

function refusal(s: Onboarding, sentence: string): Step {
  return { state: s, effects: [], refusal: sentence };
}

function expired(s: Onboarding, at: number): boolean {
  return s.expiresAt !== undefined && at >= s.expiresAt;
}

function decision(outcome: Decision['outcome'], by: string, at: number, reason?: string): Decision {
  return reason === undefined ? { outcome, by, at } : { outcome, by, at, reason };
}

/** Journal id (unique per retry) and gateway op id (stable across retries) of a step. */
function ids(n: Onboarding, name: string): EffectBase {
  const opId = `${n.id}:${name}`;
  return { id: n.retries === 0 ? opId : `${opId}#${n.retries}`, onboardingId: n.id, opId };
}

function ensureRoleEffect(n: Onboarding): Effect {
  return { kind: 'iam.ensureRole', ...ids(n, 'role'), role: roleSpecOf(n.plan, n.id) };
}

function ensureConnectorEffect(n: Onboarding): Effect {
  return { kind: 'sentinel.ensureConnector', ...ids(n, 'connector'), connector: { workspace: n.plan.workspace, roleArn: n.roleArn! } };
}

function awaitEventsEffect(n: Onboarding, at: number): Effect {
  return {
    kind: 'logs.awaitFirstEvents',
    ...ids(n, 'verify'),
    workspace: n.plan.workspace,
    accountId: n.plan.accountId,
    deadline: at + n.settings.verifyTimeoutMs,
  };
}

function notify(n: Onboarding, topic: NotificationTopic, audience: NotificationAudience, sentence: string): Effect {
  const id = `${n.id}:notify:${topic}:${n.version}`;
  return {
    kind: 'notify',
    id,
    onboardingId: n.id,
    opId: id,
    notification: { onboardingId: n.id, topic, audience, text: sentence, origin: n.origin },
  };
}
