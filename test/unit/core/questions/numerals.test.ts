import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChineseNumber, parseCount, parseEnglishNumber } from '../../../../src/core/questions/numerals.ts';

describe('numerals', () => {
  it('reads Chinese numerals', () => {
    const cases: [string, number][] = [
      ['七', 7],
      ['十', 10],
      ['十五', 15],
      ['三十', 30],
      ['二十四', 24],
      ['两', 2],
      ['一百', 100],
      ['一百零五', 105],
      ['三百六十五', 365],
      ['零', 0],
    ];
    for (const [text, n] of cases) assert.equal(parseChineseNumber(text), n, text);
  });

  it('refuses what is not a Chinese number', () => {
    for (const text of ['', '二三', '十十', '十百', '七天', 'x']) assert.equal(parseChineseNumber(text), undefined, text);
  });

  it('reads English number words', () => {
    assert.equal(parseEnglishNumber('seven'), 7);
    assert.equal(parseEnglishNumber('Seventeen'), 17);
    assert.equal(parseEnglishNumber('twenty-four'), 24);
    assert.equal(parseEnglishNumber('thirty one'), 31);
    assert.equal(parseEnglishNumber('ninety'), 90);
    assert.equal(parseEnglishNumber('a hundred'), 100);
    assert.equal(parseEnglishNumber('twenty-ten'), undefined);
    assert.equal(parseEnglishNumber('many'), undefined);
  });

  it('parseCount takes digits, words or numerals', () => {
    assert.equal(parseCount('030'), 30);
    assert.equal(parseCount('ten'), 10);
    assert.equal(parseCount('十'), 10);
    assert.equal(parseCount('1e3'), undefined);
  });
});
