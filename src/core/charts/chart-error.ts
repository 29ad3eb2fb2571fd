/**
 * Why a result table cannot become a chart. A closed set of codes, so callers branch on
 * `code` (and map it to the app-wide error codes at their boundary) instead of on text.
 * Every code is the input's fault (exit class 1): the query's shape does not fit the
 * chart it asks for.
 */
export const CHART_ERROR_CODES = [
  /** The `render` visualization is not one Kusto knows. */
  'chart_unknown_kind',
  /** A Kusto visualization this bot does not draw (yet). */
  'chart_unsupported_kind',
  /** The table lacks a column the chart needs, or a named column is missing or of the wrong type. */
  'chart_bad_columns',
  /** A `render ... with (...)` property has a value this chart kind does not take (e.g. kind=sideways). */
  'chart_bad_property',
  /** The requested time zone is not an IANA zone name. */
  'chart_bad_time_zone',
] as const;
export type ChartErrorCode = (typeof CHART_ERROR_CODES)[number];

export class ChartError extends Error {
  readonly code: ChartErrorCode;

  constructor(code: ChartErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ChartError';
    this.code = code;
  }
}
