/**
 * The long ("tidy") rows every chart kind feeds to vega-lite. Fixed field names keep a
 * chart's spec shape independent of the query's column names, so the renderer can reuse
 * one compiled view for every chart of the same shape and only swap these rows.
 */
export const FIELD = { x: 't', y: 'value', series: 'series' } as const;

/** The name of the inline data set in every spec (the renderer swaps its values). */
export const DATA_NAME = 'table';

export interface SeriesPoint {
  /** Wall-clock time in the chart's zone, as a UTC epoch in milliseconds. */
  t: number;
  value: number;
  series: string;
}
