/**
 * The durable onboarding store on SQLite (sqlite.ts): onboardings, decisions, the effect journal
 * and the audit log, in one database file under the data directory, plus the audit anchor file.
 *
 * It implements core's `OnboardingRepository`: `commit` applies a whole change (decision claim,
 * effect completion, new state under an optimistic version check, intended effects, audit rows)
 * in one `BEGIN IMMEDIATE` transaction, or nothing, and then anchors the audit chain's new head.
 * The primitives (`claimDecision`, `intend`, `complete`) are public too, each atomic on its own.
 *
 * The methods are synchronous underneath (node:sqlite); the repository methods return promises so
 * that another store (Postgres, for several replicas) can implement the same interface.
 */
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { ChatopsError } from '../core/errors.ts';
import { CLOSED_PHASES, type Effect, type Onboarding, type Phase } from '../core/onboarding/machine.ts';
import type {
  AuditEntry,
  Change,
  ClaimResult,
  CommitResult,
  DecisionClaim,
  EffectResult,
  JournalEntry,
  OnboardingFilter,
  OnboardingRepository,
} from '../core/onboarding/repository.ts';
import { type AuditAnchor, AuditLog, type AuditVerification } from './audit-log.ts';
import { isUniqueViolation, openDatabase, transaction } from './sqlite.ts';

export const DATABASE_FILE_NAME = 'sentinel-chatops.sqlite';

export interface StoreOptions {
  /** The data directory (created if missing). */
  readonly dataDir: string;
  /** The audit log's HMAC key, from configuration (at least 16 bytes). */
  readonly auditKey: string | Uint8Array;
  /** Every new audit anchor, for the log stream. */
  readonly onAnchor?: (anchor: AuditAnchor) => void;
  /** Default `sentinel-chatops.sqlite`. */
  readonly fileName?: string;
}

export interface StoredDecision {
  readonly onboardingId: string;
  readonly step: string;
  readonly outcome: 'approved' | 'rejected';
  readonly by: string;
  readonly at: number;
  readonly reason?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (s: string) => Date.parse(s);
const CLOSED_SQL = CLOSED_PHASES.map((p) => `'${p}'`).join(', ');

/** Thrown inside a transaction to roll it back with an ordinary answer. */
class Abort {
  readonly result: CommitResult;
  constructor(result: CommitResult) {
    this.result = result;
  }
}

export class SqliteOnboardingStore implements OnboardingRepository {
  readonly #db: DatabaseSync;
  readonly #audit: AuditLog;
  readonly path: string;

