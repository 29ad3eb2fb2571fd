/**
 * No duplicate work: a layer over any LogsGateway that
 *
 * 1. serves identical queries once: the same identity, workspace, KQL text (whitespace runs and
 *    `//` comments outside string literals do not count) and window (`P1D` = `PT24H`), asked
 *    within `ttlMs` (default 60 s) of each other, share one run: a query in flight is joined
 *    (single-flight), a finished one is answered from a small LRU cache (`maxEntries`, default 50).
 *    A failed query is not cached: the next ask runs it again. Each caller gets its own copy of
 *    the result, so one caller's edits never reach another;
 * 2. runs at most `maxConcurrentPerIdentity` queries at once per querying identity (default 5:
 *    Log Analytics allows 5 concurrent queries per user); the rest wait in FIFO order and their
 *    callers hear `{state: 'queued', position}` (again when the position changes), then
 *    `{state: 'running'}`, so chat can say "queued". Joined and cached answers take no slot.
 *
 * "Identical window" means: the same duration, and ends (`now`, or the clock when the query has
 * none) less than `ttlMs` apart. So a question asked again 20 s later gets the answer computed
 * 20 s earlier; a fixed `--now` a day away does not.
 *
 * Pure: time comes from the injected Clock, expiry is checked on access (no timers), no I/O
 * besides the wrapped gateways'.
 */
import type { Clock } from '../clock.ts';
import { parseIsoDuration } from '../iso-duration.ts';
import type { QueryResult } from '../result-table.ts';
import type { LogsGateway, LogsQuery } from './logs-gateway.ts';

export type QueryProgress = { state: 'queued'; position: number } | { state: 'running' };

export interface SharedQueryOptions {
  /** Called when the query has to wait for a slot (with its 1-based place in line) and when it starts. May be called before `query()` returns. */
  onProgress?: (progress: QueryProgress) => void;
}

/** A LogsGateway whose `query` also takes progress options. */
export interface SharedLogsGateway extends LogsGateway {
  query(q: LogsQuery, options?: SharedQueryOptions): Promise<QueryResult>;
}

/** Whose query against which workspace: the cache key and the concurrency lane. */
export interface QueryScope {
  workspaceId: string;
  /** The Azure identity the queries run as (results are only shared within one identity, whose access they reflect). */
  identity: string;
}

export interface SharedQueriesOptions {
  clock: Clock;
  /** How long a result may be reused, and how far apart two windows' ends may be (default 60 000 ms). */
  ttlMs?: number;
  /** Results kept, least recently used dropped first (default 50). */
  maxEntries?: number;
  /** Queries run at once per identity (default 5). */
  maxConcurrentPerIdentity?: number;
}

export interface SharedQueriesStats {
  /** Answered from the cache. */
  hits: number;
  /** Joined a query in flight. */
  joins: number;
  /** Queries handed to a gateway. */
  runs: number;
  running: number;
  queued: number;
  cached: number;
}

interface Flight {
  key: string;
  now: number;
  listeners: Set<(p: QueryProgress) => void>;
  /** Where the flight stands, for callers who join it later. */
  progress: QueryProgress | undefined;
  promise: Promise<QueryResult>;
}

interface Entry {
  now: number;
  storedAt: number;
  result: QueryResult;
}

interface Lane {
  running: number;
  queue: { flight: Flight; run: () => void }[];
}

export class SharedQueries {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #maxConcurrent: number;
  readonly #flights = new Map<string, Flight>();
  readonly #cache = new Map<string, Entry>();
  readonly #lanes = new Map<string, Lane>();
  #hits = 0;
  #joins = 0;
  #runs = 0;

