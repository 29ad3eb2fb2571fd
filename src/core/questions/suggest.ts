/**
 * The supported questions closest to a question the parser could not answer. The candidates are
 * the catalog's example questions (catalog.ts keeps them, one list per kind, for help text too).
 *
 * Each kind gets a vocabulary: the words of its examples in both languages and the lexicon's
 * words for its topic or grouping. A question's words (ASCII words, lightly stemmed, and
 * character pairs of Chinese) score the kinds whose vocabulary holds them, weighted by how few
 * kinds share the word (inverse document frequency); a word one or two edits (or swaps) away
 * from a vocabulary word ("activty", "regoin") counts at a discount. The best kinds give their first
 * example in the asker's language; ties keep catalog order; too few matches are filled with
 * the most asked-for kinds.
 */
import { catalog } from './catalog.ts';
import type { GroupBy, Language, QuestionKind } from './intent.ts';
import { PHRASE_INDEX, STOPWORDS_EN, TIME_WORDS_EN, type Topic } from './lexicon.ts';
import { asciiLower, isHanChar, normalizeQuestionText } from './text-normalize.ts';

export const SUGGESTION_COUNT = 3;
const DEFAULT_KINDS: readonly QuestionKind[] = ['activity_over_time', 'console_logins_without_mfa', 'top_event_names'];
const MAX_QUERY_TOKENS = 40;

const KIND_WORDS: Record<QuestionKind, { topics?: Topic[]; groups?: GroupBy[] }> = {
  activity_over_time: { topics: ['activity', 'events', 'domain'] },
  activity_by_service: { groups: ['service'] },
  top_event_names: { groups: ['event'] },
  activity_by_region: { groups: ['region'] },
  activity_by_identity: { groups: ['identity'] },
  activity_by_account: { groups: ['account'] },
  errors_over_time: { topics: ['errors', 'failure'], groups: ['error'] },
  access_denied: { topics: ['access_denied'] },
  console_logins: { topics: ['login'] },
  console_logins_without_mfa: { topics: ['no_mfa'] },
  root_activity: { topics: ['root'] },
  iam_changes: { topics: ['iam_changes'] },
  security_group_changes: { topics: ['security_groups'] },
  cloudtrail_tampering: { topics: ['tampering'] },
  top_source_ips: { groups: ['source_ip'] },
  new_regions: { topics: ['new_regions'] },
  new_services: { topics: ['new_services'] },
  identity_activity: {},
};

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** The scoring words of a text: stemmed ASCII words (no stopwords or time words) and Chinese character pairs. */
export function suggestionTokens(text: string): string[] {
  const lower = asciiLower(normalizeQuestionText(text).slice(0, 2000));
  const out = new Set<string>();
  for (const m of lower.matchAll(/[a-z][a-z0-9-]*|\d+/g)) {
    const w = m[0];
    if (w.length < 2 || /^\d+$/.test(w) || STOPWORDS_EN.has(w) || TIME_WORDS_EN.has(w)) continue;
    out.add(stem(w));
  }
  let run = '';
  const flush = () => {
    if (run.length === 1) out.add(run);
    for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
    run = '';
  };
  for (const ch of lower) {
    if (isHanChar(ch)) run += ch;
    else flush();
  }
  flush();
  return [...out];
}

interface Vocabulary {
  kindsOf: Map<string, Set<QuestionKind>>;
  idf: Map<string, number>;
  byLength: Map<number, string[]>;
}

let vocabulary: Vocabulary | undefined;

function buildVocabulary(): Vocabulary {
  const kindsOf = new Map<string, Set<QuestionKind>>();
  const add = (kind: QuestionKind, text: string) => {
    for (const t of suggestionTokens(text)) {
      const set = kindsOf.get(t) ?? new Set<QuestionKind>();
      set.add(kind);
      kindsOf.set(t, set);
    }
  };
  for (const entry of catalog) {
    for (const q of [...entry.examples.en, ...entry.examples.zh]) add(entry.kind, q);
    const words = KIND_WORDS[entry.kind];
    for (const list of PHRASE_INDEX.values()) {
      for (const [phrase, signal] of list) {
        if (signal.type === 'topic' && words.topics?.includes(signal.topic)) add(entry.kind, phrase);
        if (signal.type === 'group' && words.groups?.includes(signal.by)) add(entry.kind, phrase);
      }
    }
  }
  const idf = new Map<string, number>();
  const byLength = new Map<number, string[]>();
  for (const [token, kinds] of kindsOf) {
    idf.set(token, Math.log(1 + catalog.length / kinds.size));
    const list = byLength.get(token.length) ?? [];
    list.push(token);
    byLength.set(token.length, list);
  }
  return { kindsOf, idf, byLength };
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) if at most `max`, else max + 1 (stops early). */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2] + 1);
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    before = prev;
    prev = cur;
  }
  return prev[b.length] > max ? max + 1 : prev[b.length];
}

/**
 * The `count` (default 3) supported questions closest to `text`, in `language`. `prefer` puts
 * a kind first (the one the parser recognised before refusing for another reason).
 */
export function suggestQuestions(text: string, language: Language, opts: { prefer?: QuestionKind; count?: number } = {}): string[] {
  const count = opts.count ?? SUGGESTION_COUNT;
  vocabulary ??= buildVocabulary();
  const v = vocabulary;
  const scores = new Map<QuestionKind, number>();
  const credit = (token: string, weight: number) => {
    const idf = v.idf.get(token) ?? 0;
    for (const k of v.kindsOf.get(token) ?? []) scores.set(k, (scores.get(k) ?? 0) + weight * idf);
  };
  for (const q of suggestionTokens(text).slice(0, MAX_QUERY_TOKENS)) {
    if (v.kindsOf.has(q)) {
      credit(q, 1);
      continue;
    }
    if (!/^[a-z]/.test(q) || q.length < 4 || q.length > 24) continue;
    const max = q.length >= 7 ? 2 : 1;
    let best: string | undefined;
    let bestDistance = max + 1;
    for (let len = q.length - max; len <= q.length + max; len++) {
      for (const cand of v.byLength.get(len) ?? []) {
        const d = boundedEditDistance(q, cand, Math.min(max, bestDistance - 1));
        if (d < bestDistance) {
          bestDistance = d;
          best = cand;
        }
      }
    }
    if (best !== undefined) credit(best, 0.7);
  }
  const order = catalog.map((e) => e.kind);
  const ranked = order
    .filter((k) => (scores.get(k) ?? 0) > 0)
    .sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || order.indexOf(a) - order.indexOf(b));
  const kinds = [...new Set([...(opts.prefer ? [opts.prefer] : []), ...ranked, ...DEFAULT_KINDS, ...order])].slice(0, count);
  return kinds.map((k) => {
    const examples = catalog.find((e) => e.kind === k)?.examples;
    return (language === 'zh' ? examples?.zh[0] : examples?.en[0]) ?? '';
  });
}
