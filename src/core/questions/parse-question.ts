/**
 * A question in plain words (English or simplified Chinese) → an Intent, deterministically: no
 * LLM, no I/O; `now` and the time zone are parameters. Never throws for any text, and runs in
 * time linear in its length (questions longer than MAX_QUESTION_LENGTH are refused at once).
 *
 * Stages, each reading what the earlier ones left (a span, once read, is not read again):
 *
 *   1. normalize   NFKC, controls and format characters out, one space (text-normalize.ts);
 *                  language: zh when the text has a Han character, else en
 *   2. time        "last 30 days", "本周", "since 2026-10-01" (time-window.ts)
 *   3. values      IAM user/role ARNs, account IDs (12 digits), region codes, "x.amazonaws.com",
 *                  user/role names ("user alice", "用户 alice", "what did alice do", quoted), "event X"
 *   4. limit       "top 5", "前5", "最多的5个"
 *   5. words       the lexicon, leftmost-longest (lexicon.ts): topics, groupings, services,
 *                  region names, known event names
 *   6. event names CamelCase API names as written ("DeleteTrail")
 *   7. leftovers   words not understood → `ignored`; time words among them refuse the question
 *   8. decide      kind, grouping and outcome (below) → Intent, or a refusal with suggestions
 *
 * Which kind, when several topics are named: the most specific wins, in this order
 *   1. console_logins_without_mfa   "without MFA", "未使用MFA"
 *   2. cloudtrail_tampering         "tampering", "logging stopped", StopLogging/DeleteTrail/…
 *   3. security_group_changes       "security groups", "安全组"
 *   4. iam_changes                  "IAM changes", "access keys", "policies", "changes" + IAM
 *   5. root_activity                "root", "根用户"
 *   6. access_denied                "AccessDenied", "unauthorized", "拒绝访问"
 *   7. console_logins               "console logins", "sign-ins", "登录", ConsoleLogin
 *   8. errors_over_time             "errors", "failed", "错误", "失败"
 *   9. new_regions / new_services   "new regions", "首次使用的服务"
 *  10. identity_activity            generic activity about a named user or role, or about an
 *                                   account ("activity of account X", "账户X…" first)
 *  11. by the grouping              source IP → top_source_ips, event → top_event_names,
 *                                   service/region/identity/account → activity_by_*,
 *                                   error code → errors_over_time by error
 *  12. activity_over_time           "activity", "events", "AWS", or only filters
 * A kind of 1-7 is passed over when the question's services or event names fall outside it
 * ("S3 bucket policy changes" is not an IAM change: answered as S3 activity). Topics that lost
 * are reported in `ignored` ("root console logins" → root activity, "console logins" ignored).
 * Nothing of these → refused as unknown, with the three closest supported questions.
 *
 * Names: "user X", "role X", "用户X", "what did X do", "X做了什么", quoted names and IAM ARNs
 * are identities; so are names after "activity/logins/errors/changes of|for|by X", before
 * "的活动/的登录/失败的…", and at the start of a Chinese question, unless they are keywords,
 * acronyms ("VPC") or CamelCase (event names).
 *
 * Grouping: one explicit grouping ("by region", "which users", "按区域", "哪些服务"; two different
 * ones are refused), else an implicit one by fixed priority — who/users, source IPs, event
 * names, regions, services, accounts, error codes — else, when the question ranks ("top 10",
 * "最活跃的"), a singular noun ("user", "身份") or "events". It becomes `groupBy` unless it is
 * what the kind already groups by (activity_by_region by region, top_event_names by event, …).
 *
 * Outcome: "failed"/"successful" (失败/成功) with console logins set `outcome`; with other
 * kinds "failed" means errors, or is reported in `ignored` when a more specific kind won.
 */
import { IAM_CHANGE_EVENTS, SECURITY_GROUP_EVENTS, TAMPERING_EVENTS } from './catalog.ts';
import type { Filters, GroupBy, Intent, Language, ParsedQuestion, QuestionKind } from './intent.ts';
import {
  isWordChar,
  KNOWN_EVENT_NAMES,
  MAX_ZH_STOPWORD_LENGTH,
  NOT_EVENT_NAMES,
  PHRASE_INDEX,
  phraseKey,
  REGION_CODE_SOURCE,
  SERVICES,
  type Signal,
  STOPWORDS_EN,
  STOPWORDS_ZH,
  TIME_MARKERS_ZH,
  TIME_WORDS_EN,
  type Topic,
} from './lexicon.ts';
import { EN_NUMBER_WORDS_SOURCE, parseCount, ZH_NUMBER_CHARS_SOURCE } from './numerals.ts';
import { type ParseProblem, refusalText } from './question-text.ts';
import { suggestQuestions } from './suggest.ts';
import { asciiLower, hasHan, isHanChar, normalizeQuestionText } from './text-normalize.ts';
import { findTimePhrases, isTimeZone, windowFromPhrases } from './time-window.ts';

