import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveChartOptions } from '../../../../src/core/charts/chart-options.ts';
import { chartSpec } from '../../../../src/core/charts/chart-spec.ts';
import { fitText, MAX_CELL_CHARS, MAX_TABLE_ROWS, tableLayout, textPx } from '../../../../src/core/charts/table-image.ts';
import type { ResultTable } from '../../../../src/core/result-table.ts';
import { identityTable } from './kind-tables.ts';

// biome-ignore lint/suspicious/noExplicitAny: reading a JSON spec
type Json = any;
const layout = (table: ResultTable, opts = {}) => tableLayout(table, resolveChartOptions(opts));
const cellsOf = (l: ReturnType<typeof layout>, row: number) => l.cells.filter((c) => c.row === row).map((c) => c.text);

describe('table image', () => {
  it(`shows the top ${MAX_TABLE_ROWS} rows under a header, and says how many there are`, () => {
    const l = layout(identityTable(37));
    assert.equal(l.shownRows, MAX_TABLE_ROWS);
    assert.equal(l.totalRows, 37);
    assert.ok(l.partial);
    assert.equal(l.note, 'Showing 20 of 37 rows · full table in the attached CSV');
    assert.equal(layout(identityTable(37), { language: 'zh' }).note, '显示37行中的前20行，完整表格见附件CSV');
    assert.deepEqual(cellsOf(l, 0), ['UserIdentityArn', 'SourceIpAddress', 'Count', 'Failed', 'FirstSeen (UTC)', 'LastSeen (UTC)']);
    assert.equal(cellsOf(l, 20)[0], 'arn:aws:iam::123456789012:user/user19');
    assert.equal(Math.max(...l.cells.map((c) => c.row)), 20);
  });

  it('leaves the summary columns out, formats numbers and times (in the zone), and right-aligns numbers', () => {
    const l = layout(identityTable(2), { timeZone: 'Asia/Shanghai' });
    assert.deepEqual(
      l.columns.map((c) => c.name),
      ['UserIdentityArn', 'SourceIpAddress', 'Count', 'Failed', 'FirstSeen', 'LastSeen'],
    );
    assert.deepEqual(cellsOf(l, 1), [
      'arn:aws:iam::123456789012:user/user0',
      '203.0.113.0',
      '10,000',
      '0',
      '2025-11-22 21:07:00',
      '2025-11-25 21:07:00',
    ]);
    assert.equal(cellsOf(l, 0)[4], 'FirstSeen (Asia/Shanghai, UTC+8)');
    assert.deepEqual(
      l.columns.map((c) => c.numeric),
      [false, false, true, true, false, false],
    );
    assert.equal(l.partial, false);
    assert.equal(l.note, '2 rows');
  });

  it('cuts long cells with an ellipsis, keeps cells on one line, and counts a cut as partial', () => {
    const table = identityTable(1);
    table.rows[0][0] = `arn:aws:iam::123456789012:role/${'x'.repeat(200)}`;
    table.rows[0][1] = 'line one\r\nline two';
    const l = layout(table);
    const row = cellsOf(l, 1);
    assert.ok(row[0].endsWith('…'));
    assert.ok([...row[0]].length <= MAX_CELL_CHARS);
    assert.equal(row[1], 'line one line two');
    assert.ok(l.partial, 'a cut cell means the CSV should go along');
  });

  it('fits many wide columns in the width and leaves out those that do not fit', () => {
    const columns = Array.from({ length: 30 }, (_, i) => ({ name: `Column${i}`, type: 'string' as const }));
    const table: ResultTable = { name: 'PrimaryResult', columns, rows: [columns.map((c) => `${c.name} value that is long`)] };
    const l = layout(table, { width: 800 });
    assert.ok(l.shownColumns < 30);
    assert.equal(l.totalColumns, 30);
    assert.match(l.note, /of 30 columns/);
    const right = Math.max(...l.columns.map((c) => c.x + c.width));
    assert.ok(right <= l.width, `${right} ≤ ${l.width}`);
  });

  it('estimates CJK text wider than Latin (a full em), and cuts it to fit', () => {
    assert.equal(textPx('用户'), 24);
    assert.equal(textPx('ab'), 14);
    assert.deepEqual(fitText('abc', 100), { text: 'abc', cut: false });
    const cut = fitText('过去三十天的活动记录', 60);
    assert.ok(cut.cut && cut.text.endsWith('…') && textPx(cut.text) <= 60);
  });

  it('says so when there are no rows', () => {
    const table = identityTable(0);
    assert.equal(layout(table).note, 'No rows');
    assert.equal(layout(table, { language: 'zh' }).note, '没有行');
  });

  it('builds a spec whose shape depends only on the row count and title', () => {
    const a: Json = chartSpec(identityTable(25), { visualization: 'table', title: '身份' });
    const b: Json = chartSpec({ ...identityTable(30), rows: identityTable(30).rows.reverse() }, { visualization: 'table', title: '身份' });
    assert.equal(a.title, '身份');
    assert.notDeepEqual(a.data.values, b.data.values);
    assert.deepEqual({ ...a, data: null }, { ...b, data: null });
    assert.equal(a.width, 1040 - 24);
  });
});
