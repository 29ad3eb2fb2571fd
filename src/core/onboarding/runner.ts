/**
 * The onboarding runner: takes commands from people (through a chat surface or the CLI), checks
 * them against the approval policy, feeds them to the pure machine (machine.ts), and executes the
 * effects the machine asks for through the gateway interfaces (gateways.ts).
 *
 * One command, in order:
 * 1. read the onboarding; refuse (a sentence, audited) what the policy does not allow;
 * 2. `transition(state, event)`; refuse what the state does not allow;
 * 3. commit in ONE transaction: the decision claim (one winner per step, like a TryLock), the new
 *    state (optimistic version check), the effects it intends, the audit row;
 *    a lost claim → "Already approved by X at T."; a stale state → read again and repeat;
 * 4. start the intended effects in the background.
 *
 * One effect: call the gateway (retrying `unavailable`, `throttled` and `retryable` errors with
 * back-off: IAM is eventually consistent after CreateRole), then commit its completion together
 * with the state that follows (`effect.done` / `effect.failed` through the machine) and the next
 * intended effects. A crash between intent and completion leaves the effect intended; `resume()`
 * at start runs it again, which is safe because gateways are idempotent on the op id.
 *
 * Time comes from the injected clock and waiting from the injected `sleep`, so tests never sleep.
 */
import type { Clock } from '../clock.ts';
import { asChatopsError, ChatopsError } from '../errors.ts';
import {
  type Actor,
  type ApprovalPolicies,
  type ApprovalPolicy,
  approvalTtlMs,
  attemptOn,
  failedRequirement,
  policyFor,
  refuseParticipant,
  refuseRequest,
} from './approval-policy.ts';
import {
  type FirstEventsProbe,
  type IamGateway,
  isRetryable,
  type Notifier,
  type RoleTag,
  type SentinelGateway,
  type WorkspaceRef,
} from './gateways.ts';
import {
  assertNever,
  DEFAULT_SETTINGS,
  decisionStepOf,
  type Effect,
  type EffectOutcome,
  isWaitingForPerson,
  MODES,
  type Mode,
  type Onboarding,
  type OnboardingEvent,
  type OnboardingEventType,
  start,
  transition,
} from './machine.ts';
import { buildPlan } from './plan.ts';
import type { AuditEntry, DecisionClaim, EffectResult, OnboardingRepository } from './repository.ts';
import { text } from './text.ts';

export interface RunnerGateways {
  readonly iam: IamGateway;
  readonly sentinel: SentinelGateway;
  readonly firstEvents: FirstEventsProbe;
  /** Chat notifications; none: nobody is told (the CLI). */
  readonly notifier?: Notifier;
}

export interface RunnerOptions {
  readonly repository: OnboardingRepository;
  readonly gateways: RunnerGateways;
  /** The configured workspaces (`Config.workspaces` fits). */
  readonly workspaces: readonly WorkspaceRef[];
  readonly policies: ApprovalPolicies;
  readonly clock: Clock;
  /** Waits `ms` (default: a timer); rejects when `signal` aborts. Tests pass one that moves a manual clock. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** New onboarding ids (default: random UUIDs). */
  readonly newId?: () => string;
  /** Back-off before each retry of a retryable gateway error (default 1, 2, 4, 8, 16, 30, 30 s: about 1.5 min). */
  readonly retryDelaysMs?: readonly number[];
  /** How long verification waits for the first events (default 2 h). */
  readonly verifyTimeoutMs?: number;
  /** Told about effects that failed (after retries) or could not be recorded; for the log. */
  readonly onEffectError?: (effect: Effect, err: unknown) => void;
}

export type RefusalKind = 'bad_input' | 'not_found' | 'denied' | 'conflict' | 'unavailable';

export type Outcome =
  | { readonly ok: true; readonly onboarding: Onboarding }
  | { readonly ok: false; readonly kind: RefusalKind; readonly refusal: string; readonly onboarding?: Onboarding };