/** Longer texts are refused without being read: a question fits in a chat line. */
export const MAX_QUESTION_LENGTH = 1000;
export const MAX_LIMIT = 50;

export interface ParseOptions {
  /** ms since the epoch: the end of rolling windows. */
  now: number;
  /** IANA zone for calendar words and axis labels; default UTC. */
  timeZone?: string;
}

const MASK = '\u2063'; // read spans are masked with a character no pattern matches
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
const NAME = `("[^"]{1,64}"|'[^']{1,64}'|[\\w+=,.@-]{1,64})`;
const NAME_END = '(?![\\w+=,.@-])';
const ACCOUNT_DIGITS = '(\\d{4}-\\d{4}-\\d{4}(?![0-9])|\\d+)';

const RE_ACCOUNT_EN = new RegExp(
  `(?<![0-9a-z])((?:of|for|by) )?(?:the )?(?:aws )?(?:account|acct)(?: id| number| no\\.?)?(?: ?[:#=] ?| )${ACCOUNT_DIGITS}(?![0-9])`,
  'g',
);
const RE_ACCOUNT_ZH = new RegExp(`(?:aws ?)?(?:账户|账号|帐户|帐号)(?:id|号码|号)? ?(?:[:#=] ?)?${ACCOUNT_DIGITS}(?![0-9])`, 'g');
const RE_ARN =
  /(?<![0-9a-z:])(?:(?:user|role|identity|principal|用户|角色) ?)?(arn:aws(?:-us-gov|-cn)?:(?:iam|sts)::\d{12}:(?:user|role|assumed-role)\/[\w+=,.@/-]{0,399}[\w+=,.@-])(?![\w+=,.@/-])/dg;
