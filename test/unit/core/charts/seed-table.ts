/** Result tables shaped like real query output, for chart and render tests. */
import type { ResultTable, WireValue } from '../../../../src/core/result-table.ts';

export const DAY = 86_400_000;
/** `now()` of the seed query in these tests: bins are aligned to it, not to midnight. */
export const NOW = Date.UTC(2025, 10, 25, 13, 7, 0);

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The seed query's result: Value:long, Time:datetime, Legend:string, 30 daily bins aligned
 * to NOW, sorted by Time descending (KQL's `sort by` default), already zero-filled by the query.
 */
export function seedTable(values: (i: number) => number = (i) => (i * 37) % 101, days = 30): ResultTable {
  const rows: WireValue[][] = [];
  for (let i = 1; i <= days; i++) rows.push([values(i), iso(NOW - i * DAY), 'awsCloudTrail']);
  return {
    name: 'PrimaryResult',
    columns: [
      { name: 'Value', type: 'long' },
      { name: 'Time', type: 'datetime' },
      { name: 'Legend', type: 'string' },
    ],
    rows,
  };
}

/** `summarize count() by bin(TimeGenerated, 1h), EventName`-shaped: only the bins that had events. */
export function sparseSeriesTable(): ResultTable {
  const h = 3_600_000;
  const t0 = Date.UTC(2025, 10, 24, 0, 0, 0);
  return {
    name: 'PrimaryResult',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'EventName', type: 'string' },
      { name: 'count_', type: 'long' },
    ],
    rows: [
      [iso(t0 + 5 * h), 'ConsoleLogin', 2],
      [iso(t0), 'ConsoleLogin', 4],
      [iso(t0 + 2 * h), 'AssumeRole', 7],
      [iso(t0 + 1 * h), 'AssumeRole', 1],
    ],
  };
}
