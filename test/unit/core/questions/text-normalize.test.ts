import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asciiLower, hasHan, normalizeQuestionText } from '../../../../src/core/questions/text-normalize.ts';

describe('normalizeQuestionText', () => {
  it('folds full-width forms and quotes, drops controls and format characters, collapses spaces', () => {
    assert.equal(normalizeQuestionText('  过去３０天\u3000的ＡＷＳ活动：“alice” '), '过去30天 的AWS活动:"alice"');
    assert.equal(normalizeQuestionText('last\n30\tdays\u0000\u200b\u202e!'), 'last 30 days !');
    assert.equal(normalizeQuestionText('\ud800x\udfff'), '\ufffdx\ufffd');
  });

  it('lowercases ASCII only, so indices stay valid', () => {
    const s = 'İstanbul ConsoleLogin';
    assert.equal(asciiLower(s).length, s.length);
    assert.equal(asciiLower(s), 'İstanbul consolelogin');
  });

  it('detects Chinese by Han characters', () => {
    assert.equal(hasHan('AWS 活动'), true);
    assert.equal(hasHan('AWS activity 🚀 مرحبا'), false);
  });
});
