/**
 * Time is injected: code that needs "now" takes a Clock, so approval expiry, windows and
 * back-off are testable without sleeping, and `--now <ISO>` fixes `now()` for reproducible output.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch (UTC). */
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that always answers the same instant (`--now`). */
export function fixedClock(at: number | Date): Clock {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`fixedClock: not a valid instant: ${String(at)}`);
  return Object.freeze({ now: () => ms });
}

/** A clock that tests move by hand; it refuses to go back in time. */
export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function manualClock(start: number): ManualClock {
  let current = start;
  return {
    now: () => current,
    set(ms) {
      if (ms < current) throw new RangeError(`manualClock: cannot go back from ${current} to ${ms}`);
      current = ms;
    },
    advance(ms) {
      if (ms < 0) throw new RangeError(`manualClock: cannot advance by a negative amount (${ms})`);
      current += ms;
    },
  };
}
