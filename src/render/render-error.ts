/**
 * Why a chart image was not produced. Codes form a closed set so callers branch on
 * `code` and map it to the app-wide codes at their boundary; messages say what happened
 * and what to do.
 */
export const RENDER_ERROR_CODES = [
  /** The bundled fonts are not where the font package should have put them. */
  'render_fonts_missing',
  /** vega-lite or vega rejected the spec, or drawing failed. */
  'render_failed',
  /** A render worker died (crash, out of memory) while drawing; it has been replaced. */
  'render_worker_crashed',
  /** A render took longer than its time limit; the worker was stopped and replaced. */
  'render_timeout',
  /** The renderer was closed (shutting down), or its workers cannot start. */
  'render_unavailable',
] as const;
export type RenderErrorCode = (typeof RENDER_ERROR_CODES)[number];

export class RenderError extends Error {
  readonly code: RenderErrorCode;

  constructor(code: RenderErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RenderError';
    this.code = code;
  }
}
