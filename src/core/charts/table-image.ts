/**
 * `render table` (and any result drawn as a table): an image of the table's top rows.
 * - the first MAX_TABLE_ROWS rows, under a header of column names (a datetime column's
 *   name carries the request's zone, and its cells are wall-clock times there);
 * - numbers right-aligned with thousands separators, other cells left-aligned;
 *   alternate rows shaded;
 * - columns as wide as their content up to a share of the image; a long cell is cut
 *   with "…"; columns that do not fit at MIN_COLUMN_PX are left out;
 * - a line under the table: "Showing 20 of 1,234 rows · full table in the attached CSV".
 * The summary columns (WindowTotal, PreviousTotal) are not shown. Whether anything was
 * left out (so a CSV should go with the image) is `tableLayout(...).partial`.
 *
 * Every position is computed here and travels in the data (pixel fields, `scale: null`),
 * so the spec's shape depends only on the row count and the title: the renderer reuses
 * one view for every table of the same height.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RenderHint, ResultTable, WireValue } from '../result-table.ts';
import { DATA_NAME } from './chart-data.ts';
import { ChartError } from './chart-error.ts';
import type { ResolvedChartOptions } from './chart-options.ts';
import { type IndexedColumn, indexColumns, NUMERIC_TYPES, SUMMARY_COLUMNS } from './columns.ts';
import { toNumber } from './series.ts';
import { CHART_FONT, chartConfig } from './theme.ts';
import { timestampLabel } from './time-labels.ts';
import { timeZoneLabel } from './time-zone.ts';
import { formatNumber, tableNote } from './words.ts';

export const MAX_TABLE_ROWS = 20;
/** Cells longer than this are cut even when there is room. */
export const MAX_CELL_CHARS = 60;
export const MIN_COLUMN_PX = 64;

