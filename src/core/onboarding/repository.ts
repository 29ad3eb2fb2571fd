/**
 * What the runner needs from durable storage, as an interface (the SQLite store in `src/store`
 * implements it; a Postgres one could). Core depends on this, never on the store.
 *
 * The one rule that makes the workflow exactly-once: a state change, the decision it takes, the
 * completion of the effect that caused it, the effects it intends and its audit entries are ONE
 * `commit`, all or nothing. An effect is therefore journalled as intended before it runs, and the
 * journal never says "done" without the state that followed.
 */
import type { Effect, EffectError, Onboarding, Phase } from './machine.ts';

/** One row of the audit log, before it is chained. */
export interface AuditEntry {
  /** ms since the epoch. */
  readonly at: number;
  /** A chat user ID, or `bot`, or `system`. */
  readonly actor: string;
  /** `plan.approved`, `decision.refused`, `effect.done`, … */
  readonly action: string;
  readonly onboardingId?: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** Taking a decision on a step (`plan`, `arn`, `disconnect:<n>`): exactly one claim per step wins. */
export interface DecisionClaim {
  readonly onboardingId: string;
  readonly step: string;
  readonly by: string;
  readonly at: number;
  readonly outcome: 'approved' | 'rejected';
  readonly reason?: string;
}

/** Like a TryLock: losing is an ordinary answer that says who decided and when. */
export type ClaimResult =
  | { readonly acquired: true }
  | { readonly acquired: false; readonly by: string; readonly at: number; readonly outcome: 'approved' | 'rejected' };

export type EffectResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: EffectError };

export interface JournalEntry {
  readonly effect: Effect;
  readonly status: 'intended' | 'done' | 'failed';
  readonly intendedAt: number;
  readonly completedAt?: number;
  readonly result?: EffectResult;
}

export interface Change {
  /** The new state. Inserted when `create`; else written only where the stored version is `state.version - 1`. */
  readonly state?: Onboarding;
  readonly create?: boolean;
  readonly claim?: DecisionClaim;
  /** The effect whose result led here. */
  readonly complete?: { readonly effectId: string; readonly at: number; readonly result: EffectResult };
  /** Effects to journal as intended (they run after the commit). */
  readonly intend?: readonly Effect[];
  readonly audit?: readonly AuditEntry[];
}

export type CommitResult =
  | { readonly committed: true }
  /** Someone else took the decision first (nothing was written). */
  | {
      readonly committed: false;
      readonly reason: 'decided';
      readonly by: string;
      readonly at: number;
      readonly outcome: 'approved' | 'rejected';
    }
  /** The stored state moved on since it was read (nothing was written): read it again and retry. */
  | { readonly committed: false; readonly reason: 'stale' }
  /** Another onboarding of the same account and workspace is open (nothing was written). */
  | { readonly committed: false; readonly reason: 'open_exists'; readonly id: string; readonly phase: Phase };

export interface OnboardingFilter {
  /** Only open (true) or only closed (false) onboardings. */
  readonly open?: boolean;
  readonly accountId?: string;
  readonly workspaceId?: string;
}

export interface OnboardingRepository {
  get(id: string): Promise<Onboarding | undefined>;
  /** Oldest first. */
  list(filter?: OnboardingFilter): Promise<Onboarding[]>;
  /** Applies the whole change in one transaction, or nothing (see CommitResult). */
  commit(change: Change): Promise<CommitResult>;
  /** Effects intended but not completed (for `resume()` after a restart), oldest first. */
  pendingEffects(): Promise<JournalEntry[]>;
  /** Appends audit entries on their own (refusals, which change no state). */
  audit(entries: readonly AuditEntry[]): Promise<void>;
}