  constructor(options: StoreOptions) {
    this.path = join(options.dataDir, options.fileName ?? DATABASE_FILE_NAME);
    const db = openDatabase(this.path);
    try {
      this.#audit = new AuditLog(db, { dataDir: options.dataDir, key: options.auditKey, onAnchor: options.onAnchor });
    } catch (err) {
      db.close();
      throw err;
    }
    this.#db = db;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  // --- OnboardingRepository --------------------------------------------------------------

  async get(id: string): Promise<Onboarding | undefined> {
    return this.getSync(id);
  }

  async list(filter: OnboardingFilter = {}): Promise<Onboarding[]> {
    return this.listSync(filter);
  }

  async commit(change: Change): Promise<CommitResult> {
    return this.commitSync(change);
  }

  async pendingEffects(): Promise<JournalEntry[]> {
    return this.pendingEffectsSync();
  }

  async audit(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    transaction(this.#db, () => this.#audit.append(entries));
    this.#audit.anchor();
  }

  // --- synchronous API --------------------------------------------------------------------

  getSync(id: string): Onboarding | undefined {
    const row = this.#db.prepare('SELECT state FROM onboardings WHERE id = ?').get(id) as { state: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.state) as Onboarding);
  }

  listSync(filter: OnboardingFilter = {}): Onboarding[] {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.open === true) where.push(`phase NOT IN (${CLOSED_SQL})`);
    if (filter.open === false) where.push(`phase IN (${CLOSED_SQL})`);
    if (filter.accountId !== undefined) {
      where.push('account_id = ?');
      params.push(filter.accountId);
    }
    if (filter.workspaceId !== undefined) {
      where.push('workspace_id = ?');
      params.push(filter.workspaceId.toLowerCase());
    }
    const sql = `SELECT state FROM onboardings ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY requested_at, id`;
    return (this.#db.prepare(sql).all(...params) as { state: string }[]).map((r) => JSON.parse(r.state) as Onboarding);
  }

  /** The open onboarding of an account and workspace, if any. */
  findOpen(accountId: string, workspaceId: string): Onboarding | undefined {
    return this.listSync({ open: true, accountId, workspaceId })[0];
  }

  commitSync(change: Change): CommitResult {
    let result: CommitResult;
    try {
      result = transaction(this.#db, () => {
        if (change.claim !== undefined) {
          const claim = this.claimDecision(change.claim);
          if (!claim.acquired) throw new Abort({ committed: false, reason: 'decided', by: claim.by, at: claim.at, outcome: claim.outcome });
        }
        if (change.complete !== undefined) this.complete(change.complete.effectId, change.complete.result, change.complete.at);
        if (change.state !== undefined) {
          if (change.create) this.#insert(change.state);
          else this.#update(change.state);
        }
        for (const fx of change.intend ?? []) this.intend(fx, change.state?.updatedAt ?? Date.now());
        this.#audit.append(change.audit ?? []);
        return { committed: true } as const;
      });
    } catch (err) {
      if (err instanceof Abort) return err.result;
      throw err;
    }
    if ((change.audit ?? []).length > 0) this.#audit.anchor();
    return result;
  }

  /**
   * Takes the decision on a step, TryLock style: exactly one claim per (onboarding, step) wins,
   * however many run at once (in this process or others); the others learn who won and when.
   */
  claimDecision(claim: DecisionClaim): ClaimResult;
  claimDecision(
    onboardingId: string,
    step: string,
    by: string,
    at: number,
    outcome?: 'approved' | 'rejected',
    reason?: string,
  ): ClaimResult;
  claimDecision(
    claimOrId: DecisionClaim | string,
    step?: string,
    by?: string,
    at?: number,
    outcome: 'approved' | 'rejected' = 'approved',
    reason?: string,
  ): ClaimResult {
    const c: DecisionClaim =
      typeof claimOrId === 'string' ? { onboardingId: claimOrId, step: step!, by: by!, at: at!, outcome, reason } : claimOrId;
    const inserted = this.#db
      .prepare('INSERT OR IGNORE INTO decisions (onboarding_id, step, outcome, decided_by, decided_at, reason) VALUES (?, ?, ?, ?, ?, ?)')
      .run(c.onboardingId, c.step, c.outcome, c.by, iso(c.at), c.reason ?? null);
    if (inserted.changes === 1) return { acquired: true };
    const won = this.#db
      .prepare('SELECT decided_by, decided_at, outcome FROM decisions WHERE onboarding_id = ? AND step = ?')
      .get(c.onboardingId, c.step) as { decided_by: string; decided_at: string; outcome: 'approved' | 'rejected' };
    return { acquired: false, by: won.decided_by, at: ms(won.decided_at), outcome: won.outcome };
  }

  decisions(onboardingId: string): StoredDecision[] {
    const rows = this.#db
      .prepare('SELECT onboarding_id, step, outcome, decided_by, decided_at, reason FROM decisions WHERE onboarding_id = ? ORDER BY rowid')
      .all(onboardingId) as {
      onboarding_id: string;
      step: string;
      outcome: 'approved' | 'rejected';
      decided_by: string;
      decided_at: string;
      reason: string | null;
    }[];
    return rows.map((r) => ({
      onboardingId: r.onboarding_id,
      step: r.step,
      outcome: r.outcome,
      by: r.decided_by,
      at: ms(r.decided_at),
      ...(r.reason === null ? {} : { reason: r.reason }),
    }));
  }

  /** Journals an effect as intended. Call in the transaction of the state that asks for it (commit does). */
  intend(effect: Effect, at: number): void {
    this.#db
      .prepare("INSERT INTO effects (id, onboarding_id, kind, op_id, effect, status, intended_at) VALUES (?, ?, ?, ?, ?, 'intended', ?)")
      .run(effect.id, effect.onboardingId, effect.kind, effect.opId, JSON.stringify(effect), iso(at));
  }

  /** Records an intended effect's result. Completing one twice, or one never intended, is a bug. */
  complete(effectId: string, result: EffectResult, at: number): void {
    const r = this.#db
      .prepare("UPDATE effects SET status = ?, completed_at = ?, result = ? WHERE id = ? AND status = 'intended'")
      .run(result.ok ? 'done' : 'failed', iso(at), JSON.stringify(result), effectId);
    if (r.changes !== 1)
      throw new ChatopsError('internal', `effect ${effectId} cannot be completed: it is not in the journal as intended (this is a bug)`);
  }

  pendingEffectsSync(): JournalEntry[] {
    return (
      this.#db.prepare("SELECT effect, intended_at FROM effects WHERE status = 'intended' ORDER BY intended_at, rowid").all() as {
        effect: string;
        intended_at: string;
      }[]
    ).map((r) => ({ effect: JSON.parse(r.effect) as Effect, status: 'intended', intendedAt: ms(r.intended_at) }));
  }

