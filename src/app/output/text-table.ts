import type { ResultTable } from '../../core/result-table.ts';

const MAX_CELL = 60;

/** A result table as aligned text columns for a terminal; long cells are cut with an ellipsis. */
export function formatTextTable(table: ResultTable, maxRows = 1000): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v).replace(/\s+/g, ' ');
    return s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
  };
  const head = table.columns.map((c) => c.name);
  const body = table.rows.slice(0, maxRows).map((r) => r.map(cell));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const lines = [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  const more = table.rows.length - body.length;
  lines.push(more > 0 ? `(${table.rows.length} rows, first ${maxRows} shown; use --json for all)` : `(${table.rows.length} rows)`);
  return lines.join('\n');
}
