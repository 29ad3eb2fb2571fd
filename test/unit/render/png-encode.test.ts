import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodePng } from '../../../src/render/png-encode.ts';
import { decode } from './png-inspect.ts';

describe('encodePng', () => {
  it('writes an RGBA PNG that an independent decoder reads back pixel for pixel', async () => {
    const width = 37;
    const height = 11;
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgba.set([(i * 7) & 255, (i * 13) & 255, (i * 29) & 255, i % 5 ? 255 : 128], i * 4);
    }
    for (const level of [0, 1, 3, 9]) {
      const p = await decode(encodePng(rgba, width, height, { level }));
      assert.deepEqual([p.width, p.height, p.channels], [width, height, 4]);
      for (let i = 0; i < width * height; i++) {
        assert.deepEqual([...p.data.subarray(i * 4, i * 4 + 4)], [...rgba.subarray(i * 4, i * 4 + 4)], `pixel ${i} at level ${level}`);
      }
    }
  });

  it('refuses a buffer too small for the size', () => {
    assert.throws(() => encodePng(new Uint8Array(10), 2, 2), RangeError);
  });
});
