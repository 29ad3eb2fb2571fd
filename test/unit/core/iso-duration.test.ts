import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIsoDuration } from '../../../src/core/iso-duration.ts';

test('durations in ms: weeks to seconds, fractions, any case, blanks around', () => {
  assert.equal(parseIsoDuration('P30D'), 30 * 86_400_000);
  assert.equal(parseIsoDuration('PT12H'), 12 * 3_600_000);
  assert.equal(parseIsoDuration(' p1dt6h '), 30 * 3_600_000);
  assert.equal(parseIsoDuration('P1W'), 7 * 86_400_000);
  assert.equal(parseIsoDuration('P1.5D'), 36 * 3_600_000);
  assert.equal(parseIsoDuration('PT0.5S'), 500);
});

test('not durations: empty parts, a bare T, years and months, other text', () => {
  for (const bad of ['', 'P', 'PT', 'P1DT', 'P1M', 'P1Y', '30d', 'P-1D', 'PT1H30']) assert.equal(parseIsoDuration(bad), undefined, bad);
});
