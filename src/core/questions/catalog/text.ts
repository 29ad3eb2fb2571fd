/**
 * The words of the catalog and the builder, in English and Chinese (simplified): titles, axis
 * titles, group names and refusals. Kept in one module so tests compare against these entries,
 * not copied strings (STYLE.md point 9; move into src/core/messages/text.ts when that exists).
 */
import type { Filters, GroupBy, Language, TimeWindow } from '../intent.ts';
import { displaySafe, type StringProblem, truncateCodePoints } from '../kql-literal.ts';

export type Bilingual = { en: string; zh: string };

export const GROUP_NAMES: Readonly<Record<GroupBy, Bilingual>> = {
  service: { en: 'service', zh: '服务' },
  event: { en: 'event name', zh: '事件名称' },
  region: { en: 'region', zh: '区域' },
  identity: { en: 'identity', zh: '身份' },
  account: { en: 'account', zh: '账户' },
  source_ip: { en: 'source IP address', zh: '源 IP 地址' },
  error: { en: 'error code', zh: '错误代码' },
};

export const AXIS = {
  time: { en: 'Time', zh: '时间' },
  events: { en: 'Events', zh: '事件数' },
  logins: { en: 'Logins', zh: '登录次数' },
  errors: { en: 'Errors', zh: '错误数' },
  changes: { en: 'Changes', zh: '变更数' },
} as const satisfies Record<string, Bilingual>;

/** "Service", "服务": a group name as an axis title. */
export function groupAxis(g: GroupBy): Bilingual {
  const n = GROUP_NAMES[g];
  return { en: n.en[0].toUpperCase() + n.en.slice(1), zh: n.zh };
}

/** "AWS activity by region (top 10)" / "按区域统计的AWS 活动（前10）". */
export function byGroup(subject: Bilingual, g: GroupBy, top?: number): Bilingual {
  const n = GROUP_NAMES[g];
  return {
    en: `${subject.en} by ${n.en}${top === undefined ? '' : ` (top ${top})`}`,
    zh: `按${n.zh}统计的${subject.zh}${top === undefined ? '' : `（前${top}）`}`,
  };
}

/** A full title: what, the window in words, and the filters. Display text: never refused, only cleaned. */
export function fullTitle(what: Bilingual, window: TimeWindow, filters: Filters): Bilingual {
  const f = filterPhrases(filters);
  const en = `${what.en}, ${window.label.en}${f.en.length ? ` (${f.en.join('; ')})` : ''}`;
  const zh = `${what.zh}，${window.label.zh}${f.zh.length ? `（${f.zh.join('；')}）` : ''}`;
  return { en: displaySafe(en), zh: displaySafe(zh) };
}

const FILTER_NAMES: Readonly<Record<keyof Filters, Bilingual>> = {
  accounts: { en: 'account', zh: '账户' },
  regions: { en: 'region', zh: '区域' },
  identities: { en: 'identity', zh: '身份' },
  eventNames: { en: 'event', zh: '事件' },
  eventSources: { en: 'service', zh: '服务' },
};

export const FILTER_KEYS = [
  'accounts',
  'regions',
  'identities',
  'eventNames',
  'eventSources',
] as const satisfies readonly (keyof Filters)[];

/** Shown values per filter in a title, and code points per value. */
const SHOWN_VALUES = 3;
const SHOWN_LENGTH = 40;

