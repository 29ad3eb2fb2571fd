import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binLabel, smallestStep, spansYears, timestampLabel } from '../../../../src/core/charts/time-labels.ts';

const H = 3_600_000;

describe('time labels', () => {
  const t = Date.UTC(2025, 10, 24, 20, 30);
  it('names a bin by its date, with the time of day for bins shorter than a day, in the zone', () => {
    assert.equal(binLabel(t, 'UTC'), 'Nov 24');
    assert.equal(binLabel(t, 'Asia/Shanghai'), 'Nov 25');
    assert.equal(binLabel(t, 'Asia/Shanghai', { stepMs: H }), 'Nov 25 04:30');
    assert.equal(binLabel(t, 'Asia/Shanghai', { stepMs: H, language: 'zh' }), '11月25日 04:30');
    assert.equal(binLabel(t, 'UTC', { withYear: true }), 'Nov 24, 2025');
    assert.equal(binLabel(t, 'UTC', { withYear: true, language: 'zh' }), '2025年11月24日');
  });

  it('writes full timestamps, with milliseconds only when there are some', () => {
    assert.equal(timestampLabel(t, 'UTC'), '2025-11-24 20:30:00');
    assert.equal(timestampLabel(t + 250, 'America/New_York'), '2025-11-24 15:30:00.250');
  });

  it('finds the bin size and whether times span years', () => {
    assert.equal(smallestStep([5 * H, H, 3 * H, H]), 2 * H);
    assert.equal(smallestStep([H]), undefined);
    assert.equal(spansYears([Date.UTC(2025, 11, 31, 20)], 'UTC'), false);
    assert.equal(spansYears([Date.UTC(2025, 11, 31, 12), Date.UTC(2025, 11, 31, 20)], 'Asia/Shanghai'), true);
  });
});
