/**
 * The append-only, hash-chained audit log, and its anchor outside the database.
 *
 * Chain: row n's hash = SHA-256 of the JSON array
 *   [previous row's hash, n, time, actor, action, onboarding id or null, details JSON text]
 * (the first row's "previous hash" is 64 zeros). Editing a row breaks its hash; deleting a row in
 * the middle breaks the sequence and the next row's link.
 *
 * Anchor: the chain alone cannot show that the newest rows were deleted, or that someone rewrote a
 * row and recomputed every hash after it. So after each commit the head (sequence and hash) is
 * written outside the database, to `audit-anchor.json` in the data directory, with an HMAC-SHA256
 * made with a key from configuration (which the database never sees), and handed to `onAnchor` for
 * the log stream. `verify()` checks the chain and then the anchor: a head older than the anchor,
 * or a row at the anchored sequence with another hash, is detected, and so is an anchor file
 * edited without the key.
 *
 * Before appending, the log checks that the anchored row is still as anchored, and refuses
 * (ChatopsError 'environment') otherwise: a tampered log is never silently re-anchored.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { ChatopsError } from '../core/errors.ts';
import type { AuditEntry } from '../core/onboarding/repository.ts';

export const ANCHOR_FILE_NAME = 'audit-anchor.json';
export const GENESIS_HASH = '0'.repeat(64);
const ANCHOR_CONTEXT = 'sentinel-chatops audit anchor v1';
const MIN_KEY_BYTES = 16;

export interface AuditRow {
  readonly seq: number;
  /** ISO 8601 UTC. */
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly onboardingId: string | null;
  /** The details as stored: the exact JSON text that was hashed. */
  readonly details: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** The chain's head as anchored outside the database. */
export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
  /** When it was written, ISO 8601 UTC. */
  readonly at: string;
  /** HMAC-SHA256 (hex) of the context, seq and hash, with the configured key. */
  readonly mac: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly rows: number;
  readonly head?: { readonly seq: number; readonly hash: string };
  readonly anchor?: { readonly seq: number; readonly hash: string; readonly at: string };
  /** One sentence per problem found (empty when ok). */
  readonly problems: readonly string[];
  /** Not proof of tampering: e.g. rows written after the last anchor (a crash between commit and anchor). */
  readonly warnings: readonly string[];
}

export interface AuditLogOptions {
  /** The data directory: the anchor file lives there. */
  readonly dataDir: string;
  /** The HMAC key (from configuration, at least 16 bytes). */
  readonly key: string | Uint8Array;
  /** Called with every new anchor: the app writes it to the log stream. */
  readonly onAnchor?: (anchor: AuditAnchor) => void;
}

export function rowHash(
  prevHash: string,
  seq: number,
  at: string,
  actor: string,
  action: string,
  onboardingId: string | null,
  details: string,
): string {
  return createHash('sha256')
    .update(JSON.stringify([prevHash, seq, at, actor, action, onboardingId, details]))
    .digest('hex');
}

export class AuditLog {
  readonly #db: DatabaseSync;
  readonly #key: Buffer;
  readonly #anchorPath: string;
  readonly #onAnchor: ((anchor: AuditAnchor) => void) | undefined;

  constructor(db: DatabaseSync, options: AuditLogOptions) {
    const key = typeof options.key === 'string' ? Buffer.from(options.key, 'utf8') : Buffer.from(options.key);
    if (key.length < MIN_KEY_BYTES)
      throw new ChatopsError(
        'config',
        `the audit log's HMAC key is ${key.length === 0 ? 'missing' : 'too short'}: give at least ${MIN_KEY_BYTES} bytes of secret (e.g. 32 random bytes, base64)`,
      );
    this.#db = db;
    this.#key = key;
    this.#anchorPath = join(options.dataDir, ANCHOR_FILE_NAME);
    this.#onAnchor = options.onAnchor;
  }

  get anchorPath(): string {
    return this.#anchorPath;
  }