  /** The journal of one onboarding, in the order the effects were intended. */
  journal(onboardingId: string): JournalEntry[] {
    const rows = this.#db
      .prepare('SELECT effect, status, intended_at, completed_at, result FROM effects WHERE onboarding_id = ? ORDER BY intended_at, rowid')
      .all(onboardingId) as {
      effect: string;
      status: JournalEntry['status'];
      intended_at: string;
      completed_at: string | null;
      result: string | null;
    }[];
    return rows.map((r) => ({
      effect: JSON.parse(r.effect) as Effect,
      status: r.status,
      intendedAt: ms(r.intended_at),
      ...(r.completed_at === null ? {} : { completedAt: ms(r.completed_at) }),
      ...(r.result === null ? {} : { result: JSON.parse(r.result) as EffectResult }),
    }));
  }

  // --- audit ------------------------------------------------------------------------------

  verifyAudit(): AuditVerification {
    return this.#audit.verify();
  }

  /** The audit log as JSON lines, oldest first. */
  exportAudit(): Generator<string> {
    return this.#audit.exportJsonLines();
  }

  get auditLog(): AuditLog {
    return this.#audit;
  }

  /** For tests and operator tools: the underlying connection. */
  get database(): DatabaseSync {
    return this.#db;
  }

  // --- internals --------------------------------------------------------------------------

  #insert(s: Onboarding): void {
    try {
      this.#db
        .prepare(
          `INSERT INTO onboardings (id, account_id, workspace_id, workspace_name, mode, phase, version, requested_by, requested_at, updated_at, expires_at, state)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          s.id,
          s.plan.accountId,
          s.plan.workspace.workspaceId.toLowerCase(),
          s.plan.workspace.name,
          s.mode,
          s.phase,
          s.version,
          s.requestedBy,
          iso(s.requestedAt),
          iso(s.updatedAt),
          s.expiresAt === undefined ? null : iso(s.expiresAt),
          JSON.stringify(s),
        );
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const open = this.findOpen(s.plan.accountId, s.plan.workspace.workspaceId);
      if (open === undefined) throw new ChatopsError('conflict', `an onboarding with id ${s.id} exists already`, { cause: err });
      throw new Abort({ committed: false, reason: 'open_exists', id: open.id, phase: open.phase as Phase });
    }
  }

  #update(s: Onboarding): void {
    const r = this.#db
      .prepare('UPDATE onboardings SET phase = ?, version = ?, updated_at = ?, expires_at = ?, state = ? WHERE id = ? AND version = ?')
      .run(
        s.phase,
        s.version,
        iso(s.updatedAt),
        s.expiresAt === undefined ? null : iso(s.expiresAt),
        JSON.stringify(s),
        s.id,
        s.version - 1,
      );
    if (r.changes !== 1) throw new Abort({ committed: false, reason: 'stale' });
  }
}

/** Opens (creating and migrating as needed) the store under `dataDir`. */
export function openOnboardingStore(options: StoreOptions): SqliteOnboardingStore {
  return new SqliteOnboardingStore(options);
}
