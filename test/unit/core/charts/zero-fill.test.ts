import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gridPoints, MAX_FILL_POINTS, regularGrid } from '../../../../src/core/charts/zero-fill.ts';

const H = 3_600_000;

describe('regular grid detection', () => {
  it('finds the step of bin() output, gaps included, whatever the alignment', () => {
    const t0 = Date.UTC(2025, 0, 1, 13, 7);
    const grid = regularGrid([t0, t0 + H, t0 + 4 * H, t0 + 6 * H]);
    assert.deepEqual(grid, { start: t0, step: H, count: 7 });
    assert.deepEqual(
      gridPoints(grid!),
      [0, 1, 2, 3, 4, 5, 6].map((i) => t0 + i * H),
    );
  });

  it('finds the greatest common step when no two bins are adjacent', () => {
    assert.equal(regularGrid([0, 2 * H, 5 * H])?.step, H);
  });

  it('gives none for one value, sub-second steps, or too many points', () => {
    assert.equal(regularGrid([H]), undefined);
    assert.equal(regularGrid([0, 1500, 2000]), undefined, 'step 500 ms: raw timestamps');
    assert.equal(regularGrid([0, 1000, MAX_FILL_POINTS * 1000]), undefined);
  });
});
