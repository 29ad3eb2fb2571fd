import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixedClock, manualClock, systemClock } from '../../../src/core/clock.ts';

describe('clocks', () => {
  it('the system clock follows Date.now', () => {
    const before = Date.now();
    const now = systemClock.now();
    assert.ok(now >= before && now <= Date.now());
  });

  it('a fixed clock always answers the same instant', () => {
    const c = fixedClock(new Date('2025-01-31T00:00:00Z'));
    assert.equal(c.now(), Date.parse('2025-01-31T00:00:00Z'));
    assert.equal(c.now(), c.now());
    assert.throws(() => fixedClock(Number.NaN), RangeError);
  });

  it('a manual clock moves forward only', () => {
    const c = manualClock(1000);
    c.advance(500);
    assert.equal(c.now(), 1500);
    c.set(2000);
    assert.equal(c.now(), 2000);
    assert.throws(() => c.set(1999), RangeError);
    assert.throws(() => c.advance(-1), RangeError);
  });
});