const RE_ACCOUNT_BARE = /(?<![0-9a-z_])(\d{4}-\d{4}-\d{4}|\d{12})(?![0-9a-z_])/g;
const RE_REGION = new RegExp(
  `(?<![0-9a-z-])(?:(?:aws )?(?:region|区域|地区) ?)?(${REGION_CODE_SOURCE})(?: ?(?:region|区域|地区))?(?![0-9a-z-])`,
  'g',
);
const RE_SOURCE = /(?<![0-9a-z.-])((?:[a-z0-9-]{1,63}\.){1,4}amazonaws\.com)(?![0-9a-z.-])/g;
const RE_IDENTITY_EN = new RegExp(
  `(?<![0-9a-z])(?:iam )?(?:user name|username|user|iam role|role|identity|principal|session|caller)(?: named| called)?(?: ?[:=] ?| )${NAME}${NAME_END}`,
  'dg',
);
const RE_IDENTITY_ZH = new RegExp(`(?:iam)?(?:用户名|用户|角色|身份|会话|调用者) ?(?:[:=] ?)?${NAME}${NAME_END}`, 'dg');
const RE_WHAT_DID = new RegExp(
  `(?<![0-9a-z])what (?:did|has|have|does|is) ${NAME} (?:do|done|doing|been doing|been up to|up to)(?![0-9a-z])`,
  'dg',
);
const RE_ACTIVITY_OF = new RegExp(
  `(?<![0-9a-z])(?:activity|activities|actions|events|api calls|calls|logins|log-ins|sign-ins|signins|errors|failures|changes) (?:of|for|by|from) ${NAME}${NAME_END}`,
  'dg',
);
const RE_ZH_DID = new RegExp(`(?<![\\w+=,.@-])${NAME} ?(?:都|最近)?(?:做了|干了)(?:些)?(?:什么|哪些|啥)`, 'dg');
const RE_ZH_OF = new RegExp(
  `(?<![\\w+=,.@-])${NAME} ?(?:的|的?失败的?|的?成功的?)(?:活动|操作|事件|调用|控制台登录|登录|错误|变更|失败)`,
  'dg',
);
const RE_ZH_LEADING = new RegExp(`^${NAME}(?= |\\p{Script=Han})`, 'dgu');
const RE_QUOTED = /"([^"]{1,64})"|'([^']{1,64})'/dg;
const RE_EVENT_EN = new RegExp(
  `(?<![0-9a-z])(?:event name|eventname|event|api call|api|action|operation)(?: named| called)?(?: ?[:=] ?| )${NAME}${NAME_END}`,
  'dg',
);
const RE_EVENT_ZH = new RegExp(`(?:事件名称|事件名|事件|api) ?(?:[:=] ?)?${NAME}${NAME_END}`, 'dg');
const RE_LIMIT_EN = new RegExp(`(?<![0-9a-z])top[ -]?(\\d{1,6}|${EN_NUMBER_WORDS_SOURCE})(?![0-9a-z])`, 'g');
const RE_LIMIT_EN_MOST = new RegExp(
  `(?<![0-9a-z])(\\d{1,6}|${EN_NUMBER_WORDS_SOURCE}) (?:most(?: active| common| frequent| used)?|busiest)(?![0-9a-z])`,
  'g',
);
const ZH_COUNT = `(\\d{1,6}|${ZH_NUMBER_CHARS_SOURCE}{1,8})`;
const RE_LIMIT_ZH = new RegExp(`(?:排名)?前 ?${ZH_COUNT} ?(?:个|名|位|种|项|大)?`, 'g');
const RE_LIMIT_ZH_MOST = new RegExp(`(?:最多|最常见|最活跃|最频繁|最常用)的? ?${ZH_COUNT} ?(?:个|名|位|种|项)`, 'g');
const RE_CAMEL = /(?<![A-Za-z0-9])[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+(?![A-Za-z0-9])/g;

const KNOWN_EVENTS = new Map(KNOWN_EVENT_NAMES.map((n) => [n.toLowerCase(), n as string]));
const TAMPERING: ReadonlySet<string> = new Set(TAMPERING_EVENTS);

/** Words that are never user or event names ("user activity", "event names", "role in"). */
let reservedWords: Set<string> | undefined;
function isReserved(word: string): boolean {
  if (!reservedWords) {
    reservedWords = new Set([...STOPWORDS_EN, ...TIME_WORDS_EN, 'named', 'called', 'root']);
    for (const list of PHRASE_INDEX.values()) {
      for (const [phrase] of list) for (const w of phrase.split(/[^a-z0-9]+/)) if (w) reservedWords.add(w);
    }
    for (const w of Object.keys(SERVICES)) for (const part of w.split(/[^a-z0-9]+/)) if (part) reservedWords.add(part);
    for (const n of ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten']) reservedWords.add(n);
  }
  return reservedWords.has(asciiLower(word));
}

const looksCamel = (w: string): boolean => /^[A-Z][a-z0-9]+[A-Z]/.test(w);

/** What the stages found. */
interface Found {
  topics: Map<Topic, string[]>;
  explicitGroups: GroupBy[];
  implicitGroups: Set<GroupBy>;
  nouns: Set<GroupBy>;
  accounts: string[];
  accountSubject: boolean;
  regions: string[];
  identities: string[];
  eventNames: string[];
  eventSources: string[];
  limit?: number;
  unsupported: string[];
  problems: ParseProblem[];
}

/** The text of a question with the spans already read, as masked views for the next stage. */
class Reading {
  readonly original: string;
  readonly lower: string;
  readonly read: Uint8Array;
  private cache: { lower: string; original: string } | undefined;

  constructor(original: string) {
    this.original = original;
    this.lower = asciiLower(original);
    this.read = new Uint8Array(original.length);
  }

  isFree(start: number, end: number): boolean {
    if (start < 0 || end > this.read.length || start >= end) return false;
    for (let i = start; i < end; i++) if (this.read[i]) return false;
    return true;
  }

  take(start: number, end: number): void {
    this.read.fill(1, start, end);
    this.cache = undefined;
  }

  private views(): { lower: string; original: string } {
    if (!this.cache) {
      let lower = '';
      let original = '';
      for (let i = 0; i < this.original.length; i++) {
        lower += this.read[i] ? MASK : this.lower[i];
        original += this.read[i] ? MASK : this.original[i];
      }
      this.cache = { lower, original };
    }
    return this.cache;
  }

  /** Runs a global regex over the masked lowercase view (or the masked original), match by match. */
  scan(re: RegExp, onMatch: (m: RegExpExecArray) => void, over: 'lower' | 'original' = 'lower'): void {
    const text = this.views()[over];
    re.lastIndex = 0;
    const matches: RegExpExecArray[] = [];
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) re.lastIndex++;
      else matches.push(m);
    }
    for (const m of matches) onMatch(m);
  }
}

