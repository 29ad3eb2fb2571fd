/**
 * ISO 8601 durations as the Log Analytics API takes them for a query time range (`P30D`, `PT12H`,
 * `P1DT6H`, `P1.5D`): weeks, days, hours, minutes and seconds, any of them fractional; no years
 * or months (their length depends on the date). One parser for the local workspace, the real
 * gateway, query sharing and configuration.
 */
const ISO_DURATION =
  /^P(?!$)(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** The duration in milliseconds, or undefined when `text` is not such a duration (case and surrounding blanks ignored). */
export function parseIsoDuration(text: string): number | undefined {
  const m = ISO_DURATION.exec(text.trim().toUpperCase());
  if (!m) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  return (((w * 7 + d) * 24 + h) * 60 + min) * 60_000 + s * 1000;
}
