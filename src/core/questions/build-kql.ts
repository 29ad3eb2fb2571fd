/**
 * Intent → KQL, the stage between the question parser and running the query. It checks the
 * intent (limits on filters, a sane window), lets the catalog entry of the intent's kind write the
 * query, and validates the text with the official parser before returning it: a built query that
 * does not validate is a bug (`internal`), never something to run.
 *
 * The query contract (what the answer stage may rely on):
 * - It starts with `let Start = datetime(…); let End = datetime(…); let PrevStart = datetime(…);`:
 *   the window [Start, End) and the previous period [PrevStart, Start) of the same length. No
 *   `now()` or `ago()`: the query means the same whenever it runs.
 * - Every branch reads `Events`, AWSCloudTrail bounded to [earliest, End) with the kind's
 *   conditions and the question's filters applied, so the result does not depend on the query
 *   time range as long as it covers [earliest, End) (`timespanMs` ending at `end` is the
 *   narrowest such range).
 * - The primary table: for `series` kinds one row per bin from the bin holding Start to the bin
 *   holding End (bins of window.bin aligned to window.binOrigin), zero-filled, per series,
 *   columns `Time, Legend, Value, WindowTotal, PreviousTotal` (one Legend value, "AWSCloudTrail",
 *   when the kind is not split), sorted by Time ascending, then Legend; for `rank` kinds `<Group>, Count, WindowTotal,
 *   PreviousTotal`, busiest first (ties by group ascending), at most `limit` rows; for `table`
 *   kinds the group columns, `Count, Failed, FirstSeen, LastSeen, WindowTotal, PreviousTotal`.
 * - `WindowTotal` and `PreviousTotal` (long, the same in every row) count the matching events in
 *   the window and in the previous period. When nothing matches in the window, a rank or table
 *   result still has one placeholder row (empty group, Count 0) and a split series one empty
 *   series, so the totals are always there: draw nothing when WindowTotal is 0.
 * - It ends with `| render <chart> with (title=…, xtitle=…, ytitle=…[, xcolumn=…, ycolumns=…,
 *   series=…])` in the asker's language; `ycolumns` keeps the totals out of charts. A `table`
 *   has only a title: leave WindowTotal and PreviousTotal out of the drawn table.
 */
import { ChatopsError } from '../errors.ts';
import { checkFilters } from './catalog/filters.ts';
import { binAt, earliestOf, frameOf } from './catalog/query.ts';
import { inLanguage, LIMITS, refusal } from './catalog/text.ts';
import { type Bilingual, type CatalogEntry, type ChartKind, catalogEntry } from './catalog.ts';
import { type Intent, QUESTION_KINDS, type QuestionKind } from './intent.ts';
import type { KqlValidator } from './kql-validator.ts';

export interface BuiltQuery {
  kind: QuestionKind;
  kql: string;
  chart: ChartKind;
  shape: CatalogEntry['shape'];
  /** The title in the asker's language (also in the query's render), and both. */
  title: string;
  titles: Bilingual;
  /** Run with now() = this instant (the window's end) … */
  now: number;
  /** … and a query time range of this length ending there (ms, and as an ISO 8601 duration). */
  timespanMs: number;
  timespan: string;
  /** The same range as instants: [start, end). A wider range gives the same result. */
  range: { start: number; end: number };
}

/** Checks `intent`, builds its KQL and validates it. Throws `bad_input` (a sentence for the asker) or `internal` (a bug). */
export function buildKql(intent: Intent, validator: KqlValidator): BuiltQuery {
  checkIntent(intent);
  const entry = catalogEntry(intent.kind);
  const kql = entry.build(intent);
  const verdict = validator.validate(kql);
  if (!verdict.ok) {
    throw new ChatopsError('internal', `the query built for a ${intent.kind} question does not validate: ${verdict.errors[0]}`, {
      details: verdict.errors.slice(1, 5),
    });
  }
  const titles = entry.title(intent);
  const frame = frameOf(intent.window, entry.lookbackMs);
  const earliest = earliestOf(frame);
  const timespanMs = frame.end - earliest;
  return {
    kind: intent.kind,
    kql,
    chart: entry.chart,
    shape: entry.shape,
    title: inLanguage(titles, intent.language),
    titles,
    now: frame.end,
    timespanMs,
    timespan: isoDuration(timespanMs),
    range: { start: earliest, end: frame.end },
  };
}

/** Throws for an intent the builder will not turn into a query; refusals are in the asker's language. */
export function checkIntent(intent: Intent): void {
  if (!(QUESTION_KINDS as readonly string[]).includes(intent.kind)) {
    throw new ChatopsError('internal', `unknown question kind ${JSON.stringify(intent.kind)}`);
  }
  if (intent.language !== 'en' && intent.language !== 'zh')
    throw new ChatopsError('internal', `unknown language ${JSON.stringify(intent.language)}`);
  const w = intent.window;
  const ints = [w.start, w.end, w.bin, w.binOrigin];
  if (!ints.every(Number.isSafeInteger) || w.start >= w.end || w.bin <= 0) {
    throw new ChatopsError(
      'internal',
      `the question's time window is not valid: ${JSON.stringify({ start: w.start, end: w.end, bin: w.bin })}`,
    );
  }
  if (intent.limit !== undefined && !(Number.isInteger(intent.limit) && intent.limit >= 1 && intent.limit <= 50)) {
    throw new ChatopsError('bad_input', inLanguage(refusal.badLimit(intent.limit), intent.language));
  }
  checkFilters(intent.filters ?? {}, intent.language);
  const entry = catalogEntry(intent.kind);
  if (entry.shape === 'series') {
    const bins = (binAt(w.end - 1, w.bin, w.binOrigin) - binAt(w.start, w.bin, w.binOrigin)) / w.bin + 1;
    if (bins > LIMITS.bins) throw new ChatopsError('bad_input', inLanguage(refusal.tooManyBins(bins), intent.language));
  }
}

/** An ISO 8601 duration as the Log Analytics API takes it: P30D, PT24H, P2DT12H, PT0.5S. */
export function isoDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new ChatopsError('internal', `isoDuration: ${ms} is not a positive whole number of ms`);
  const d = Math.floor(ms / 86_400_000);
  let rest = ms % 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest %= 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest %= 60_000;
  const s = rest / 1000;
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  return `P${d ? `${d}D` : ''}${time ? `T${time}` : ''}`;
}