export interface RequestInput {
  readonly actor: Actor;
  readonly accountId: string;
  /** The workspace's short name or its workspace ID. */
  readonly workspace: string;
  readonly mode: Mode;
  readonly roleName?: string;
  readonly path?: string;
  readonly tags?: readonly RoleTag[];
  /** The surface's data to hand back in notifications (channel, thread). */
  readonly origin?: Readonly<Record<string, string>>;
}

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 16000, 30000, 30000];
const MAX_STALE_RETRIES = 50;
const BOT = 'bot';
const SYSTEM = 'system';

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

export class OnboardingRunner {
  readonly #repo: OnboardingRepository;
  readonly #gw: RunnerGateways;
  readonly #workspaces: readonly WorkspaceRef[];
  readonly #policies: ApprovalPolicies;
  readonly #clock: Clock;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #newId: () => string;
  readonly #delays: readonly number[];
  readonly #verifyTimeoutMs: number;
  readonly #onEffectError: ((effect: Effect, err: unknown) => void) | undefined;
  readonly #running = new Map<string, Promise<void>>();
  /** Per running effect: aborted when the machine stops waiting for it (e.g. cancel during verification). */
  readonly #effectAborts = new Map<string, AbortController>();
  readonly #abort = new AbortController();

  constructor(options: RunnerOptions) {
    this.#repo = options.repository;
    this.#gw = options.gateways;
    this.#workspaces = options.workspaces;
    this.#policies = options.policies;
    this.#clock = options.clock;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    this.#delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.#verifyTimeoutMs = options.verifyTimeoutMs ?? DEFAULT_SETTINGS.verifyTimeoutMs;
    this.#onEffectError = options.onEffectError;
  }

  // --- commands ---------------------------------------------------------------------------

