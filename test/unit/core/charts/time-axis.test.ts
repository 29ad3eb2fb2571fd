import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timeAxis } from '../../../../src/core/charts/time-axis.ts';

const H = 3_600_000;
const D = 24 * H;

describe('time axis ticks', () => {
  it('labels days as "Nov 3" and thins 30 days to every other day, steady across month ends', () => {
    const a = timeAxis(0, 30 * D, 900);
    assert.deepEqual(a.tickCount, { interval: 'day', step: 1 });
    assert.match(a.labelExpr ?? '', /%b %-d/);
    assert.match(a.labelExpr ?? '', /864e5\) % 2/);
    assert.deepEqual(timeAxis(0, 14 * D, 900), { tickCount: { interval: 'day', step: 1 }, format: '%b %-d' });
  });

  it('uses times of day for short spans, weeks and months for long ones', () => {
    assert.equal(timeAxis(0, 24 * H, 900).tickCount.interval, 'hours');
    assert.match(timeAxis(0, 24 * H, 900).labelExpr ?? '', /%H:%M/);
    assert.deepEqual(timeAxis(0, 90 * D, 900), { tickCount: { interval: 'week', step: 1 }, format: '%b %-d' });
    assert.equal(timeAxis(0, 365 * D, 900).format, '%b %Y');
  });

  it('depends on the span, not on the dates', () => {
    assert.deepEqual(timeAxis(0, 30 * D, 900), timeAxis(1e12, 1e12 + 30 * D, 900));
  });
});

describe('time axis labels in Chinese', () => {
  it('writes dates as 11月3日 and months as 2026年11月, times of day as in English', () => {
    assert.deepEqual(timeAxis(0, 14 * D, 900, 'zh'), { tickCount: { interval: 'day', step: 1 }, format: '%-m月%-d日' });
    assert.match(timeAxis(0, 30 * D, 900, 'zh').labelExpr ?? '', /%-m月%-d日/);
    assert.match(timeAxis(0, 24 * H, 900, 'zh').labelExpr ?? '', /%H:%M/);
    assert.equal(timeAxis(0, 600 * D, 900, 'zh').format, '%Y年%-m月');
  });
});