  constructor(options: SharedQueriesOptions) {
    this.#clock = options.clock;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#maxEntries = options.maxEntries ?? 50;
    this.#maxConcurrent = options.maxConcurrentPerIdentity ?? 5;
    if (!(this.#ttlMs >= 0)) throw new RangeError(`SharedQueries: ttlMs must be 0 or more (got ${this.#ttlMs})`);
    if (!(this.#maxEntries >= 0)) throw new RangeError(`SharedQueries: maxEntries must be 0 or more (got ${this.#maxEntries})`);
    if (!(Number.isInteger(this.#maxConcurrent) && this.#maxConcurrent >= 1))
      throw new RangeError(`SharedQueries: maxConcurrentPerIdentity must be a whole number of at least 1 (got ${this.#maxConcurrent})`);
  }

  /** `inner` seen through the cache, single-flight and the identity's concurrency limit. `close()` closes `inner`. */
  gateway(inner: LogsGateway, scope: QueryScope): SharedLogsGateway {
    return {
      query: (q, options) => this.#query(inner, scope, q, options?.onProgress),
      close: () => inner.close(),
    };
  }

  stats(): SharedQueriesStats {
    let running = 0;
    let queued = 0;
    for (const lane of this.#lanes.values()) {
      running += lane.running;
      queued += lane.queue.length;
    }
    return { hits: this.#hits, joins: this.#joins, runs: this.#runs, running, queued, cached: this.#cache.size };
  }

  #query(inner: LogsGateway, scope: QueryScope, q: LogsQuery, onProgress: ((p: QueryProgress) => void) | undefined): Promise<QueryResult> {
    const key = queryKey(scope, q);
    const clockNow = this.#clock.now();
    const now = q.now ?? clockNow;

    const entry = this.#cache.get(key);
    if (entry) {
      if (clockNow - entry.storedAt >= this.#ttlMs) this.#cache.delete(key);
      else if (Math.abs(now - entry.now) < this.#ttlMs) {
        this.#cache.delete(key); // most recently used goes last
        this.#cache.set(key, entry);
        this.#hits++;
        return Promise.resolve(copy(entry.result));
      }
    }

    const inFlight = this.#flights.get(key);
    if (inFlight && Math.abs(now - inFlight.now) < this.#ttlMs) {
      this.#joins++;
      if (onProgress) {
        inFlight.listeners.add(onProgress);
        if (inFlight.progress?.state === 'queued') notify(onProgress, inFlight.progress);
      }
      return inFlight.promise.then(copy);
    }

    return this.#fly(inner, scope, q, key, now, onProgress).promise.then(copy);
  }

  #fly(inner: LogsGateway, scope: QueryScope, q: LogsQuery, key: string, now: number, onProgress?: (p: QueryProgress) => void): Flight {
    const flight: Flight = {
      key,
      now,
      listeners: new Set(onProgress ? [onProgress] : []),
      progress: undefined,
      promise: undefined as unknown as Promise<QueryResult>,
    };
    this.#flights.set(key, flight);
    flight.promise = new Promise<QueryResult>((resolve, reject) => {
      const run = () => {
        const wasQueued = flight.progress?.state === 'queued';
        flight.progress = { state: 'running' };
        if (wasQueued) emit(flight, flight.progress);
        this.#runs++;
        const settle = () => {
          if (this.#flights.get(key) === flight) this.#flights.delete(key);
          flight.listeners.clear();
          this.#release(scope.identity);
        };
        Promise.resolve()
          .then(() => inner.query(q))
          .then(
            (result) => {
              settle();
              this.#store(key, now, result);
              resolve(result);
            },
            (err: unknown) => {
              settle();
              reject(err);
            },
          );
      };
      this.#acquire(scope.identity, flight, run);
    });
    return flight;
  }

  #acquire(identity: string, flight: Flight, run: () => void): void {
    let lane = this.#lanes.get(identity);
    if (!lane) {
      lane = { running: 0, queue: [] };
      this.#lanes.set(identity, lane);
    }
    if (lane.running < this.#maxConcurrent) {
      lane.running++;
      run();
      return;
    }
    lane.queue.push({ flight, run });
    flight.progress = { state: 'queued', position: lane.queue.length };
    emit(flight, flight.progress);
  }

  #release(identity: string): void {
    const lane = this.#lanes.get(identity);
    if (!lane) return;
    lane.running--;
    const next = lane.queue.shift();
    if (next) {
      lane.running++;
      next.run();
      lane.queue.forEach((waiting, i) => {
        waiting.flight.progress = { state: 'queued', position: i + 1 };
        emit(waiting.flight, waiting.flight.progress);
      });
    } else if (lane.running === 0) this.#lanes.delete(identity);
  }

  #store(key: string, now: number, result: QueryResult): void {
    if (this.#maxEntries === 0 || this.#ttlMs === 0) return;
    this.#cache.delete(key);
    this.#cache.set(key, { now, storedAt: this.#clock.now(), result });
    while (this.#cache.size > this.#maxEntries) {
      const oldest = this.#cache.keys().next().value as string;
      this.#cache.delete(oldest);
    }
  }
}

/** The cache key: identity, workspace, normalised KQL and window length. */
export function queryKey(scope: QueryScope, q: LogsQuery): string {
  return JSON.stringify([scope.identity, scope.workspaceId.toLowerCase(), normalizeKql(q.kql), windowKey(q.timespan)]);
}

/**
 * KQL with every run of whitespace outside string literals turned into one space, `//` comments
 * outside string literals dropped, and the ends trimmed. String literals ('…', "…" with backslash
 * escapes; @'…', @"…" verbatim; ```…``` multi-line) are kept byte for byte.
 */
export function normalizeKql(kql: string): string {
  let out = '';
  let space = false;
  let i = 0;
  const n = kql.length;
  const put = (s: string) => {
    if (space && out !== '') out += ' ';
    space = false;
    out += s;
  };
  while (i < n) {
    const c = kql[i];
    if (/\s/.test(c)) {
      space = true;
      i++;
    } else if (c === '/' && kql[i + 1] === '/') {
      while (i < n && kql[i] !== '\n') i++;
      space = true;
    } else if (kql.startsWith('```', i)) {
      const end = kql.indexOf('```', i + 3);
      const stop = end === -1 ? n : end + 3;
      put(kql.slice(i, stop));
      i = stop;
    } else if (c === '@' && (kql[i + 1] === "'" || kql[i + 1] === '"')) {
      const quote = kql[i + 1];
      let j = i + 2;
      while (j < n) {
        if (kql[j] === quote && kql[j + 1] === quote)
          j += 2; // a doubled quote inside a verbatim string
        else if (kql[j] === quote) break;
        else j++;
      }
      put(kql.slice(i, Math.min(n, j + 1)));
      i = j + 1;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && kql[j] !== c) j += kql[j] === '\\' ? 2 : 1;
      put(kql.slice(i, Math.min(n, j + 1)));
      i = j + 1;
    } else {
      put(c);
      i++;
    }
  }
  return out;
}

/** The window's length in ms (`P1D` and `PT24H` alike), or the text itself when it is not a duration. */
function windowKey(timespan: string | undefined): string {
  if (timespan === undefined) return '';
  const ms = parseIsoDuration(timespan);
  return ms === undefined ? timespan.trim().toUpperCase() : String(ms);
}

function emit(flight: Flight, progress: QueryProgress): void {
  for (const listener of flight.listeners) notify(listener, progress);
}

/** A listener that throws must not break the query or the other listeners. */
function notify(listener: (p: QueryProgress) => void, progress: QueryProgress): void {
  try {
    listener({ ...progress });
  } catch {
    // ignored: progress is advisory
  }
}

function copy(result: QueryResult): QueryResult {
  return structuredClone(result);
}
