/**
 * What a question in plain words asks for, once parsed: the neutral form between the question
 * parser (parse-question.ts) and the KQL builder (build-kql.ts). Plain data, JSON-serialisable.
 */

/** The kinds of question the bot answers (catalog.ts has one entry per kind). */
export const QUESTION_KINDS = [
  'activity_over_time',
  'activity_by_service',
  'top_event_names',
  'activity_by_region',
  'activity_by_identity',
  'activity_by_account',
  'errors_over_time',
  'access_denied',
  'console_logins',
  'console_logins_without_mfa',
  'root_activity',
  'iam_changes',
  'security_group_changes',
  'cloudtrail_tampering',
  'top_source_ips',
  'new_regions',
  'new_services',
  'identity_activity',
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export type Language = 'en' | 'zh';

/**
 * The time the question covers, resolved against `now` and the request's time zone.
 * rolling: "last 30 days", "past 24 hours", "过去30天" = [now − N, now), bins aligned to now.
 * calendar: "today", "yesterday", "this week", "this month", "since 2026-10-01", "本周" = from a
 * boundary in the request's time zone (weeks start on Monday) to its end or to now.
 */
export interface TimeWindow {
  kind: 'rolling' | 'calendar';
  /** Inclusive start and exclusive end, ms since the epoch (UTC instants). */
  start: number;
  end: number;
  /**
   * Bin size for time series, ms. Rolling and "since" windows: 1 h up to 2 days long, else 1 d.
   * Calendar periods: 1 h for today and yesterday, 1 d for weeks and months.
   */
  bin: number;
  /** Where bins are aligned: `end` (=now) for rolling windows, `start` for calendar ones. */
  binOrigin: number;
  /** The words as understood, for titles: "last 30 days" / "过去30天". */
  label: { en: string; zh: string };
}

export const GROUP_BYS = ['service', 'event', 'region', 'identity', 'account', 'source_ip', 'error'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** Values the question names. They reach KQL only as escaped string literals. */
export interface Filters {
  /** 12-digit AWS account IDs (strings: leading zeros count). */
  accounts?: string[];
  /** AWS region codes, e.g. "us-east-1". */
  regions?: string[];
  /** IAM user or role names (or session names), as written. */
  identities?: string[];
  /** CloudTrail event names, e.g. "ConsoleLogin". */
  eventNames?: string[];
  /** Event sources, e.g. "s3.amazonaws.com" (a service word like "S3" is normalised to this). */
  eventSources?: string[];
}

export interface Intent {
  kind: QuestionKind;
  language: Language;
  window: TimeWindow;
  filters: Filters;
  /** "by region", "按区域": overrides the kind's default grouping where the kind allows one. */
  groupBy?: GroupBy;
  /** "top 5", "前5": at most this many groups (1-50). */
  limit?: number;
  /**
   * Console logins only ("failed console logins", "失败的控制台登录" → 'failure'; "successful
   * logins" → 'success'): keep logins with this result. Absent: both, split by the chart.
   */
  outcome?: 'success' | 'failure';
  /** IANA time zone of the request: calendar boundaries and axis labels. */
  timeZone: string;
}

/** Why a question was refused (`reason` is the sentence for the user; callers branch on this). */
export const REFUSAL_CODES = [
  /** Nothing in the question names something the bot answers. */
  'unknown_question',
  /** Longer than a question (the parser's limit). */
  'too_long',
  /** The request's time zone is not an IANA name. */
  'bad_time_zone',
  /** The time window is empty, too long, in the future, not a date, or not understood. */
  'bad_window',
  /** A number next to "account" that is not 12 digits. */
  'bad_account',
  /** "top N" outside 1-50. */
  'bad_limit',
  /** Two different groupings ("by region" and "by service"). */
  'two_groupings',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** The result of parsing: an intent, or a helpful refusal with the closest supported questions. */
export type ParsedQuestion =
  | { ok: true; intent: Intent /** words that were not understood and ignored */; ignored: string[] }
  | { ok: false; language: Language; code: RefusalCode; reason: string; suggestions: string[] };
