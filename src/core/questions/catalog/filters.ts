/**
 * The question's filters as KQL conditions, and the limits on them. Values are only ever written
 * as string literals (kql-literal.ts). What each filter means:
 * - accounts: `RecipientAccountId`, the account the event belongs to (whose trail logged it),
 *   not the caller's account (`UserIdentityAccountId`), which differs for cross-account calls;
 * - regions: `AWSRegion`, case-insensitive;
 * - identities: the user name, the role behind an assumed-role session, the last part of the
 *   caller's ARN (a session or user name) or the whole ARN, case-insensitive (IAM names are
 *   unique regardless of case);
 * - eventNames, eventSources: `EventName`, `EventSource`, case-insensitive.
 */
import { ChatopsError } from '../../errors.ts';
import type { Filters, Language } from '../intent.ts';
import { stringLiteral, stringProblem } from '../kql-literal.ts';
import { FILTER_KEYS, inLanguage, LIMITS, refusal } from './text.ts';

/** Throws `bad_input`, in the asker's language, for a filter the builder will not write. */
export function checkFilters(filters: Filters, language: Language): void {
  const refuse = (t: { en: string; zh: string }) => new ChatopsError('bad_input', inLanguage(t, language));
  for (const key of FILTER_KEYS) {
    const values = filters[key];
    if (values === undefined) continue;
    if (!Array.isArray(values)) throw new ChatopsError('internal', `filters.${key} is not a list`);
    if (values.length > LIMITS.values) throw refuse(refusal.tooManyValues(key, values.length));
    for (const v of values) {
      if (typeof v !== 'string') throw new ChatopsError('internal', `filters.${key} holds a ${typeof v}, not a string`);
      if (v.length === 0) throw refuse(refusal.emptyValue(key));
      const length = [...v].length;
      if (length > LIMITS.valueLength) throw refuse(refusal.valueTooLong(key, length));
      const problem = stringProblem(v);
      if (problem !== undefined) throw refuse(refusal.badCharacter(key, problem));
      if (key === 'accounts' && !/^\d{12}$/.test(v)) throw refuse(refusal.badAccount());
    }
  }
}

const list = (values: readonly string[]) => `(${values.map(stringLiteral).join(', ')})`;

/** One condition per filter that has values, in a fixed order. Call checkFilters first. */
export function filterConditions(filters: Filters): string[] {
  const out: string[] = [];
  const has = (vs: readonly string[] | undefined): vs is readonly string[] => vs !== undefined && vs.length > 0;
  if (has(filters.accounts)) out.push(`RecipientAccountId in ${list(filters.accounts)}`);
  if (has(filters.regions)) out.push(`AWSRegion in~ ${list(filters.regions)}`);
  if (has(filters.identities)) {
    const l = list(filters.identities);
    out.push(
      `(UserIdentityUserName in~ ${l} or SessionIssuerUserName in~ ${l} or tostring(split(UserIdentityArn, "/")[-1]) in~ ${l} or UserIdentityArn in~ ${l})`,
    );
  }
  if (has(filters.eventNames)) out.push(`EventName in~ ${list(filters.eventNames)}`);
  if (has(filters.eventSources)) out.push(`EventSource in~ ${list(filters.eventSources)}`);
  return out;
}
