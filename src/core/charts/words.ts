/** The few words charts add themselves, in the request's language. */
import type { ChartLanguage } from './chart-options.ts';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** "1,234" (both languages write digits with comma separators in this bot). */
export function formatNumber(n: number): string {
  return grouped.format(n);
}

/** The pie slice that gathers the small ones: "Other (7 more)" / "其他（7项）". */
export function otherLabel(count: number, language: ChartLanguage): string {
  return language === 'zh' ? `其他（${formatNumber(count)}项）` : `Other (${formatNumber(count)} more)`;
}

/** Under a bar or column chart that shows only the largest categories: "Top 30 of 57 shown". */
export function topCategoriesNote(shown: number, total: number, language: ChartLanguage): string {
  return language === 'zh'
    ? `仅显示${formatNumber(total)}项中最大的${formatNumber(shown)}项`
    : `Top ${formatNumber(shown)} of ${formatNumber(total)} shown`;
}

export interface TableNoteInput {
  shownRows: number;
  totalRows: number;
  shownColumns: number;
  totalColumns: number;
  /** A CSV of the whole table goes with the image. */
  csv: boolean;
}

/** Under a table image: "Showing 20 of 1,234 rows · 6 of 9 columns · full table in the attached CSV". */
export function tableNote(n: TableNoteInput, language: ChartLanguage): string {
  const zh = language === 'zh';
  const parts: string[] = [];
  if (n.totalRows === 0) parts.push(zh ? '没有行' : 'No rows');
  else if (n.shownRows < n.totalRows) {
    parts.push(
      zh
        ? `显示${formatNumber(n.totalRows)}行中的前${formatNumber(n.shownRows)}行`
        : `Showing ${formatNumber(n.shownRows)} of ${formatNumber(n.totalRows)} rows`,
    );
  } else parts.push(zh ? `共${formatNumber(n.totalRows)}行` : `${formatNumber(n.totalRows)} ${n.totalRows === 1 ? 'row' : 'rows'}`);
  if (n.shownColumns < n.totalColumns) {
    parts.push(
      zh
        ? `显示${formatNumber(n.totalColumns)}列中的${formatNumber(n.shownColumns)}列`
        : `${formatNumber(n.shownColumns)} of ${formatNumber(n.totalColumns)} columns`,
    );
  }
  if (n.csv) parts.push(zh ? '完整表格见附件CSV' : 'full table in the attached CSV');
  return parts.join(zh ? '，' : ' · ');
}