/** The value of a NAME group (quotes removed), if it is a valid IAM-style name and not a keyword. */
function nameValue(reading: Reading, m: RegExpExecArray, group: number): { value: string; start: number; end: number } | undefined {
  const span = m.indices?.[group];
  if (!span) return undefined;
  let [start, end] = span;
  let value = reading.original.slice(start, end);
  const quoted = value.startsWith('"') || value.startsWith("'");
  if (quoted) value = value.slice(1, -1);
  else {
    while (value.length > 0 && (value.endsWith('.') || value.endsWith(','))) {
      value = value.slice(0, -1);
      end--;
    }
  }
  if (!IAM_NAME.test(value) || /^[.,@=+-]/.test(value) || /^\d+$/.test(value)) return undefined;
  if (!quoted && isReserved(value)) return undefined;
  if (!reading.isFree(start, end)) return undefined;
  return { value, start, end };
}

function addTopic(found: Found, topic: Topic, word: string): void {
  const words = found.topics.get(topic);
  if (words) words.push(word);
  else found.topics.set(topic, [word]);
}

function applySignal(found: Found, signal: Signal, text: string): void {
  switch (signal.type) {
    case 'topic':
      addTopic(found, signal.topic, text);
      break;
    case 'group':
      if (signal.explicit) found.explicitGroups.push(signal.by);
      else found.implicitGroups.add(signal.by);
      break;
    case 'noun':
      found.nouns.add(signal.by);
      break;
    case 'service':
      found.eventSources.push(signal.source);
      break;
    case 'region':
      found.regions.push(signal.region);
      break;
    case 'event':
      found.eventNames.push(signal.name);
      break;
    case 'unsupported':
      found.unsupported.push(text);
      break;
  }
}

// ------------------------------------------------------------------------------- stage 3: values

/**
 * IAM ARNs as identities: user and assumed-role session ARNs as written (the builder matches
 * the caller's whole ARN); a role ARN by the role's name, since callers act as its sessions.
 */