  /** Plans an onboarding and asks the approvers. Bad input is refused before anything is stored. */
  async request(input: RequestInput): Promise<Outcome> {
    if (this.#stopping) return refused('unavailable', text.shuttingDown());
    const workspace = this.#workspaces.find(
      (w) => w.name === input.workspace || w.workspaceId.toLowerCase() === input.workspace.toLowerCase(),
    );
    if (workspace === undefined)
      return refused(
        'bad_input',
        text.workspaceNotConfigured(
          input.workspace,
          this.#workspaces.map((w) => w.name),
        ),
      );
    if (!(MODES as readonly string[]).includes(input.mode)) return refused('bad_input', `Unknown mode ${JSON.stringify(input.mode)}.`);
    const policy = policyFor(this.#policies, workspace.name);
    const at = this.#clock.now();
    const denied = refuseRequest(policy, input.actor, workspace.name);
    if (denied !== undefined) {
      await this.#repo.audit([
        {
          at,
          actor: input.actor.userId,
          action: 'request.refused',
          details: { accountId: input.accountId, workspace: workspace.name, mode: input.mode, refusal: denied },
        },
      ]);
      return refused('denied', denied);
    }
    let plan: ReturnType<typeof buildPlan>;
    try {
      plan = buildPlan({ accountId: input.accountId, workspace, roleName: input.roleName, path: input.path, tags: input.tags });
    } catch (err) {
      if (err instanceof ChatopsError && err.code === 'bad_input') return refused('bad_input', err.userText);
      throw err;
    }
    const step = start({
      id: this.#newId(),
      mode: input.mode,
      plan,
      requestedBy: input.actor.userId,
      at,
      origin: input.origin,
      settings: { approvalTtlMs: approvalTtlMs(policy), verifyTimeoutMs: this.#verifyTimeoutMs },
    });
    const s = step.state;
    const r = await this.#repo.commit({
      create: true,
      state: s,
      intend: step.effects,
      audit: [
        {
          at,
          actor: input.actor.userId,
          action: 'onboarding.requested',
          onboardingId: s.id,
          details: {
            accountId: plan.accountId,
            workspace: workspace.name,
            workspaceId: plan.workspace.workspaceId,
            mode: s.mode,
            roleName: plan.roleName,
            roleArn: plan.roleArn,
            tags: plan.tags,
            to: s.phase,
            effects: effectIds(step.effects),
          },
        },
      ],
    });
    if (!r.committed) {
      if (r.reason === 'open_exists') return refused('conflict', text.alreadyOpen(plan.accountId, workspace.name, r.id, r.phase));
      throw new ChatopsError('internal', `creating onboarding ${s.id} failed: ${r.reason} (this is a bug)`);
    }
    this.#schedule(step.effects);
    return { ok: true, onboarding: s };
  }

  approvePlan(id: string, actor: Actor): Promise<Outcome> {
    return this.#decide(id, actor, 'plan.approved');
  }

  rejectPlan(id: string, actor: Actor, reason: string): Promise<Outcome> {
    return this.#decide(id, actor, 'plan.rejected', reason);
  }

  /** Self-service: the requester (or an approver) submits the ARN of the role they created. */
  submitRole(id: string, actor: Actor, roleArn: string): Promise<Outcome> {
    return this.#act(id, actor, (_s, at) => ({ type: 'role.submitted', by: actor.userId, at, roleArn }), refuseParticipant);
  }

  approveArn(id: string, actor: Actor): Promise<Outcome> {
    return this.#decide(id, actor, 'arn.approved');
  }

  rejectArn(id: string, actor: Actor, reason: string): Promise<Outcome> {
    return this.#decide(id, actor, 'arn.rejected', reason);
  }

  cancel(id: string, actor: Actor, reason?: string): Promise<Outcome> {
    return this.#act(
      id,
      actor,
      (_s, at) => ({ type: 'cancel', by: actor.userId, at, ...(reason === undefined ? {} : { reason }) }),
      refuseParticipant,
    );
  }

  retry(id: string, actor: Actor): Promise<Outcome> {
    return this.#act(id, actor, (_s, at) => ({ type: 'retry', by: actor.userId, at }), refuseParticipant);
  }

  requestDisconnect(id: string, actor: Actor): Promise<Outcome> {
    return this.#act(id, actor, (_s, at) => ({ type: 'disconnect.requested', by: actor.userId, at }), refuseParticipant);
  }

  approveDisconnect(id: string, actor: Actor): Promise<Outcome> {
    return this.#decide(id, actor, 'disconnect.approved');
  }

  rejectDisconnect(id: string, actor: Actor, reason: string): Promise<Outcome> {
    return this.#decide(id, actor, 'disconnect.rejected', reason);
  }

  /** Expires every onboarding whose wait for a person is over. Returns how many. Call periodically. */
  async expireDue(): Promise<number> {
    let n = 0;
    const now = this.#clock.now();
    for (const s of await this.#repo.list({ open: true }))
      if (isWaitingForPerson(s) && s.expiresAt !== undefined && now >= s.expiresAt && (await this.#expire(s.id)).ok) n++;
    return n;
  }

  /** Starts again every effect intended but not completed (after a restart). Returns how many. */
  async resume(): Promise<number> {
    const pending = await this.#repo.pendingEffects();
    const fresh = pending.map((p) => p.effect).filter((fx) => !this.#running.has(fx.id));
    this.#schedule(fresh);
    return fresh.length;
  }

  /** Resolves when no effect is running (effects started by effects included). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  /**
   * Stops: new commands are refused, waits are aborted, and effects not finished within `graceMs`
   * stay intended in the journal for the next start's `resume()`.
   */
  async stop(graceMs = 5000): Promise<void> {
    this.#abort.abort(new ChatopsError('unavailable', text.shuttingDown()));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref?.();
    });
    await Promise.race([this.idle(), grace]);
    clearTimeout(timer);
  }

  get #stopping(): boolean {
    return this.#abort.signal.aborted;
  }

  // --- commands, the common path --------------------------------------------------------------

  /** Approve or reject: the policy's requirements, then the transition and the decision claim in one commit. */
  async #decide(id: string, actor: Actor, type: OnboardingEventType, reason?: string): Promise<Outcome> {
    return this.#run(id, actor, async (s, at, policy) => {
      const attempt = attemptOn(s, type, actor, at, reason)!;
      const failed = failedRequirement(policy, attempt);
      if (failed !== undefined) {
        await this.#auditRefusal(s, actor, type, at, failed.refusal, failed.requirement);
        if (failed.requirement === 'not_expired') await this.#expire(s.id);
        return refused(
          failed.requirement === 'not_decided' ? 'conflict' : failed.requirement === 'reason_given' ? 'bad_input' : 'denied',
          failed.refusal,
          s,
        );
      }
      const event = decisionEvent(type, actor.userId, at, reason);
      const step = decisionStepOf(s, type)!;
      const outcome = type.endsWith('.approved') ? 'approved' : 'rejected';
      return {
        event,
        claim: { onboardingId: s.id, step, by: actor.userId, at, outcome, ...(reason === undefined ? {} : { reason: reason.trim() }) },
      };
    });
  }

  /** Other commands: who may (the requester or an approver), then the transition. */
  #act(
    id: string,
    actor: Actor,
    build: (s: Onboarding, at: number) => OnboardingEvent,
    allowed: (policy: ApprovalPolicy | undefined, actor: Actor, s: Onboarding) => string | undefined,
  ): Promise<Outcome> {
    return this.#run(id, actor, async (s, at, policy) => {
      const event = build(s, at);
      const denied = allowed(policy, actor, s);
      if (denied !== undefined) {
        await this.#auditRefusal(s, actor, event.type, at, denied, 'participant');
        return refused('denied', denied, s);
      }
      return { event };
    });
  }

  async #expire(id: string): Promise<Outcome> {
    return this.#run(id, { userId: SYSTEM }, async (_s, at) => ({ event: { type: 'expire', at } }), true);
  }

  /**
   * Reads, checks (`prepare`), transitions, commits; repeats on a stale read. `prepare` answers
   * with a refusal, or the event (and the decision claim) to apply.
   */
  async #run(
    id: string,
    actor: Actor,
    prepare: (
      s: Onboarding,
      at: number,
      policy: ApprovalPolicy | undefined,
    ) => Promise<Outcome | { event: OnboardingEvent; claim?: DecisionClaim }>,
    quiet = false,
  ): Promise<Outcome> {
    if (this.#stopping && !quiet) return refused('unavailable', text.shuttingDown());
    for (let i = 0; i < MAX_STALE_RETRIES; i++) {
      const s = await this.#repo.get(id);
      if (s === undefined) return refused('not_found', text.onboardingNotFound(id));
      const at = this.#clock.now();
      const policy = policyFor(this.#policies, s.plan.workspace.name);
      const prepared = await prepare(s, at, policy);
      if ('ok' in prepared) return prepared;
      const { event, claim } = prepared;
      const step = transition(s, event);
      if (step.refusal !== undefined) {
        if (!quiet) await this.#auditRefusal(s, actor, event.type, at, step.refusal, 'state');
        return refused('conflict', step.refusal, s);
      }
      const r = await this.#repo.commit({
        state: step.state,
        ...(claim === undefined ? {} : { claim }),
        intend: step.effects,
        audit: [transitionAudit(s, step.state, event, actor.userId, step.effects)],
      });
      if (r.committed) {
        this.#abandon(s, step.state);
        this.#schedule(step.effects);
        return { ok: true, onboarding: step.state };
      }
      if (r.reason === 'decided') {
        const sentence = text.alreadyDecided(r.outcome, r.by, r.at);
        await this.#auditRefusal(s, actor, event.type, at, sentence, 'not_decided');
        return refused('conflict', sentence, s);
      }
      if (r.reason !== 'stale')
        throw new ChatopsError('internal', `unexpected commit result ${r.reason} for onboarding ${id} (this is a bug)`);
    }
    throw new ChatopsError('unavailable', `onboarding ${id} keeps changing under this command; try again`);
  }

  async #auditRefusal(s: Onboarding, actor: Actor, attempt: string, at: number, refusal: string, requirement: string): Promise<void> {
    await this.#repo.audit([
      {
        at,
        actor: actor.userId,
        action: 'command.refused',
        onboardingId: s.id,
        details: { attempt, phase: s.phase, requirement, refusal },
      },
    ]);
  }

  // --- effects ------------------------------------------------------------------------------

  #schedule(effects: readonly Effect[]): void {
    if (this.#stopping) return;
    for (const fx of effects) {
      if (this.#running.has(fx.id)) continue;
      const abort = new AbortController();
      this.#effectAborts.set(fx.id, abort);
      const p = this.#execute(fx, AbortSignal.any([this.#abort.signal, abort.signal]))
        .catch((err) => this.#onEffectError?.(fx, err))
        .finally(() => {
          this.#running.delete(fx.id);
          this.#effectAborts.delete(fx.id);
        });
      this.#running.set(fx.id, p);
    }
  }

  /** Aborts the effect the machine no longer waits for (its result would be ignored anyway). */
  #abandon(before: Onboarding, after: Onboarding): void {
    const was = before.pendingEffect;
    if (was !== undefined && was !== after.pendingEffect)
      this.#effectAborts.get(was)?.abort(new ChatopsError('conflict', text.unexpectedEffect(was)));
  }

  async #execute(fx: Effect, signal: AbortSignal): Promise<void> {
    let result: EffectResult;
    try {
      result = { ok: true, value: plainJson(await this.#callWithRetry(fx, signal)) };
    } catch (err) {
      if (this.#stopping) return; // stays intended: the next start resumes it
      const e = asChatopsError(signal.aborted ? signal.reason : err);
      this.#onEffectError?.(fx, e);
      result = { ok: false, error: { code: e.code, message: e.userText } };
    }
    // A result that arrives while stopping is still recorded; the effects it leads to are not
    // started (#schedule), so they wait in the journal for the next start.
    await this.#feed(fx, result);
  }

  async #callWithRetry(fx: Effect, signal: AbortSignal): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#call(fx, signal);
      } catch (err) {
        if (!isRetryable(err) || attempt >= this.#delays.length || signal.aborted) throw err;
        await this.#sleep(this.#delays[attempt], signal);
      }
    }
  }

  async #call(fx: Effect, signal: AbortSignal): Promise<unknown> {
    const { iam, sentinel, firstEvents, notifier } = this.#gw;
    switch (fx.kind) {
      case 'iam.ensureRole':
        return iam.ensureRole(fx.role, fx.opId);
      case 'iam.inspectRole':
        return (await iam.inspectRole(fx.roleArn)) ?? null;
      case 'iam.deleteRole':
        return iam.deleteRole(fx.roleArn, fx.opId);
      case 'sentinel.ensureConnector':
        return sentinel.ensureConnector(fx.connector, fx.opId);
      case 'sentinel.deleteConnector':
        return sentinel.deleteConnector(fx.workspace, fx.connectorId ?? sentinel.connectorIdFor(fx.connectorOpId), fx.opId);
      case 'logs.awaitFirstEvents':
        return firstEvents.awaitFirstEvents(fx.workspace, fx.accountId, { deadline: fx.deadline, signal });
      case 'notify':
        await notifier?.notify(fx.notification, fx.opId);
        return null;
      default:
        return assertNever(fx);
    }
  }

  /** Records the effect's result with the state that follows from it, in one commit; repeats on a stale read. */
  async #feed(fx: Effect, result: EffectResult): Promise<void> {
    for (let i = 0; i < MAX_STALE_RETRIES; i++) {
      const at = this.#clock.now();
      const complete = { effectId: fx.id, at, result };
      const s = fx.kind === 'notify' ? undefined : await this.#repo.get(fx.onboardingId);
      if (s === undefined) {
        const audit: AuditEntry[] = result.ok
          ? []
          : [
              {
                at,
                actor: BOT,
                action: 'effect.failed',
                onboardingId: fx.onboardingId,
                details: { effectId: fx.id, kind: fx.kind, error: result.error },
              },
            ];
        await this.#repo.commit({ complete, audit });
        return;
      }
      const event: OnboardingEvent = result.ok
        ? { type: 'effect.done', effectId: fx.id, at, outcome: { kind: fx.kind, value: result.value } as EffectOutcome }
        : { type: 'effect.failed', effectId: fx.id, at, error: result.error };
      const step = transition(s, event);
      const details = {
        effectId: fx.id,
        kind: fx.kind,
        ...(result.ok ? { result: summarize(fx, result.value) } : { error: result.error }),
      };
      if (step.refusal !== undefined) {
        await this.#repo.commit({
          complete,
          audit: [
            {
              at,
              actor: BOT,
              action: result.ok ? 'effect.done' : 'effect.failed',
              onboardingId: s.id,
              details: { ...details, ignored: step.refusal },
            },
          ],
        });
        return;
      }
      const r = await this.#repo.commit({
        state: step.state,
        complete,
        intend: step.effects,
        audit: [
          {
            at,
            actor: BOT,
            action: result.ok ? 'effect.done' : 'effect.failed',
            onboardingId: s.id,
            details: { ...details, from: s.phase, to: step.state.phase, version: step.state.version, effects: effectIds(step.effects) },
          },
        ],
      });
      if (r.committed) {
        this.#abandon(s, step.state);
        this.#schedule(step.effects);
        return;
      }
      if (r.reason !== 'stale') throw new ChatopsError('internal', `recording effect ${fx.id} failed: ${r.reason} (this is a bug)`);
    }
    throw new ChatopsError('unavailable', `could not record effect ${fx.id}: its onboarding keeps changing`);
  }
}

