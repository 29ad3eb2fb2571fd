/**
 * The schema, as numbered migrations. Each runs once, in its own transaction, and is recorded in
 * `schema_migrations`. Never edit a migration that has shipped: add the next number.
 */

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Phases after which an onboarding no longer holds its (account, workspace) slot (machine.ts CLOSED_PHASES). */
const CLOSED = "'rejected', 'expired', 'cancelled', 'disconnected'";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'onboardings, decisions, effect journal, audit log',
    sql: `
      CREATE TABLE onboardings (
        id             TEXT PRIMARY KEY,
        account_id     TEXT NOT NULL CHECK (length(account_id) = 12 AND account_id NOT GLOB '*[^0-9]*'),
        workspace_id   TEXT NOT NULL,
        workspace_name TEXT NOT NULL,
        mode           TEXT NOT NULL CHECK (mode IN ('bot_provisioned', 'self_service')),
        phase          TEXT NOT NULL,
        version        INTEGER NOT NULL,
        requested_by   TEXT NOT NULL,
        requested_at   TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        expires_at     TEXT,
        state          TEXT NOT NULL CHECK (json_valid(state))
      ) STRICT;
      -- One open onboarding per (AWS account, workspace), enforced by the database.
      CREATE UNIQUE INDEX onboardings_one_open ON onboardings (account_id, workspace_id)
        WHERE phase NOT IN (${CLOSED});
      CREATE INDEX onboardings_phase ON onboardings (phase);

      -- Who took each decision: the primary key lets exactly one claim per step win.
      CREATE TABLE decisions (
        onboarding_id TEXT NOT NULL REFERENCES onboardings (id),
        step          TEXT NOT NULL,
        outcome       TEXT NOT NULL CHECK (outcome IN ('approved', 'rejected')),
        decided_by    TEXT NOT NULL,
        decided_at    TEXT NOT NULL,
        reason        TEXT,
        PRIMARY KEY (onboarding_id, step)
      ) STRICT;

      -- The effect journal: intended (in the transaction of the state that asks for it), then done or failed.
      CREATE TABLE effects (
        id            TEXT PRIMARY KEY,
        onboarding_id TEXT NOT NULL REFERENCES onboardings (id),
        kind          TEXT NOT NULL,
        op_id         TEXT NOT NULL,
        effect        TEXT NOT NULL CHECK (json_valid(effect)),
        status        TEXT NOT NULL CHECK (status IN ('intended', 'done', 'failed')),
        intended_at   TEXT NOT NULL,
        completed_at  TEXT,
        result        TEXT CHECK (result IS NULL OR json_valid(result))
      ) STRICT;
      CREATE INDEX effects_intended ON effects (intended_at) WHERE status = 'intended';
      CREATE INDEX effects_onboarding ON effects (onboarding_id);

      -- Append-only and hash-chained (audit-log.ts); the triggers stop accidents, the chain and its
      -- anchor outside the database detect the rest.
      CREATE TABLE audit_log (
        seq           INTEGER PRIMARY KEY,
        at            TEXT NOT NULL,
        actor         TEXT NOT NULL,
        action        TEXT NOT NULL,
        onboarding_id TEXT,
        details       TEXT NOT NULL CHECK (json_valid(details)),
        prev_hash     TEXT NOT NULL,
        hash          TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_onboarding ON audit_log (onboarding_id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `,
  },
];
