/**
 * The polling loop shared by the first-events probes (the local workspace's in sandbox mode, Log
 * Analytics' in real mode): look, and while nothing is there, wait with back-off until the
 * deadline; then report the events, or the likely causes. Time comes from the injected clock and
 * waiting from the injected `sleep`, so tests never sleep.
 */
import type { Clock } from '../../core/clock.ts';
import type { FirstEvent, FirstEventsOptions, FirstEventsResult } from '../../core/onboarding/gateways.ts';
import { isRetryable } from '../../core/onboarding/gateways.ts';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface PollSettings {
  readonly clock: Clock;
  /** Default: a timer that rejects with the signal's reason when aborted. */
  readonly sleep?: Sleep;
  /** Waits between looks; the last one repeats. */
  readonly delaysMs?: readonly number[];
}

/** Default back-off of the real probe: 15 s, 30 s, 1 min, 2 min, then every 5 min. */
export const DEFAULT_POLL_DELAYS_MS: readonly number[] = [15_000, 30_000, 60_000, 120_000, 300_000];

export const sleepWithSignal: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface PollHooks {
  /** One look: the account's first events, or none yet. Retryable errors count as "none yet". */
  look(): Promise<readonly FirstEvent[]>;
  /** At the deadline: what probably went wrong (and the last retryable error, if looks kept failing). */
  timedOut(lastError: unknown): Promise<{ likelyCauses: readonly string[]; healthErrors: readonly string[] }>;
}

export async function pollFirstEvents(hooks: PollHooks, options: FirstEventsOptions, settings: PollSettings): Promise<FirstEventsResult> {
  const sleep = settings.sleep ?? sleepWithSignal;
  const delays = settings.delaysMs ?? DEFAULT_POLL_DELAYS_MS;
  let lastError: unknown;
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw options.signal.reason;
    try {
      const events = await hooks.look();
      if (events.length > 0) return { timedOut: false, events: [...events] };
    } catch (err) {
      if (!isRetryable(err)) throw err;
      lastError = err;
    }
    const now = settings.clock.now();
    if (now >= options.deadline) return { timedOut: true, ...(await hooks.timedOut(lastError)) };
    const delay = delays.length === 0 ? 1000 : delays[Math.min(attempt, delays.length - 1)];
    await sleep(Math.max(0, Math.min(delay, options.deadline - now)), options.signal);
  }
}