function refused(kind: RefusalKind, refusal: string, onboarding?: Onboarding): Outcome {
  return onboarding === undefined ? { ok: false, kind, refusal } : { ok: false, kind, refusal, onboarding };
}

function decisionEvent(type: OnboardingEventType, by: string, at: number, reason: string | undefined): OnboardingEvent {
  switch (type) {
    case 'plan.approved':
    case 'arn.approved':
    case 'disconnect.approved':
      return { type, by, at };
    case 'plan.rejected':
    case 'arn.rejected':
    case 'disconnect.rejected':
      return { type, by, at, reason: reason ?? '' };
    default:
      throw new ChatopsError('internal', `${type} is not a decision (this is a bug)`);
  }
}

function effectIds(effects: readonly Effect[]): { id: string; kind: string }[] {
  return effects.map((e) => ({ id: e.id, kind: e.kind }));
}

function transitionAudit(from: Onboarding, to: Onboarding, e: OnboardingEvent, actor: string, effects: readonly Effect[]): AuditEntry {
  const extra: Record<string, unknown> = {};
  if ('reason' in e && e.reason !== undefined) extra.reason = e.reason;
  if (e.type === 'role.submitted') extra.roleArn = e.roleArn;
  return {
    at: e.at,
    actor,
    action: e.type,
    onboardingId: from.id,
    details: { ...extra, from: from.phase, to: to.phase, version: to.version, effects: effectIds(effects) },
  };
}

/** What the audit log keeps of a result: identifiers and outcomes, not whole documents. */
function summarize(fx: Effect, value: unknown): unknown {
  switch (fx.kind) {
    case 'iam.ensureRole':
    case 'iam.deleteRole':
    case 'sentinel.deleteConnector':
      return value;
    case 'iam.inspectRole':
      return value === null ? { found: false } : { found: true, arn: (value as { arn: string }).arn };
    case 'sentinel.ensureConnector': {
      const c = value as { connectorId: string; roleArn?: string; created?: boolean };
      return { connectorId: c.connectorId, roleArn: c.roleArn, created: c.created };
    }
    case 'logs.awaitFirstEvents': {
      const r = value as { timedOut: boolean; events?: unknown[] };
      return r.timedOut ? value : { timedOut: false, events: r.events?.length ?? 0 };
    }
    case 'notify':
      return null;
    default:
      return assertNever(fx);
  }
}

/** Results go to the journal as JSON: drop class prototypes, `undefined` fields and functions now. */
function plainJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