  /**
   * Appends entries to the chain. Call inside the transaction of the change they record, then
   * `anchor()` after it commits. Refuses when the anchored row is not as anchored.
   */
  append(entries: readonly AuditEntry[]): void {
    if (entries.length === 0) return;
    this.#assertAnchoredRowIntact();
    let head = this.#head() ?? { seq: 0, hash: GENESIS_HASH };
    const insert = this.#db.prepare(
      'INSERT INTO audit_log (seq, at, actor, action, onboarding_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const e of entries) {
      const seq = head.seq + 1;
      const at = new Date(e.at).toISOString();
      const details = JSON.stringify(e.details);
      const onboardingId = e.onboardingId ?? null;
      const hash = rowHash(head.hash, seq, at, e.actor, e.action, onboardingId, details);
      insert.run(seq, at, e.actor, e.action, onboardingId, details, head.hash, hash);
      head = { seq, hash };
    }
  }

  /** Writes the current head to the anchor file (atomically) and to `onAnchor`. Call after commit. */
  anchor(now: number = Date.now()): AuditAnchor | undefined {
    const head = this.#head();
    if (head === undefined) return undefined;
    const anchor: AuditAnchor = { seq: head.seq, hash: head.hash, at: new Date(now).toISOString(), mac: this.#mac(head.seq, head.hash) };
    const tmp = `${this.#anchorPath}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(anchor)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.#anchorPath);
    this.#onAnchor?.(anchor);
    return anchor;
  }

  /** Checks every row's hash and link, then the head against the anchor. */
  verify(): AuditVerification {
    const problems: string[] = [];
    const warnings: string[] = [];
    let expectedSeq = 1;
    let prev: AuditRow | undefined;
    let rows = 0;
    const bySeq = new Map<number, string>();
    for (const row of this.rows()) {
      rows++;
      if (row.seq !== expectedSeq)
        problems.push(
          row.seq > expectedSeq
            ? expectedSeq === row.seq - 1
              ? `audit row ${expectedSeq} is missing (deleted).`
              : `audit rows ${expectedSeq}-${row.seq - 1} are missing (deleted).`
            : `audit row ${row.seq} is out of order.`,
        );
      const expectedPrev = prev?.hash ?? GENESIS_HASH;
      if (row.prevHash !== expectedPrev && row.seq === expectedSeq)
        problems.push(`audit row ${row.seq} does not link to row ${row.seq - 1} (its previous hash differs): the chain was altered.`);
      const hash = rowHash(row.prevHash, row.seq, row.at, row.actor, row.action, row.onboardingId, row.details);
      if (hash !== row.hash) problems.push(`audit row ${row.seq} was changed: its content does not match its hash.`);
      bySeq.set(row.seq, row.hash);
      prev = row;
      expectedSeq = row.seq + 1;
    }
    const head = prev === undefined ? undefined : { seq: prev.seq, hash: prev.hash };

    const read = this.#readAnchor();
    if (read.status === 'missing') {
      if (head !== undefined)
        problems.push(`the audit anchor file ${this.#anchorPath} is missing, so deleted or rewritten rows cannot be ruled out.`);
    } else if (read.status === 'invalid') {
      problems.push(`the audit anchor file ${this.#anchorPath} is not valid: ${read.why}`);
    } else {
      const a = read.anchor;
      if (head === undefined || a.seq > head.seq)
        problems.push(
          head === undefined
            ? `the audit log is empty, but the anchor records row ${a.seq}: every row was deleted.`
            : `the newest audit rows were deleted: the log ends at row ${head.seq}, the anchor records row ${a.seq}.`,
        );
      else if (bySeq.get(a.seq) !== a.hash)
        problems.push(`audit row ${a.seq} is not the row that was anchored at ${a.at}: the chain was rewritten (hashes recomputed).`);
      else if (a.seq < head.seq)
        warnings.push(
          `audit rows ${a.seq + 1}-${head.seq} were written after the last anchor (a crash before anchoring, or rows added without the key).`,
        );
    }
    return {
      ok: problems.length === 0,
      rows,
      ...(head === undefined ? {} : { head }),
      ...(read.status === 'ok' ? { anchor: { seq: read.anchor.seq, hash: read.anchor.hash, at: read.anchor.at } } : {}),
      problems,
      warnings,
    };
  }

  /** Every row, in sequence order. */
  *rows(): Generator<AuditRow> {
    const it = this.#db
      .prepare(
        'SELECT seq, at, actor, action, onboarding_id AS onboardingId, details, prev_hash AS prevHash, hash FROM audit_log ORDER BY seq',
      )
      .iterate();
    for (const r of it) yield r as unknown as AuditRow;
  }

  /** The log as JSON lines: one object per row, details parsed. */
  *exportJsonLines(): Generator<string> {
    for (const r of this.rows())
      yield `${JSON.stringify({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        onboardingId: r.onboardingId,
        details: JSON.parse(r.details),
        prevHash: r.prevHash,
        hash: r.hash,
      })}\n`;
  }

  #head(): { seq: number; hash: string } | undefined {
    return this.#db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  }

  #mac(seq: number, hash: string): string {
    return createHmac('sha256', this.#key).update(`${ANCHOR_CONTEXT}\n${seq}\n${hash}`).digest('hex');
  }

  #readAnchor(): { status: 'missing' } | { status: 'invalid'; why: string } | { status: 'ok'; anchor: AuditAnchor } {
    let raw: string;
    try {
      raw = readFileSync(this.#anchorPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
      return { status: 'invalid', why: (err as Error).message };
    }
    let a: Partial<AuditAnchor>;
    try {
      a = JSON.parse(raw) as Partial<AuditAnchor>;
    } catch {
      return { status: 'invalid', why: 'it is not JSON.' };
    }
    if (typeof a.seq !== 'number' || typeof a.hash !== 'string' || typeof a.mac !== 'string' || typeof a.at !== 'string')
      return { status: 'invalid', why: 'it lacks seq, hash, at or mac.' };
    const want = Buffer.from(this.#mac(a.seq, a.hash), 'hex');
    const got = Buffer.from(a.mac, 'hex');
    if (got.length !== want.length || !timingSafeEqual(got, want))
      return { status: 'invalid', why: 'its HMAC does not match (edited, or made with another key).' };
    return { status: 'ok', anchor: a as AuditAnchor };
  }

  #assertAnchoredRowIntact(): void {
    const read = this.#readAnchor();
    const head = this.#head();
    if (read.status === 'missing') {
      if (head === undefined) return;
      throw tampered(`the anchor file ${this.#anchorPath} is missing while the log has ${head.seq} rows`);
    }
    if (read.status === 'invalid') throw tampered(`the anchor file ${this.#anchorPath} is not valid: ${read.why}`);
    const row = this.#db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(read.anchor.seq) as { hash: string } | undefined;
    if (row?.hash !== read.anchor.hash) throw tampered(`audit row ${read.anchor.seq} is not the anchored one`);
  }
}

function tampered(what: string): ChatopsError {
  return new ChatopsError(
    'environment',
    `the audit log was changed outside sentinel-chatops (${what}); nothing more is recorded until an operator checks it with "sentinel-chatops audit verify"`,
  );
}
