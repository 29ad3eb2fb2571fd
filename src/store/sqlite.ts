/**
 * Opening the SQLite database under the data directory, and running the migrations.
 *
 * Why Node's built-in `node:sqlite` (DatabaseSync) and not better-sqlite3: it ships with Node 24,
 * so there is no native addon to build or download per platform and Node ABI (nothing for `npm ci`
 * to compile, nothing to rebuild after a Node upgrade); and its synchronous API is what the store
 * wants anyway: every transaction is short and contains no `await`, so in one process transactions
 * can never interleave. Across processes, `BEGIN IMMEDIATE` and the busy timeout serialise writers.
 *
 * Settings: WAL (readers do not block the writer), `synchronous = FULL` (a committed intent or
 * decision survives a power cut: exactly-once depends on it), foreign keys on.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ChatopsError } from '../core/errors.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

export const BUSY_TIMEOUT_MS = 5000;

export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): DatabaseSync {
  mkdirSync(dirname(path), { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
  } catch (err) {
    throw new ChatopsError('environment', `cannot open the database ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    migrate(db, migrations, path);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Applies the migrations not applied yet, each in its own transaction. Returns the versions applied. */
export function migrate(db: DatabaseSync, migrations: readonly Migration[], label = 'the database'): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known)
    throw new ChatopsError(
      'environment',
      `${label} has schema version ${newest}, newer than this sentinel-chatops knows (${known}); run a newer sentinel-chatops, or point --data-dir elsewhere`,
    );
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    transaction(db, () => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    });
    done.push(m.version);
  }
  return done;
}

/** Runs `fn` in `BEGIN IMMEDIATE … COMMIT` (the write lock is taken at once), rolling back if it throws. */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

/** SQLite's extended result code for a UNIQUE constraint (`SQLITE_CONSTRAINT_UNIQUE`) or primary key. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { errcode?: unknown } | null)?.errcode;
  return code === 2067 || code === 1555;
}
