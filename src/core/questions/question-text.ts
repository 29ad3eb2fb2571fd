/**
 * The sentences the question parser says to people, in English and Chinese (STYLE 9: one
 * catalog of user-facing text; tests compare against these functions, not copied strings).
 * They belong in src/core/messages/text.ts once that catalog exists.
 */
import type { GroupBy, Language, RefusalCode } from './intent.ts';

/** What is wrong with the time words of a question. */
export type WindowProblem =
  /** "last 0 days" */
  | { problem: 'empty'; phrase: string }
  /** more than the longest window (365 days) */
  | { problem: 'too_long'; phrase: string; days: number; maxDays: number }
  /** minutes, seconds, calendar years */
  | { problem: 'unit'; unit: 'minute' | 'second' | 'year' }
  /** "since 2027-01-01" when that is still to come */
  | { problem: 'future'; date: string }
  /** "2026-02-30" */
  | { problem: 'not_a_date'; date: string }
  /** "3 days ago": a moment, not a window */
  | { problem: 'ago'; phrase: string }
  /** "between 2026-10-01 and 2026-10-05", "on 2026-10-01" */
  | { problem: 'range'; phrase: string }
  /** time words that were not understood ("past few days", "since Monday") */
  | { problem: 'unclear'; words: string }
  /** "yesterday and last week" */
  | { problem: 'two_windows'; first: string; second: string };

/** Why a question was refused, with what the sentence needs. */
export type ParseProblem =
  | { code: 'unknown_question' }
  | { code: 'too_long'; length: number; max: number }
  | { code: 'bad_time_zone'; timeZone: string }
  | { code: 'bad_window'; window: WindowProblem }
  | { code: 'bad_account'; digits: string }
  | { code: 'bad_limit'; limit: number }
  | { code: 'two_groupings'; first: GroupBy; second: GroupBy };

// A compile-time check that every refusal code has a problem shape and the other way round.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _codesMatch: SameKeys<ParseProblem['code'], RefusalCode> = true;
void _codesMatch;

const GROUP_NAMES: Record<GroupBy, { en: string; zh: string }> = {
  service: { en: 'service', zh: '服务' },
  event: { en: 'event name', zh: '事件名称' },
  region: { en: 'region', zh: '区域' },
  identity: { en: 'user', zh: '用户' },
  account: { en: 'account', zh: '账户' },
  source_ip: { en: 'source IP', zh: '来源IP' },
  error: { en: 'error code', zh: '错误代码' },
};

const TIME_HINT = {
  en: 'Try "last 30 days", "past 24 hours", "this week", "yesterday" or "since 2026-10-01".',
  zh: '可以说“过去30天”“过去24小时”“本周”“昨天”或“自2026-10-01以来”。',
};

export const HELP_COMMAND = '/sentinel help';

function windowText(w: WindowProblem, lang: Language): string {
  const zh = lang === 'zh';
  switch (w.problem) {
    case 'empty':
      return zh ? `“${w.phrase}”是空的时间范围，至少要1小时。` : `"${w.phrase}" is an empty window; ask for at least 1 hour.`;
    case 'too_long':
      return zh
        ? `“${w.phrase}”有${w.days}天，超过了最长的${w.maxDays}天。`
        : `"${w.phrase}" covers ${w.days} days, more than the longest window of ${w.maxDays} days.`;
    case 'unit':
      if (w.unit === 'year') {
        return zh
          ? '不支持按日历年查询；可以说“过去365天”或“自2026-01-01以来”。'
          : 'Calendar years are not supported; ask for "past 365 days" or "since 2026-01-01".';
      }
      return zh
        ? '时间范围以小时、天、周或月计（1小时到365天），不支持分钟和秒。'
        : 'Windows are counted in hours, days, weeks or months (1 hour to 365 days), not minutes or seconds.';
    case 'future':
      return zh ? `${w.date}还没到。` : `${w.date} is in the future.`;
    case 'not_a_date':
      return zh ? `${w.date}不是一个有效的日期。` : `${w.date} is not a date.`;
    case 'ago':
      return zh
        ? `“${w.phrase}”是一个时刻，不是时间范围；可以说“过去3天”或“自2026-10-01以来”。`
        : `"${w.phrase}" is a moment, not a window; ask for "last 3 days" or "since 2026-10-01".`;
    case 'range':
      return zh
        ? `还不支持单独的日期或两个日期之间的范围（“${w.phrase}”）。${TIME_HINT.zh}`
        : `Single dates and ranges between two dates are not supported yet ("${w.phrase}"). ${TIME_HINT.en}`;
    case 'unclear':
      return zh ? `没看懂时间“${w.words}”。${TIME_HINT.zh}` : `I could not read the time in "${w.words}". ${TIME_HINT.en}`;
    case 'two_windows':
      return zh
        ? `问题里有两个时间范围（${w.first}、${w.second}），请只问一个。`
        : `The question names two time windows (${w.first}, ${w.second}); ask for one.`;
  }
}

/** The sentence for a refusal, in the asker's language. */
export function refusalText(p: ParseProblem, lang: Language): string {
  const zh = lang === 'zh';
  switch (p.code) {
    case 'unknown_question':
      return zh
        ? `我没看懂这个问题。下面是最接近的可以回答的问题；${HELP_COMMAND} 列出全部问题。`
        : `I did not understand the question. The closest questions I can answer are below; ${HELP_COMMAND} lists them all.`;
    case 'too_long':
      return zh
        ? `问题太长（${p.length}个字符，最多${p.max}个）。请用一句话问。`
        : `The question is too long (${p.length} characters; at most ${p.max}). Ask in one sentence.`;
    case 'bad_time_zone':
      return zh
        ? `“${p.timeZone}”不是时区名；请用 IANA 名称，例如 UTC 或 Asia/Shanghai。`
        : `"${p.timeZone}" is not a time zone; use an IANA name such as UTC or Asia/Shanghai.`;
    case 'bad_window':
      return windowText(p.window, lang);
    case 'bad_account':
      return zh
        ? `AWS 账户 ID 是12位数字，“${p.digits}”有${p.digits.length}位。`
        : `AWS account IDs have exactly 12 digits; "${p.digits}" has ${p.digits.length}.`;
    case 'bad_limit':
      return zh ? `排名数量要在1到50之间（不是${p.limit}）。` : `"Top N" takes a number from 1 to 50 (not ${p.limit}).`;
    case 'two_groupings':
      return zh
        ? `一次只能按一项分组（${GROUP_NAMES[p.first].zh}或${GROUP_NAMES[p.second].zh}）。`
        : `I can group by one thing at a time (${GROUP_NAMES[p.first].en} or ${GROUP_NAMES[p.second].en}).`;
  }
}
