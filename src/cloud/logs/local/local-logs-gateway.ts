/**
 * The local workspace as a LogsGateway: queries run in a worker thread that
 * owns the data and the parser (query-worker.ts), so the caller's event loop
 * stays free to acknowledge chat requests while a query runs.
 */
import { Worker } from 'node:worker_threads';
import { ChatopsError, type ErrorCode } from '../../../core/errors.ts';
import type { LogsGateway, LogsQuery } from '../../../core/questions/logs-gateway.ts';
import type { QueryResult } from '../../../core/result-table.ts';
import type { WorkerRequest, WorkerResponse } from './query-worker.ts';

// Source runs as .ts (tests, type stripping); the build runs as .js.
const WORKER_URL = new URL(`./query-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class LocalLogsGateway implements LogsGateway {
  readonly #dataDir: string;
  #worker!: Worker;
  #ready!: Promise<number>;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #closing = false;

  constructor(dataDir: string) {
    this.#dataDir = dataDir;
    this.#start();
  }

  /** Resolves with the row count once the worker has loaded the data and warmed the parser. */
  ready(): Promise<number> {
    return this.#ready;
  }

  async query(q: LogsQuery): Promise<QueryResult> {
    await this.#ready;
    return (await this.#send({ type: 'query', query: q })) as QueryResult;
  }

  /** Re-reads the workspace from disk (after an import or a sandbox onboarding wrote to it). */
  async reload(): Promise<number> {
    await this.#ready;
    return ((await this.#send({ type: 'reload' })) as { rows: number }).rows;
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.#worker.terminate();
  }

  #start(): void {
    // execArgv: [] — a worker inherits the parent's flags, and some (--input-type with -e, the test
    // runner's) stop it from loading; it needs none of them.
    const worker = new Worker(WORKER_URL, { workerData: { dataDir: this.#dataDir }, execArgv: [] });
    this.#worker = worker;
    this.#ready = new Promise<number>((resolve, reject) => {
      const onMessage = (m: WorkerResponse) => {
        if (m.id === -1 && m.ok) {
          worker.off('error', onError);
          resolve((m.result as { rows: number }).rows);
        }
      };
      const onError = (e: Error) =>
        reject(new ChatopsError('environment', `the local workspace could not be loaded: ${e.message}`, { cause: e }));
      worker.on('message', onMessage);
      worker.once('error', onError);
    });
    this.#ready.catch(() => {});
    worker.on('message', (m: WorkerResponse) => {
      if (m.id === -1) return;
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new ChatopsError(m.error.code as ErrorCode, m.error.message));
    });
    worker.on('exit', (code) => {
      const failed = new ChatopsError(
        'unavailable',
        `the local workspace's query worker stopped (exit ${code}); the query was not run, try again`,
      );
      for (const p of this.#pending.values()) p.reject(failed);
      this.#pending.clear();
      if (!this.#closing) this.#start(); // replace a crashed worker so the next query works
    });
  }

  #send(req: { type: 'query'; query: LogsQuery } | { type: 'reload' }): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...req, id } satisfies WorkerRequest);
    });
  }
}
