/**
 * Column roles as Azure Log Analytics assigns them for `render`: an x column, numeric
 * y columns and string series columns, unless the hint names them (`xcolumn`,
 * `ycolumns`, `series`).
 */
import type { KustoType, ResultColumn, ResultTable } from '../result-table.ts';
import { ChartError } from './chart-error.ts';

export const NUMERIC_TYPES: readonly KustoType[] = ['int', 'long', 'real', 'decimal'];
export const INTEGER_TYPES: readonly KustoType[] = ['int', 'long'];
/** Columns that split rows into series when the hint does not name them. */
export const SERIES_TYPES: readonly KustoType[] = ['string'];

/**
 * Columns a question's query adds for the text summary (src/core/questions/summary.ts): the
 * total over the whole window and over the previous window of the same length, repeated on
 * every row. Charts never pick them on their own (a named xcolumn/ycolumns still can).
 */
export const WINDOW_TOTAL_COLUMN = 'WindowTotal';
export const PREVIOUS_TOTAL_COLUMN = 'PreviousTotal';
export const SUMMARY_COLUMNS: readonly string[] = [WINDOW_TOTAL_COLUMN, PREVIOUS_TOTAL_COLUMN];

export interface IndexedColumn extends ResultColumn {
  index: number;
}

export function describeColumns(table: ResultTable): string {
  return table.columns.length === 0 ? '(no columns)' : table.columns.map((c) => `${c.name} (${c.type})`).join(', ');
}

export function indexColumns(table: ResultTable): IndexedColumn[] {
  return table.columns.map((c, index) => ({ ...c, index }));
}

/** The named column, which must exist and be of one of `types`. */
export function namedColumn(table: ResultTable, name: string, types: readonly KustoType[], role: string): IndexedColumn {
  const column = indexColumns(table).find((c) => c.name === name);
  if (!column) {
    throw new ChartError(
      'chart_bad_columns',
      `The chart's ${role} column "${name}" is not in the result. Columns: ${describeColumns(table)}.`,
    );
  }
  if (!types.includes(column.type)) {
    throw new ChartError(
      'chart_bad_columns',
      `The chart's ${role} column "${name}" is ${column.type}; it must be ${types.join(' or ')}. Columns: ${describeColumns(table)}.`,
    );
  }
  return column;
}

/** Columns of the given types, in table order, except `exclude` and the summary columns. */
export function columnsOfType(table: ResultTable, types: readonly KustoType[], exclude: readonly IndexedColumn[] = []): IndexedColumn[] {
  const skip = new Set(exclude.map((c) => c.index));
  return indexColumns(table).filter((c) => types.includes(c.type) && !skip.has(c.index) && !SUMMARY_COLUMNS.includes(c.name));
}

/** The series columns: those the hint names (any type), else every string column not in `exclude`. */
export function seriesColumns(
  table: ResultTable,
  named: readonly string[] | undefined,
  exclude: readonly IndexedColumn[],
): IndexedColumn[] {
  if (!named?.length) return columnsOfType(table, SERIES_TYPES, exclude);
  return named.map((name) => {
    const c = indexColumns(table).find((col) => col.name === name);
    if (!c) {
      throw new ChartError(
        'chart_bad_columns',
        `The chart's series column "${name}" is not in the result. Columns: ${describeColumns(table)}.`,
      );
    }
    return c;
  });
}