function readArns(reading: Reading, found: Found): void {
  reading.scan(RE_ARN, (m) => {
    const [start, end] = m.indices?.[1] ?? [m.index, m.index + m[0].length];
    const arn = reading.original.slice(start, end);
    found.identities.push(/^arn:[^:]+:iam::\d{12}:role\//.test(arn) ? arn.slice(arn.lastIndexOf('/') + 1) : arn);
    reading.take(m.index, m.index + m[0].length);
  });
}

function readAccounts(reading: Reading, found: Found, language: Language): void {
  const accept = (digits: string, start: number, end: number, subject: boolean) => {
    const id = digits.replaceAll('-', '');
    if (id.length === 12) {
      found.accounts.push(id);
      const after = reading.lower.slice(end, end + 8);
      const before = reading.lower.slice(Math.max(0, start - 9), start);
      if (subject || /^ ?(?:do|done|做了|干了)/.test(after) || /what (?:did|has) $/.test(before) || (language === 'zh' && start === 0)) {
        found.accountSubject = true;
      }
    } else {
      found.problems.push({ code: 'bad_account', digits: id.slice(0, 40) });
    }
    reading.take(start, end);
  };
  reading.scan(RE_ACCOUNT_EN, (m) => accept(m[2], m.index + (m[1]?.length ?? 0), m.index + m[0].length, m[1] !== undefined));
  reading.scan(RE_ACCOUNT_ZH, (m) => {
    if (reading.isFree(m.index, m.index + m[0].length)) accept(m[1], m.index, m.index + m[0].length, false);
  });
  reading.scan(RE_ACCOUNT_BARE, (m) => {
    if (!reading.isFree(m.index, m.index + m[0].length)) return;
    const before = reading.lower.slice(Math.max(0, m.index - 4), m.index);
    accept(m[1], m.index, m.index + m[0].length, /(?:of|for) $/.test(before));
  });
}

function readRegionsAndSources(reading: Reading, found: Found): void {
  reading.scan(RE_REGION, (m) => {
    found.regions.push(m[1]);
    reading.take(m.index, m.index + m[0].length);
  });
  reading.scan(RE_SOURCE, (m) => {
    found.eventSources.push(m[1]);
    reading.take(m.index, m.index + m[0].length);
  });
}

/**
 * User and role names. Where no word says "user" or "role" (a name before 的活动, at the start
 * of a Chinese question, after "activity of"), acronyms ("VPC") and CamelCase words are taken
 * for products and event names, not people.
 */
function readIdentities(reading: Reading, found: Found, language: Language): void {
  const takeName = (m: RegExpExecArray, claimWhole: boolean, implied = false) => {
    const v = nameValue(reading, m, 1);
    if (!v) return;
    if (implied && (looksCamel(v.value) || /^[A-Z0-9]+$/.test(v.value))) return;
    if (!reading.isFree(claimWhole ? m.index : v.start, v.end)) return;
    found.identities.push(v.value);
    reading.take(claimWhole ? m.index : v.start, claimWhole ? m.index + m[0].length : v.end);
  };
  reading.scan(RE_IDENTITY_EN, (m) => takeName(m, true));
  reading.scan(RE_IDENTITY_ZH, (m) => takeName(m, true));
  reading.scan(RE_WHAT_DID, (m) => takeName(m, true));
  reading.scan(RE_ZH_DID, (m) => takeName(m, true));
  reading.scan(RE_ACTIVITY_OF, (m) => takeName(m, false, true));
  reading.scan(RE_ZH_OF, (m) => takeName(m, false, true));
  if (language === 'zh') reading.scan(RE_ZH_LEADING, (m) => takeName(m, false, true));
}

function readEventPatterns(reading: Reading, found: Found): void {
  const take = (m: RegExpExecArray) => {
    const v = nameValue(reading, m, 1);
    if (!v || !/^[A-Za-z][A-Za-z0-9]{1,127}$/.test(v.value)) return;
    found.eventNames.push(KNOWN_EVENTS.get(v.value.toLowerCase()) ?? v.value);
    reading.take(m.index, m.index + m[0].length);
  };
  reading.scan(RE_EVENT_EN, take);
  reading.scan(RE_EVENT_ZH, take);
}

function readQuoted(reading: Reading, found: Found): void {
  reading.scan(RE_QUOTED, (m) => {
    const value = m[1] ?? m[2];
    if (!IAM_NAME.test(value) || isReserved(value) || looksCamel(value) || !reading.isFree(m.index, m.index + m[0].length)) return;
    found.identities.push(value);
    reading.take(m.index, m.index + m[0].length);
  });
}

// ------------------------------------------------------------------------------- stage 4: limit

function readLimit(reading: Reading, found: Found): void {
  const take = (m: RegExpExecArray, rank: boolean) => {
    if (!reading.isFree(m.index, m.index + m[0].length)) return;
    const n = parseCount(m[1]);
    if (n === undefined) return;
    if (n < 1 || n > MAX_LIMIT) found.problems.push({ code: 'bad_limit', limit: n });
    else if (found.limit === undefined) found.limit = n;
    if (rank) addTopic(found, 'rank', m[0]);
    reading.take(m.index, m.index + m[0].length);
  };
  reading.scan(RE_LIMIT_EN, (m) => take(m, true));
  reading.scan(RE_LIMIT_EN_MOST, (m) => take(m, true));
  reading.scan(RE_LIMIT_ZH_MOST, (m) => take(m, true));
  reading.scan(RE_LIMIT_ZH, (m) => take(m, true));
}

// ------------------------------------------------------------------------------- stage 5-6: words

function readPhrases(reading: Reading, found: Found): void {
  const text = reading.lower;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    const wordStart = isWordChar(c) && (i === 0 || !isWordChar(text.charCodeAt(i - 1)));
    if (reading.read[i] || (!wordStart && isWordChar(c))) {
      i++;
      continue;
    }
    const candidates = PHRASE_INDEX.get(phraseKey(text, i));
    let matched = 0;
    if (candidates) {
      for (const [phrase, signal] of candidates) {
        const end = i + phrase.length;
        if (end > n || !text.startsWith(phrase, i)) continue;
        if (isWordChar(phrase.charCodeAt(phrase.length - 1)) && end < n && isWordChar(text.charCodeAt(end))) continue;
        if (!reading.isFree(i, end)) continue;
        // "by region and service", "按区域和服务": a noun joined to an explicit grouping is one too.
        const joined =
          (signal.type === 'noun' || signal.type === 'group') &&
          found.explicitGroups.length > 0 &&
          /(?:(?<![a-z0-9])and |& |和|与|及)$/.test(text.slice(Math.max(0, i - 4), i));
        if (joined) found.explicitGroups.push(signal.by);
        else applySignal(found, signal, reading.original.slice(i, end));
        reading.take(i, end);
        matched = phrase.length;
        break;
      }
    }
    i += matched || 1;
  }
}

function readCamelEvents(reading: Reading, found: Found): void {
  reading.scan(
    RE_CAMEL,
    (m) => {
      if (m[0].length > 128 || NOT_EVENT_NAMES.has(m[0].toLowerCase())) return;
      found.eventNames.push(KNOWN_EVENTS.get(m[0].toLowerCase()) ?? m[0]);
      reading.take(m.index, m.index + m[0].length);
    },
    'original',
  );
}

// ------------------------------------------------------------------------------- stage 7: leftovers

const isLetterOrDigit = (ch: string): boolean => /[\p{L}\p{N}\p{M}]/u.test(ch);
const INNER = new Set(["'", '.', '_', '@', '+', '=', '-']);

