import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalog } from '../../../../src/core/questions/catalog.ts';
import type { QuestionKind } from '../../../../src/core/questions/intent.ts';
import { boundedEditDistance, suggestionTokens, suggestQuestions } from '../../../../src/core/questions/suggest.ts';

const first = (kind: QuestionKind, lang: 'en' | 'zh') => {
  const e = catalog.find((x) => x.kind === kind);
  if (!e) throw new Error(kind);
  return lang === 'zh' ? e.examples.zh[0] : e.examples.en[0];
};

describe('suggestQuestions', () => {
  it('puts the kind whose words the question uses first', () => {
    assert.equal(suggestQuestions('show me logins', 'en')[0], first('console_logins', 'en'));
    assert.equal(suggestQuestions('who deleted the trail', 'en')[0], first('cloudtrail_tampering', 'en'));
    assert.equal(suggestQuestions('ip addresses', 'en')[0], first('top_source_ips', 'en'));
    assert.equal(suggestQuestions('安全组', 'zh')[0], first('security_group_changes', 'zh'));
    assert.equal(suggestQuestions('拒绝', 'zh')[0], first('access_denied', 'zh'));
  });

  it('forgives typos and swapped letters', () => {
    assert.equal(suggestQuestions('consol loggins without mfa', 'en')[0], first('console_logins_without_mfa', 'en'));
    assert.equal(suggestQuestions('activty by regoin', 'en')[0], first('activity_by_region', 'en'));
  });

  it('answers in the asker\u2019s language, whatever words matched', () => {
    assert.equal(suggestQuestions('root', 'zh')[0], first('root_activity', 'zh'));
  });

  it('falls back to the most asked-for questions, three distinct ones', () => {
    const en = suggestQuestions('tell me a joke', 'en');
    assert.deepEqual(en, [first('activity_over_time', 'en'), first('console_logins_without_mfa', 'en'), first('top_event_names', 'en')]);
    assert.equal(new Set(suggestQuestions('', 'zh')).size, 3);
  });

  it('puts a preferred kind first', () => {
    assert.equal(suggestQuestions('anything', 'en', { prefer: 'new_services' })[0], first('new_services', 'en'));
    assert.equal(suggestQuestions('x', 'en', { count: 5 }).length, 5);
  });
});

describe('suggestion helpers', () => {
  it('tokens: stemmed English words without stopwords, Chinese character pairs', () => {
    assert.deepEqual(suggestionTokens('Show the failed Logins'), ['failed', 'login']);
    assert.deepEqual(suggestionTokens('控制台登录'), ['控制', '制台', '台登', '登录']);
  });

  it('edit distance counts swaps as one and stops past the bound', () => {
    assert.equal(boundedEditDistance('regoin', 'region', 2), 1);
    assert.equal(boundedEditDistance('activty', 'activity', 2), 1);
    assert.equal(boundedEditDistance('abc', 'xyz', 1), 2);
    assert.equal(boundedEditDistance('a', 'abcd', 1), 2);
  });
});
