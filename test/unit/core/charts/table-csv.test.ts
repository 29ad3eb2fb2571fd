import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildChart, csvFilename } from '../../../../src/core/charts/chart-spec.ts';
import { csvField, tableCsv } from '../../../../src/core/charts/table-csv.ts';
import type { ResultTable } from '../../../../src/core/result-table.ts';
import { identityTable, rankTable } from './kind-tables.ts';

/** A small RFC 4180 reader, to check that what tableCsv writes reads back as the values. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  return records;
}

describe('tableCsv', () => {
  it('quotes fields with commas, quotes, CR or LF, doubles quotes, ends every record with CRLF', () => {
    const table: ResultTable = {
      name: 'PrimaryResult',
      columns: [
        { name: 'Name', type: 'string' },
        { name: 'n', type: 'long' },
        { name: 'When', type: 'datetime' },
        { name: 'ok', type: 'bool' },
        { name: 'Bag', type: 'dynamic' },
      ],
      rows: [
        ['plain', 1, '2025-11-24T13:07:00Z', true, '{"a":1,"b":"x"}'],
        ['a, b', -5, null, false, null],
        ['say "hi"\r\nnext line', 1.5, '2025-11-24T13:07:00.1234567Z', null, '[]'],
      ],
    };
    const csv = tableCsv(table);
    assert.equal(
      csv,
      'Name,n,When,ok,Bag\r\n' +
        'plain,1,2025-11-24T13:07:00Z,true,"{""a"":1,""b"":""x""}"\r\n' +
        '"a, b",-5,,false,\r\n' +
        '"say ""hi""\r\nnext line",1.5,2025-11-24T13:07:00.1234567Z,,[]\r\n',
    );
    assert.deepEqual(parseCsv(csv)[3], ['say "hi"\r\nnext line', '1.5', '2025-11-24T13:07:00.1234567Z', '', '[]']);
  });

  it('guards text that a spreadsheet would run as a formula, never numbers', () => {
    assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField(-5), '-5');
    assert.equal(csvField('=1', false), '=1');
  });

  it('round-trips Chinese text and every row of a large table', () => {
    const table = identityTable(500);
    table.rows[7][0] = '用户，张三';
    const parsed = parseCsv(tableCsv(table));
    assert.equal(parsed.length, 501);
    assert.equal(parsed[8][0], '用户，张三');
    assert.deepEqual(
      parsed[0],
      table.columns.map((c) => c.name),
      'the full table: summary columns too',
    );
  });
});

describe('buildChart attachments', () => {
  it('attaches the full table as CSV when the image shows only part of it', () => {
    const table = identityTable(37);
    const built = buildChart(table, { visualization: 'table', title: 'Identities: last 30 days' });
    assert.equal(built.attachments.length, 1);
    const [a] = built.attachments;
    assert.equal(a.filename, 'Identities last 30 days.csv');
    assert.equal(a.mimeType, 'text/csv');
    assert.ok(a.text.startsWith('\uFEFF'), 'a BOM, so spreadsheets read UTF-8');
    assert.equal(parseCsv(a.text.slice(1)).length, 38);
  });

  it('attaches nothing for a table shown whole, or for charts', () => {
    assert.deepEqual(buildChart(identityTable(5), { visualization: 'table' }).attachments, []);
    assert.deepEqual(buildChart(rankTable(), { visualization: 'barchart' }).attachments, []);
  });

  it('names the file safely', () => {
    assert.equal(csvFilename(rankTable(), { visualization: 'table', title: 'a/b\\c:*?"<>|\n d' }), 'a b c d.csv');
    assert.equal(csvFilename(rankTable(), { visualization: 'table' }), 'PrimaryResult.csv');
    assert.equal(csvFilename({ ...rankTable(), name: '' }, { visualization: 'table', title: '///' }), 'result.csv');
  });
});