/** Words nobody read, without stopwords: [latin-ish words, Han fragments], in text order. */
function leftovers(reading: Reading): { words: string[]; timeWords: string[] } {
  const words: string[] = [];
  const timeWords: string[] = [];
  const text = reading.original;
  const n = text.length;
  const pushWord = (w: string) => {
    const word = w.replace(/^['._@+=-]+|['._@+=-]+$/g, '').replace(/'s$/i, '');
    if (!word) return;
    const lower = asciiLower(word);
    if (STOPWORDS_EN.has(lower)) return;
    if (TIME_WORDS_EN.has(lower) || /^\d+(?:[a-z]+)$/.test(lower) || /^\d{4}[-/.]\d{1,2}/.test(lower)) timeWords.push(word);
    words.push(word);
  };
  const pushHan = (run: string) => {
    let fragment = '';
    const flush = () => {
      if (fragment) {
        words.push(fragment);
        if (TIME_MARKERS_ZH.some((t) => fragment.includes(t))) timeWords.push(fragment);
      }
      fragment = '';
    };
    for (let i = 0; i < run.length; ) {
      let stop = 0;
      for (let len = Math.min(MAX_ZH_STOPWORD_LENGTH, run.length - i); len >= 1; len--) {
        if (STOPWORDS_ZH.has(run.slice(i, i + len))) {
          stop = len;
          break;
        }
      }
      if (stop) {
        flush();
        i += stop;
      } else {
        fragment += run[i];
        i++;
      }
    }
    flush();
  };
  let i = 0;
  while (i < n) {
    if (reading.read[i]) {
      i++;
      continue;
    }
    const ch = text[i];
    if (isHanChar(ch)) {
      let j = i;
      while (j < n && !reading.read[j] && isHanChar(text[j])) j++;
      pushHan(text.slice(i, j));
      i = j;
    } else if (isLetterOrDigit(ch)) {
      let j = i;
      while (j < n && !reading.read[j] && !isHanChar(text[j]) && (isLetterOrDigit(text[j]) || INNER.has(text[j]))) j++;
      pushWord(text.slice(i, j));
      i = j;
    } else {
      i++;
    }
  }
  return { words, timeWords };
}

// ------------------------------------------------------------------------------- stage 8: decide

const SPECIFIC: readonly (readonly [Topic, QuestionKind])[] = [
  ['no_mfa', 'console_logins_without_mfa'],
  ['tampering', 'cloudtrail_tampering'],
  ['security_groups', 'security_group_changes'],
  ['iam_changes', 'iam_changes'],
  ['root', 'root_activity'],
  ['access_denied', 'access_denied'],
  ['login', 'console_logins'],
  ['errors', 'errors_over_time'],
  ['failure', 'errors_over_time'],
  ['new_regions', 'new_regions'],
  ['new_services', 'new_services'],
];

/** Implicit groupings, most telling first. */
const IMPLICIT_PRIORITY: readonly GroupBy[] = ['identity', 'source_ip', 'event', 'region', 'service', 'account', 'error'];

/** What a kind groups by without being asked: a grouping equal to it is not repeated in `groupBy`. */
const OWN_GROUPING: Partial<Record<QuestionKind, GroupBy>> = {
  activity_by_service: 'service',
  top_event_names: 'event',
  activity_by_region: 'region',
  activity_by_identity: 'identity',
  activity_by_account: 'account',
  top_source_ips: 'source_ip',
  new_regions: 'region',
  new_services: 'service',
  identity_activity: 'event',
};

const BY_GROUPING: Record<GroupBy, QuestionKind> = {
  service: 'activity_by_service',
  event: 'top_event_names',
  region: 'activity_by_region',
  identity: 'activity_by_identity',
  account: 'activity_by_account',
  source_ip: 'top_source_ips',
  error: 'errors_over_time',
};

function chooseGrouping(found: Found): { groupBy?: GroupBy; problem?: ParseProblem } {
  const explicit = [...new Set(found.explicitGroups)];
  if (explicit.length > 1) return { problem: { code: 'two_groupings', first: explicit[0], second: explicit[1] } };
  if (explicit.length === 1) return { groupBy: explicit[0] };
  const implicit = IMPLICIT_PRIORITY.find((g) => found.implicitGroups.has(g));
  if (implicit) return { groupBy: implicit };
  const ranked = found.topics.has('rank') || found.limit !== undefined;
  if (!ranked) return {};
  const noun = IMPLICIT_PRIORITY.find((g) => found.nouns.has(g));
  if (noun) return { groupBy: noun };
  if (found.topics.has('events')) return { groupBy: 'event' };
  return {};
}

/** Kinds that cover one service and a fixed set of events (catalog.ts). */
const LOGIN_SCOPE = { source: 'signin.amazonaws.com', events: new Set(['ConsoleLogin']) };
const KIND_SCOPE: Partial<Record<QuestionKind, { source: string; events: ReadonlySet<string> }>> = {
  iam_changes: { source: 'iam.amazonaws.com', events: new Set(IAM_CHANGE_EVENTS) },
  security_group_changes: { source: 'ec2.amazonaws.com', events: new Set(SECURITY_GROUP_EVENTS) },
  cloudtrail_tampering: { source: 'cloudtrail.amazonaws.com', events: TAMPERING },
  console_logins: LOGIN_SCOPE,
  console_logins_without_mfa: LOGIN_SCOPE,
};

/**
 * Whether the question's services and event names fall inside the kind's scope: "S3 bucket
 * policy changes" is not an IAM change, and IAM changes filtered to S3 would answer "none".
 * A kind out of scope is passed over for the next one in the precedence.
 */
function fitsScope(found: Found, kind: QuestionKind): boolean {
  const scope = KIND_SCOPE[kind];
  if (!scope) return true;
  return found.eventSources.every((s) => s === scope.source) && found.eventNames.every((e) => scope.events.has(e));
}

function chooseKind(found: Found, groupBy: GroupBy | undefined): QuestionKind | undefined {
  const t = found.topics;
  if (found.eventNames.some((e) => TAMPERING.has(e))) addTopic(found, 'tampering', '');
  if (found.eventNames.includes('ConsoleLogin')) addTopic(found, 'login', '');
  if (t.has('change') && found.eventSources.includes('iam.amazonaws.com')) addTopic(found, 'iam_changes', '');
  if (t.has('first_time')) {
    if (groupBy === 'region' || found.nouns.has('region')) addTopic(found, 'new_regions', '');
    else if (groupBy === 'service' || found.nouns.has('service')) addTopic(found, 'new_services', '');
  }
  for (const [topic, kind] of SPECIFIC) if (t.has(topic) && fitsScope(found, kind)) return kind;
  const generic =
    t.has('activity') ||
    t.has('events') ||
    t.has('domain') ||
    groupBy !== undefined ||
    found.accounts.length + found.regions.length + found.identities.length + found.eventNames.length + found.eventSources.length > 0;
  if (!generic) return undefined;
  if (found.identities.length > 0 || found.accountSubject) return 'identity_activity';
  if (groupBy !== undefined) return BY_GROUPING[groupBy];
  return 'activity_over_time';
}

const sortedUnique = (values: readonly string[]): string[] | undefined => {
  const out = [...new Set(values)].sort();
  return out.length ? out : undefined;
};

function filtersOf(found: Found, kind: QuestionKind): Filters {
  let sources = found.eventSources;
  if (kind === 'iam_changes') sources = sources.filter((s) => s !== 'iam.amazonaws.com');
  if (kind === 'cloudtrail_tampering') sources = sources.filter((s) => s !== 'cloudtrail.amazonaws.com');
  const events =
    kind === 'console_logins' || kind === 'console_logins_without_mfa'
      ? found.eventNames.filter((e) => e !== 'ConsoleLogin')
      : found.eventNames;
  const filters: Filters = {};
  const put = (key: keyof Filters, values: readonly string[]) => {
    const v = sortedUnique(values);
    if (v) filters[key] = v;
  };
  put('accounts', found.accounts);
  put('regions', found.regions);
  put('identities', found.identities);
  put('eventNames', events);
  put('eventSources', sources);
  return filters;
}

/** Topics each kind answers, besides the one that chose it ("access denied errors", "failed console logins"). */
const IMPLIED_TOPICS: Partial<Record<QuestionKind, readonly Topic[]>> = {
  console_logins_without_mfa: ['login', 'failure', 'success'],
  console_logins: ['failure', 'success'],
  access_denied: ['errors', 'failure'],
  errors_over_time: ['errors', 'failure'],
  iam_changes: ['change'],
  security_group_changes: ['change'],
  cloudtrail_tampering: ['change'],
  new_regions: ['first_time'],
  new_services: ['first_time'],
};

/**
 * Understood words that did not shape the answer, for `ignored`: a topic that lost to a more
 * specific one ("root console logins" → root activity; "console logins" ignored), a modifier
 * with nothing to modify ("failed IAM changes"), "per day".
 */
function unusedWords(found: Found, kind: QuestionKind): string[] {
  const used = new Set<Topic>(IMPLIED_TOPICS[kind] ?? []);
  for (const [topic, k] of SPECIFIC) if (k === kind) used.add(topic);
  const out = [...found.unsupported];
  for (const topic of [...SPECIFIC.map(([t]) => t), 'success', 'change', 'first_time'] as Topic[]) {
    if (!used.has(topic)) out.push(...(found.topics.get(topic) ?? []).filter((w) => w !== ''));
  }
  return out;
}

function refuse(language: Language, problem: ParseProblem, text: string, prefer?: QuestionKind): ParsedQuestion {
  return {
    ok: false,
    language,
    code: problem.code,
    reason: refusalText(problem, language),
    suggestions: suggestQuestions(text, language, { prefer }),
  };
}

/**
 * Parses a question. `now` must be a finite number (a RangeError otherwise: a caller's bug);
 * any text gives a result.
 */
export function parseQuestion(text: string, opts: ParseOptions): ParsedQuestion {
  if (!Number.isFinite(opts.now)) throw new RangeError(`parseQuestion: now must be a finite number of ms, not ${String(opts.now)}`);
  const raw = typeof text === 'string' ? text : String(text);

  // 1. normalize
  if (raw.length > 4 * MAX_QUESTION_LENGTH) {
    const language: Language = hasHan(raw.slice(0, MAX_QUESTION_LENGTH)) ? 'zh' : 'en';
    return refuse(language, { code: 'too_long', length: raw.length, max: MAX_QUESTION_LENGTH }, '');
  }
  const normalized = normalizeQuestionText(raw).replace(/^\/sentinel(?: ask)?(?: |$)/i, '');
  const language: Language = hasHan(normalized) ? 'zh' : 'en';
  if (normalized.length > MAX_QUESTION_LENGTH) {
    return refuse(language, { code: 'too_long', length: normalized.length, max: MAX_QUESTION_LENGTH }, '');
  }
  const timeZone = opts.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) return refuse(language, { code: 'bad_time_zone', timeZone: String(timeZone).slice(0, 80) }, normalized);

  const reading = new Reading(normalized);
  const found: Found = {
    topics: new Map(),
    explicitGroups: [],
    implicitGroups: new Set(),
    nouns: new Set(),
    accounts: [],
    accountSubject: false,
    regions: [],
    identities: [],
    eventNames: [],
    eventSources: [],
    unsupported: [],
    problems: [],
  };

  // 2. time
  const phrases = findTimePhrases(reading.lower, reading.original);
  for (const p of phrases) reading.take(p.start, p.end);
  const window = windowFromPhrases(phrases, { now: opts.now, timeZone });

  // 3. values
  readArns(reading, found);
  readAccounts(reading, found, language);
  readRegionsAndSources(reading, found);
  readIdentities(reading, found, language);
  readEventPatterns(reading, found);
  readQuoted(reading, found);
  // 4. limit
  readLimit(reading, found);
  // 5-6. words, event names
  readPhrases(reading, found);
  readCamelEvents(reading, found);
  // 7. leftovers
  const left = leftovers(reading);

  // 8. decide
  const grouping = chooseGrouping(found);
  let kind = chooseKind(found, grouping.groupBy);
  // Values alone ("… in Paris") make a question only when nothing else was said: "what is the
  // weather in Paris" is not a question about eu-west-3.
  const onlyValues =
    (kind === 'activity_over_time' || kind === 'identity_activity') && found.topics.size === 0 && grouping.groupBy === undefined;
  if (onlyValues && left.words.length > 0) kind = undefined;
  const problem: ParseProblem | undefined = !window.ok
    ? { code: 'bad_window', window: window.problem }
    : left.timeWords.length > 0
      ? { code: 'bad_window', window: { problem: 'unclear', words: left.timeWords.join(' ') } }
      : (found.problems[0] ?? grouping.problem ?? (kind === undefined ? { code: 'unknown_question' } : undefined));
  if (problem || !window.ok || kind === undefined) return refuse(language, problem ?? { code: 'unknown_question' }, normalized, kind);

  const loginKind = kind === 'console_logins' || kind === 'console_logins_without_mfa';
  const failure = found.topics.has('failure');
  const success = found.topics.has('success');
  const outcome = loginKind && failure !== success ? (failure ? 'failure' : 'success') : undefined;
  const groupBy = grouping.groupBy !== undefined && OWN_GROUPING[kind] !== grouping.groupBy ? grouping.groupBy : undefined;

  const intent: Intent = {
    kind,
    language,
    window: window.window,
    filters: filtersOf(found, kind),
    ...(groupBy !== undefined ? { groupBy } : {}),
    ...(found.limit !== undefined ? { limit: found.limit } : {}),
    ...(outcome !== undefined ? { outcome } : {}),
    timeZone,
  };
  const ignored = [...new Set([...left.words, ...unusedWords(found, kind)])];
  return { ok: true, intent, ignored };
}
