import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChartError } from '../../../../src/core/charts/chart-error.ts';
import { assertTimeZone, timeZoneLabel, toWallClock, zoneOffsetMs } from '../../../../src/core/charts/time-zone.ts';

const H = 3_600_000;

describe('time zones', () => {
  it('computes offsets, including half hours and DST', () => {
    const jan = Date.UTC(2025, 0, 15, 12);
    const jul = Date.UTC(2025, 6, 15, 12);
    assert.equal(zoneOffsetMs('UTC', jan), 0);
    assert.equal(zoneOffsetMs('Asia/Shanghai', jan), 8 * H);
    assert.equal(zoneOffsetMs('Asia/Kolkata', jan), 5.5 * H);
    assert.equal(zoneOffsetMs('America/New_York', jan), -5 * H);
    assert.equal(zoneOffsetMs('America/New_York', jul), -4 * H);
    assert.equal(toWallClock('Asia/Shanghai', Date.UTC(2025, 0, 1, 20)), Date.UTC(2025, 0, 2, 4));
  });

  it('keeps milliseconds', () => {
    assert.equal(toWallClock('Asia/Tokyo', Date.UTC(2025, 0, 1, 0, 0, 0, 250)), Date.UTC(2025, 0, 1, 9, 0, 0, 250));
  });

  it('labels zones for the axis', () => {
    assert.equal(timeZoneLabel('UTC'), 'UTC');
    assert.equal(timeZoneLabel('Etc/UTC', 0, 1), 'UTC');
    assert.equal(timeZoneLabel('Asia/Shanghai', 0, 30 * 24 * H), 'Asia/Shanghai, UTC+8');
    assert.equal(timeZoneLabel('Asia/Kolkata', 0, H), 'Asia/Kolkata, UTC+5:30');
    assert.equal(timeZoneLabel('America/Sao_Paulo', Date.UTC(2025, 0, 1), Date.UTC(2025, 0, 2)), 'America/Sao_Paulo, UTC−3');
    assert.equal(timeZoneLabel('Europe/Berlin', Date.UTC(2025, 0, 1), Date.UTC(2025, 11, 31)), 'Europe/Berlin', 'two DST changes inside');
  });

  it('refuses names that are not zones', () => {
    assert.throws(
      () => assertTimeZone('Not/AZone'),
      (e: unknown) => e instanceof ChartError && e.code === 'chart_bad_time_zone',
    );
    assert.doesNotThrow(() => assertTimeZone('Europe/London'));
  });
});