const ROW_PX = 24;
const HEADER_PX = 30;
const NOTE_PX = 30;
const CELL_PAD_PX = 8;
const PADDING_PX = 12;
/** Estimated advance of one character in a 12 px label: Latin ~7 px, CJK and full-width 12 px. */
const LATIN_PX = 7;
const WIDE_PX = 12;
const WIDE = /[\u1100-\u115f\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

function charPx(ch: string): number {
  return WIDE.test(ch) ? WIDE_PX : LATIN_PX;
}

export function textPx(s: string): number {
  let w = 0;
  for (const ch of s) w += charPx(ch);
  return w;
}

/** The text cut to fit `px` (estimated), ending in "…" when cut. */
export function fitText(s: string, px: number): { text: string; cut: boolean } {
  if (textPx(s) <= px) return { text: s, cut: false };
  let w = charPx('…');
  let out = '';
  for (const ch of s) {
    const c = charPx(ch);
    if (w + c > px) break;
    out += ch;
    w += c;
  }
  return { text: `${out}…`, cut: true };
}

function cellText(v: WireValue | undefined, col: IndexedColumn, timeZone: string): string {
  if (v === null || v === undefined) return '';
  if (col.type === 'datetime' && typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isFinite(t) ? timestampLabel(t, timeZone) : v;
  }
  if (NUMERIC_TYPES.includes(col.type)) {
    const n = toNumber(v);
    return n === undefined ? String(v) : formatNumber(n);
  }
  // One line per cell: line breaks and tabs would break the row.
  return String(v).replace(/[\r\n\t\u2028\u2029]+/g, ' ');
}

/** Column widths that fit `total`: each as wide as it needs, but none wider than a common cap. */
function fitWidths(natural: readonly number[], total: number): number[] {
  if (natural.reduce((s, w) => s + w, 0) <= total) return [...natural];
  const sorted = [...natural].sort((a, b) => a - b);
  let left = total;
  let cap = 0;
  for (let i = 0; i < sorted.length; i++) {
    const even = left / (sorted.length - i);
    if (sorted[i] > even) {
      cap = even;
      break;
    }
    left -= sorted[i];
  }
  return natural.map((w) => Math.floor(Math.min(w, cap)));
}

export interface TableCell {
  /** Row 0 is the header. */
  row: number;
  column: number;
  text: string;
}

export interface TableLayout {
  columns: { name: string; header: string; x: number; width: number; numeric: boolean }[];
  /** Header then rows, as drawn (cut to fit). */
  cells: TableCell[];
  shownRows: number;
  totalRows: number;
  shownColumns: number;
  totalColumns: number;
  /** Rows, columns or cell text were left out: the full table should go along (as CSV). */
  partial: boolean;
  note: string;
  width: number;
  height: number;
}

/** Where every cell goes and what it says. `width` is the inner width (the image's minus padding). */
export function tableLayout(table: ResultTable, opts: ResolvedChartOptions, csvAttached?: boolean): TableLayout {
  const all = indexColumns(table).filter((c) => !SUMMARY_COLUMNS.includes(c.name));
  if (all.length === 0) throw new ChartError('chart_bad_columns', 'The result has no columns to show as a table.');
  const rows = table.rows.slice(0, MAX_TABLE_ROWS);
  const width = opts.width - 2 * PADDING_PX;
  const maxColumns = Math.max(1, Math.floor(width / MIN_COLUMN_PX));
  const shown = all.slice(0, maxColumns);

  const headers = shown.map((c) => {
    if (c.type !== 'datetime') return c.name;
    const times = table.rows.map((r) => (typeof r[c.index] === 'string' ? Date.parse(r[c.index] as string) : Number.NaN));
    const ok = times.filter(Number.isFinite);
    const zone = ok.length ? timeZoneLabel(opts.timeZone, Math.min(...ok), Math.max(...ok)) : timeZoneLabel(opts.timeZone);
    return `${c.name} (${zone})`;
  });
  const raw = rows.map((r) => shown.map((c) => cellText(r[c.index], c, opts.timeZone)));
  let cut = raw.some((r) => r.some((s) => [...s].length > MAX_CELL_CHARS));
  const capped = raw.map((r) => r.map((s) => ([...s].length > MAX_CELL_CHARS ? `${[...s].slice(0, MAX_CELL_CHARS - 1).join('')}…` : s)));
  const natural = shown.map((_, j) =>
    Math.max(MIN_COLUMN_PX, textPx(headers[j]) + 2 * CELL_PAD_PX, ...capped.map((r) => textPx(r[j]) + 2 * CELL_PAD_PX)),
  );
  const widths = fitWidths(natural, width);

  const columns: TableLayout['columns'] = [];
  let x = 0;
  shown.forEach((c, j) => {
    columns.push({ name: c.name, header: headers[j], x, width: widths[j], numeric: NUMERIC_TYPES.includes(c.type) });
    x += widths[j];
  });
  const cells: TableCell[] = [];
  const room = (j: number) => widths[j] - 2 * CELL_PAD_PX;
  headers.forEach((h, j) => {
    cells.push({ row: 0, column: j, text: fitText(h, room(j)).text });
  });
  capped.forEach((r, i) => {
    r.forEach((s, j) => {
      const f = fitText(s, room(j));
      cut ||= f.cut;
      cells.push({ row: i + 1, column: j, text: f.text });
    });
  });
  const partial = rows.length < table.rows.length || shown.length < all.length || cut;
  const note = tableNote(
    {
      shownRows: rows.length,
      totalRows: table.rows.length,
      shownColumns: shown.length,
      totalColumns: all.length,
      csv: csvAttached ?? partial,
    },
    opts.language,
  );
  const height = HEADER_PX + Math.max(1, rows.length) * ROW_PX + NOTE_PX;
  return {
    columns,
    cells,
    shownRows: rows.length,
    totalRows: table.rows.length,
    shownColumns: shown.length,
    totalColumns: all.length,
    partial,
    note,
    width,
    height,
  };
}

/** Kinds of rows in the table spec's data, one layer each. */
type Item =
  | { k: 'head' | 'band'; x: number; x2: number; y: number; y2: number }
  | { k: 'hl' | 'hr' | 'tl' | 'tr' | 'note'; x: number; y: number; text: string };

function items(layout: TableLayout): Item[] {
  const out: Item[] = [{ k: 'head', x: 0, x2: layout.width, y: 0, y2: HEADER_PX }];
  for (let i = 1; i < layout.shownRows; i += 2) {
    out.push({ k: 'band', x: 0, x2: layout.width, y: HEADER_PX + i * ROW_PX, y2: HEADER_PX + (i + 1) * ROW_PX });
  }
  for (const cell of layout.cells) {
    const col = layout.columns[cell.column];
    const header = cell.row === 0;
    const y = header ? HEADER_PX / 2 : HEADER_PX + (cell.row - 1) * ROW_PX + ROW_PX / 2;
    const right = col.numeric;
    const k = header ? (right ? 'hr' : 'hl') : right ? 'tr' : 'tl';
    out.push({ k, x: right ? col.x + col.width - CELL_PAD_PX : col.x + CELL_PAD_PX, y, text: cell.text });
  }
  out.push({ k: 'note', x: 0, y: HEADER_PX + Math.max(1, layout.shownRows) * ROW_PX + NOTE_PX / 2 + 2, text: layout.note });
  return out;
}

const PX = (field: string) => ({ field, type: 'quantitative', scale: null, axis: null });

function rectLayer(k: string, fill: string): Record<string, unknown> {
  return {
    transform: [{ filter: `datum.k === '${k}'` }],
    mark: { type: 'rect', fill },
    encoding: { x: PX('x'), x2: { field: 'x2' }, y: PX('y'), y2: { field: 'y2' } },
  };
}

function textLayer(k: string, mark: Record<string, unknown>): Record<string, unknown> {
  return {
    transform: [{ filter: `datum.k === '${k}'` }],
    mark: { type: 'text', baseline: 'middle', font: CHART_FONT, fontSize: 12, color: '#222', ...mark },
    encoding: { x: PX('x'), y: PX('y'), text: { field: 'text', type: 'nominal' } },
  };
}

export function tableSpecFromLayout(layout: TableLayout, hint: RenderHint, opts: ResolvedChartOptions): TopLevelSpec {
  const title = hint.title ?? opts.title;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(title ? { title } : {}),
    width: layout.width,
    height: layout.height,
    autosize: { type: 'pad' },
    config: chartConfig(),
    data: { name: DATA_NAME, values: items(layout) },
    layer: [
      rectLayer('head', '#e3e9f1'),
      rectLayer('band', '#f4f6f9'),
      textLayer('hl', { align: 'left', fontWeight: 'bold' }),
      textLayer('hr', { align: 'right', fontWeight: 'bold' }),
      textLayer('tl', { align: 'left' }),
      textLayer('tr', { align: 'right' }),
      textLayer('note', { align: 'left', fontSize: 11, color: '#555' }),
    ],
  } as unknown as TopLevelSpec;
}

export function tableSpec(table: ResultTable, hint: RenderHint, opts: ResolvedChartOptions): TopLevelSpec {
  return tableSpecFromLayout(tableLayout(table, opts), hint, opts);
}
