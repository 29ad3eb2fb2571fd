import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HashedStringSet, hashAll, hashString } from '../../../../../src/cloud/logs/local/string-hash.ts';

describe('hashString', () => {
  it('is a stable 32-bit hash of the UTF-16 code units', () => {
    assert.equal(hashString('AWSCloudTrail'), hashString(['AWS', 'Cloud', 'Trail'].join('')));
    assert.notEqual(hashString('a'), hashString('b'));
    for (const s of ['', 'x', '过去30天的AWS活动', '{"a":1}']) {
      const h = hashString(s);
      assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 32);
    }
    assert.deepEqual(Array.from(hashAll(['a', 'b', 'c'], 1)), [hashString('b'), hashString('c')]);
  });
});

describe('HashedStringSet', () => {
  it('adds, finds and grows', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `event-${i}`);
    const set = new HashedStringSet(ids.slice(0, 100), hashAll(ids.slice(0, 100)));
    for (const id of ids.slice(100)) assert.equal(set.add(id), true);
    assert.equal(set.add('event-7'), false);
    assert.equal(set.size, 5000);
    assert.ok(ids.every((id) => set.has(id)));
    assert.equal(set.has('event-5000'), false);
  });
});
