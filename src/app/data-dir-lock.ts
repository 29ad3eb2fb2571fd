/**
 * One process writes the data directory at a time. The lock is `<dataDir>/.lock`, created with
 * `wx` (fails if it exists) and holding `{pid, hostname, startedAt, command, token}`.
 *
 * `tryLockDataDir` works like a TryLock: losing is an ordinary result that says who holds the lock.
 * A lock whose process is gone (same host, pid not alive, or our own pid left by an earlier run of a
 * container) is stale and taken over, under a short-lived `.lock.takeover` guard so that two
 * starting processes cannot both take it. A lock from another host cannot be checked and counts
 * as held. `lockDataDir` throws ChatopsError('locked') with a sentence for the operator.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { type Clock, systemClock } from '../core/clock.ts';
import { asChatopsError, ChatopsError } from '../core/errors.ts';
import { displayPath } from './config.ts';

export const LOCK_FILE_NAME = '.lock';
const TAKEOVER_SUFFIX = '.takeover';
/** A lock file without readable content that is younger than this is being written by a starting process. */
const FRESH_MS = 10_000;
const ATTEMPTS = 5;

export interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  /** What the holder runs, e.g. "serve" or "workspace import". */
  command?: string;
  token?: string;
}

export interface DataDirLock {
  readonly dataDir: string;
  readonly file: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
  releaseSync(): void;
}

export type TryLockResult =
  | { acquired: true; lock: DataDirLock }
  | { acquired: false; holder: LockHolder | undefined; file: string; sameHost: boolean };

export interface LockOptions {
  command?: string;
  clock?: Clock;
  pid?: number;
  hostname?: string;
  /** Default: `process.kill(pid, 0)` (EPERM counts as alive). */
  isAlive?: (pid: number) => boolean;
  /** Also release when the process exits (default true). */
  releaseOnExit?: boolean;
  /** For messages (default: the current directory). */
  cwd?: string;
}

/** Lock files held by this process, so our own pid in a lock file means "held" only if we really hold it. */
const heldHere = new Set<string>();

export async function tryLockDataDir(dataDir: string, options: LockOptions = {}): Promise<TryLockResult> {
  const file = join(dataDir, LOCK_FILE_NAME);
  const pid = options.pid ?? process.pid;
  const host = options.hostname ?? osHostname();
  const isAlive = options.isAlive ?? processIsAlive;
  const holder: LockHolder = {
    pid,
    hostname: host,
    startedAt: new Date((options.clock ?? systemClock).now()).toISOString(),
    command: options.command,
    token: randomUUID(),
  };
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (err) {
    throw asChatopsError(err);
  }

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await createExclusive(file, `${JSON.stringify(holder)}\n`)) {
      heldHere.add(file);
      return { acquired: true, lock: makeLock(dataDir, file, holder, options.releaseOnExit ?? true) };
    }
    const current = await readHolder(file);
    if (current === 'gone') continue;
    const sameHost = current === 'unreadable' || current.hostname === host;
    if (current === 'unreadable') {
      if (await isFresh(file)) return { acquired: false, holder: undefined, file, sameHost };
    } else {
      const ours = current.pid === pid && current.hostname === host;
      const live = current.hostname !== host || (ours ? heldHere.has(file) : isAlive(current.pid));
      if (live) return { acquired: false, holder: current, file, sameHost };
    }
    await takeOverStale(file, current);
  }
  throw new ChatopsError('locked', `could not lock ${file}: it keeps changing hands; try again`);
}

/** Takes the data directory's lock or throws ChatopsError('locked') saying who holds it and what to do. */
export async function lockDataDir(dataDir: string, options: LockOptions = {}): Promise<DataDirLock> {
  const result = await tryLockDataDir(dataDir, options);
  if (result.acquired) return result.lock;
  throw new ChatopsError('locked', lockedMessage(dataDir, result, options.cwd));
}

export function lockedMessage(dataDir: string, result: Extract<TryLockResult, { acquired: false }>, cwd?: string): string {
  const dir = displayPath(dataDir, cwd);
  const h = result.holder;
  if (h === undefined)
    return `data directory ${dir} is being locked by another process that is starting; try again in a moment or use --data-dir`;
  const what = h.command ? ` (sentinel-chatops ${h.command})` : '';
  const where = result.sameHost ? '' : ` on host ${h.hostname}`;
  const gone = result.sameHost ? '' : `; if that process is gone, delete ${displayPath(result.file, cwd)}`;
  return `data directory ${dir} is in use by process ${h.pid}${what}${where} since ${h.startedAt}; stop it or use --data-dir${gone}`;
}

async function createExclusive(file: string, content: string): Promise<boolean> {
  try {
    const handle = await open(file, 'wx', 0o644);
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw asChatopsError(err);
  }
}

async function readHolder(file: string): Promise<LockHolder | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw asChatopsError(err);
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (
      typeof h.pid === 'number' &&
      Number.isInteger(h.pid) &&
      h.pid > 0 &&
      typeof h.hostname === 'string' &&
      typeof h.startedAt === 'string'
    ) {
      return { pid: h.pid, hostname: h.hostname, startedAt: h.startedAt, command: h.command, token: h.token };
    }
  } catch {
    // fall through
  }
  return 'unreadable';
}

async function isFresh(file: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs < FRESH_MS;
  } catch {
    return false;
  }
}

/** Removes a stale lock file, unless someone else replaced it meanwhile. */
async function takeOverStale(file: string, seen: LockHolder | 'unreadable'): Promise<void> {
  const guard = file + TAKEOVER_SUFFIX;
  if (!(await createExclusive(guard, `${process.pid}\n`))) {
    // Another process is taking over; a guard left by a crash expires.
    if (!(await isFresh(guard))) await unlinkQuietly(guard);
    await new Promise((r) => setTimeout(r, 50));
    return;
  }
  try {
    const now = await readHolder(file);
    const unchanged =
      now === 'unreadable'
        ? seen === 'unreadable'
        : now !== 'gone' && seen !== 'unreadable' && now.token === seen.token && now.pid === seen.pid;
    if (unchanged) await unlinkQuietly(file);
  } finally {
    await unlinkQuietly(guard);
  }
}

function makeLock(dataDir: string, file: string, holder: LockHolder, releaseOnExit: boolean): DataDirLock {
  let released = false;
  const stillOurs = (text: string) => {
    try {
      return (JSON.parse(text) as LockHolder).token === holder.token;
    } catch {
      return false;
    }
  };
  const releaseSync = () => {
    if (released) return;
    released = true;
    heldHere.delete(file);
    process.removeListener('exit', releaseSync);
    // Synchronous on purpose: this also runs in the 'exit' handler.
    try {
      if (stillOurs(readFileSync(file, 'utf8'))) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  if (releaseOnExit) process.once('exit', releaseSync);
  return Object.freeze({
    dataDir,
    file,
    holder: Object.freeze({ ...holder }),
    release: async () => releaseSync(),
    releaseSync,
  });
}

async function unlinkQuietly(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch {
    // already gone
  }
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
