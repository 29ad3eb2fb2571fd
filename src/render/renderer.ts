/**
 * A pool of render workers (worker_threads), so drawing charts never blocks the event
 * loop that serves Slack and Teams. Each worker warms up at start (one tiny chart), then
 * takes one chart at a time; charts queue in order. A worker that crashes or overruns
 * its time limit fails the chart it was drawing with a coded RenderError and is replaced;
 * if workers keep dying before they are ready (fonts missing), the pool stops trying and
 * fails every waiting and later chart with the cause.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { RenderError } from './render-error.ts';
import type { RenderOptions } from './render-png.ts';
import type { RenderRequest, WorkerReply } from './worker-protocol.ts';

export interface RendererOptions {
  /** Worker threads; default one per core, at most 4. */
  workers?: number;
  /** Longest a chart may take once a worker has started drawing it; default 20 s. */
  timeoutMs?: number;
  /** The worker script; default render-worker.(ts|js) beside this file. For tests. */
  workerUrl?: URL;
}

export interface Renderer {
  /** Draws a vega-lite spec as a PNG in a worker. Rejects with a RenderError. */
  render(spec: TopLevelSpec, opts?: RenderOptions): Promise<Buffer>;
  /** Resolves once every worker has warmed up (rejects if they cannot start). */
  ready(): Promise<void>;
  /** Refuses new charts, lets the ones being drawn finish, fails queued ones, stops the workers. */
  close(): Promise<void>;
  readonly workers: number;
}

/** Consecutive workers that die before warming up, after which the pool gives up. */
export const MAX_START_FAILURES = 3;

const DEFAULT_WORKER_URL = new URL(`./render-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

interface Job {
  id: number;
  spec: TopLevelSpec;
  opts?: RenderOptions;
  resolve: (png: Buffer) => void;
  reject: (err: RenderError) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  lastError?: Error;
  /** The pool ended this worker on purpose (time-out, close): its exit is expected. */
  ended?: boolean;
}

export function createRenderer(options: RendererOptions = {}): Renderer {
  const size = options.workers ?? Math.min(4, availableParallelism());
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`renderer workers must be a positive integer, not ${size}`);
  const timeoutMs = options.timeoutMs ?? 20_000;
  const workerUrl = options.workerUrl ?? DEFAULT_WORKER_URL;

  const slots = new Set<Slot>();
  const queue: Job[] = [];
  /** Every chart asked for and not yet settled, so close() can let them finish. */
  const pending = new Set<Promise<Buffer>>();
  const readyWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let nextId = 1;
  let startFailures = 0;
  let broken: RenderError | undefined;
  let closing = false;

  function settleReadyWaiters(): void {
    if (broken) {
      for (const w of readyWaiters.splice(0)) w.reject(broken);
    } else if ([...slots].filter((s) => s.ready).length >= size) {
      for (const w of readyWaiters.splice(0)) w.resolve();
    }
    updateRefs();
  }

  function updateRefs(): void {
    const waiting = queue.length > 0 || readyWaiters.length > 0;
    for (const s of slots) {
      if (s.job || waiting) s.worker.ref();
      else s.worker.unref();
    }
  }

  function finish(slot: Slot): Job | undefined {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    return job;
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (!slot.ready || slot.job || slot.ended) continue;
      const job = queue.shift();
      if (!job) break;
      slot.job = job;
      slot.timer = setTimeout(() => {
        const timedOut = finish(slot);
        timedOut?.reject(
          new RenderError('render_timeout', `Drawing the chart took longer than ${timeoutMs} ms; the worker was stopped and replaced.`),
        );
        slot.ended = true;
        void slot.worker.terminate();
      }, timeoutMs);
      const req: RenderRequest = { type: 'render', id: job.id, spec: job.spec, opts: job.opts };
      try {
        slot.worker.postMessage(req);
      } catch (cause) {
        finish(slot);
        job.reject(
          new RenderError(
            'render_failed',
            `The chart spec cannot be sent to a worker (it must be plain JSON): ${(cause as Error).message}`,
            { cause },
          ),
        );
      }
    }
    updateRefs();
  }

  function onMessage(slot: Slot, msg: WorkerReply): void {
    if (msg.type === 'ready') {
      slot.ready = true;
      startFailures = 0;
      settleReadyWaiters();
    } else if (slot.job && msg.id === slot.job.id) {
      const job = finish(slot)!;
      if (msg.type === 'done') job.resolve(Buffer.from(msg.png));
      else job.reject(new RenderError(msg.code, msg.message));
    }
    dispatch();
  }

  function onExit(slot: Slot, exitCode: number): void {
    slots.delete(slot);
    const job = finish(slot);
    const why = slot.lastError ? slot.lastError.message : `exit code ${exitCode}`;
    if (job) {
      job.reject(
        new RenderError(
          'render_worker_crashed',
          `The chart worker stopped (${why}) while drawing this chart; it has been replaced, try again.`,
          {
            cause: slot.lastError,
          },
        ),
      );
    }
    if (closing) return;
    if (!slot.ready && !slot.ended) {
      startFailures++;
      if (startFailures >= MAX_START_FAILURES) {
        broken = new RenderError('render_unavailable', `Chart workers cannot start: ${why}`, { cause: slot.lastError });
        for (const queued of queue.splice(0)) queued.reject(broken);
        settleReadyWaiters();
        return;
      }
    }
    spawn();
    dispatch();
  }

  function spawn(): void {
    // execArgv: [] — a worker inherits the parent's flags, and some (--input-type with -e, the test
    // runner's) stop it from loading; it needs none of them.
    const slot: Slot = { worker: new Worker(workerUrl, { execArgv: [] }), ready: false };
    slots.add(slot);
    slot.worker.on('message', (msg: WorkerReply) => onMessage(slot, msg));
    slot.worker.on('error', (err) => {
      slot.lastError = err instanceof Error ? err : new Error(String(err));
    });
    slot.worker.on('exit', (code) => onExit(slot, code));
    updateRefs();
  }

  for (let i = 0; i < size; i++) spawn();

  return {
    workers: size,
    render(spec, opts) {
      if (broken) return Promise.reject(broken);
      if (closing) return Promise.reject(new RenderError('render_unavailable', 'The chart renderer is shutting down; try again shortly.'));
      const png = new Promise<Buffer>((resolve, reject) => {
        queue.push({ id: nextId++, spec, opts, resolve, reject });
        dispatch();
      });
      pending.add(png);
      const forget = () => pending.delete(png);
      png.then(forget, forget);
      return png;
    },
    ready() {
      return new Promise<void>((resolve, reject) => {
        readyWaiters.push({ resolve, reject });
        settleReadyWaiters();
        updateRefs();
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      const shutdown = new RenderError('render_unavailable', 'The chart renderer is shutting down; try again shortly.');
      for (const job of queue.splice(0)) job.reject(shutdown);
      for (const w of readyWaiters.splice(0)) w.reject(shutdown);
      await Promise.allSettled(pending);
      await Promise.all(
        [...slots].map((s) => {
          s.ended = true;
          return s.worker.terminate();
        }),
      );
      slots.clear();
    },
  };
}
