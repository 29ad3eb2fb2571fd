/**
 * A worker thread for the concurrency test: opens its own connection to the store, waits for the
 * start signal (all workers released at once), claims the decision, and reports the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteOnboardingStore } from '../../../src/store/onboarding-store.ts';

const { dataDir, key, onboardingId, user, signal } = workerData as {
  dataDir: string;
  key: string;
  onboardingId: string;
  user: string;
  signal: SharedArrayBuffer;
};
const store = new SqliteOnboardingStore({ dataDir, auditKey: key });
const flag = new Int32Array(signal);
Atomics.add(flag, 1, 1);
Atomics.wait(flag, 0, 0);
const result = store.claimDecision(onboardingId, 'plan', user, Date.parse('2026-01-05T10:00:00Z') + Number(user.slice(2)));
store.close();
parentPort!.postMessage(result);