function filterPhrases(filters: Filters): { en: string[]; zh: string[] } {
  const en: string[] = [];
  const zh: string[] = [];
  for (const key of FILTER_KEYS) {
    const values = filters[key];
    if (!values || values.length === 0) continue;
    const shown = values.slice(0, SHOWN_VALUES).map((v) => truncateCodePoints(v, SHOWN_LENGTH));
    const more = values.length - shown.length;
    en.push(`${FILTER_NAMES[key].en} ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
    zh.push(`${FILTER_NAMES[key].zh} ${shown.join('、')}${more > 0 ? ` 等${values.length}个` : ''}`);
  }
  return { en, zh };
}

/** Who an identity_activity question is about: "alice", "alice, bob", "account 123456789012". */
export function whoPhrase(filters: Filters): Bilingual {
  const ids = filters.identities ?? [];
  const accounts = filters.accounts ?? [];
  const short = (vs: string[]) => vs.slice(0, SHOWN_VALUES).map((v) => truncateCodePoints(v, SHOWN_LENGTH));
  if (ids.length > 0) {
    const more = ids.length > SHOWN_VALUES ? ids.length - SHOWN_VALUES : 0;
    return {
      en: short(ids).join(', ') + (more ? ` and ${more} more` : ''),
      zh: short(ids).join('、') + (more ? ` 等${ids.length}个身份` : ''),
    };
  }
  return { en: `account ${short(accounts).join(', ')}`, zh: `账户 ${short(accounts).join('、')}` };
}

// --- refusals: what is wrong and what to do, in the asker's language ---

export const LIMITS = {
  /** Values per filter. */
  values: 20,
  /** Code points per value. */
  valueLength: 256,
  /** Rows of a time series' zero-filled axis. */
  bins: 5000,
};

const PROBLEM_WORDS: Readonly<Record<StringProblem, Bilingual>> = {
  control_character: { en: 'a control character', zh: '控制字符' },
  lone_surrogate: { en: 'a broken Unicode character', zh: '损坏的 Unicode 字符' },
  bidi_control: { en: 'a text-direction control character', zh: '文字方向控制字符' },
  line_separator: { en: 'a line separator', zh: '行分隔符' },
};

export const refusal = {
  tooManyValues: (key: keyof Filters, n: number): Bilingual => ({
    en: `The ${FILTER_NAMES[key].en} filter has ${n} values; at most ${LIMITS.values} are allowed. Ask about fewer at a time.`,
    zh: `${FILTER_NAMES[key].zh}筛选有 ${n} 个值，最多允许 ${LIMITS.values} 个。请分几次询问。`,
  }),
  valueTooLong: (key: keyof Filters, length: number): Bilingual => ({
    en: `A ${FILTER_NAMES[key].en} value is ${length} characters long; at most ${LIMITS.valueLength} are allowed. Check the name and ask again.`,
    zh: `一个${FILTER_NAMES[key].zh}值长 ${length} 个字符，最多允许 ${LIMITS.valueLength} 个。请检查名称后重新提问。`,
  }),
  emptyValue: (key: keyof Filters): Bilingual => ({
    en: `A ${FILTER_NAMES[key].en} value is empty. Name the ${FILTER_NAMES[key].en} and ask again.`,
    zh: `一个${FILTER_NAMES[key].zh}值为空。请写明${FILTER_NAMES[key].zh}后重新提问。`,
  }),
  badCharacter: (key: keyof Filters, problem: StringProblem): Bilingual => ({
    en: `A ${FILTER_NAMES[key].en} value contains ${PROBLEM_WORDS[problem].en}, which no AWS name contains. Retype the name and ask again.`,
    zh: `一个${FILTER_NAMES[key].zh}值包含${PROBLEM_WORDS[problem].zh}，AWS 名称中不会出现这种字符。请重新输入名称后再提问。`,
  }),
  badAccount: (): Bilingual => ({
    en: 'An AWS account ID is 12 digits, e.g. 123456789012. Check the account ID and ask again.',
    zh: 'AWS 账户 ID 是 12 位数字，例如 123456789012。请检查账户 ID 后重新提问。',
  }),
  badLimit: (limit: unknown): Bilingual => ({
    en: `"Top ${String(limit)}" is not possible: ask for the top 1 to 50.`,
    zh: `无法显示"前 ${String(limit)}"：请指定 1 到 50 之间的数量。`,
  }),
  tooManyBins: (bins: number): Bilingual => ({
    en: `That time range needs ${bins} points on the chart; at most ${LIMITS.bins} are possible. Ask about a shorter time range.`,
    zh: `这个时间范围需要在图表上画 ${bins} 个点，最多只能画 ${LIMITS.bins} 个。请缩短时间范围。`,
  }),
  whoMissing: (): Bilingual => ({
    en: 'Whose activity? Name a user or role (e.g. "activity of alice last 7 days") or an account ID.',
    zh: '要查看谁的活动？请写明用户或角色名（例如"alice 过去7天的活动"）或账户 ID。',
  }),
};

export function inLanguage(text: Bilingual, language: Language): string {
  return language === 'zh' ? text.zh : text.en;
}
