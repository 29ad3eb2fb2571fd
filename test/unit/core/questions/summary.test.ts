import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SummaryOptions, summarize } from '../../../../src/core/questions/summary.ts';
import type { ResultTable, WireValue } from '../../../../src/core/result-table.ts';

const DAY = 86_400_000;
const END = Date.UTC(2025, 10, 25, 13, 7);
const iso = (ms: number) => new Date(ms).toISOString();
const LAST_30 = { en: 'last 30 days', zh: '过去30天' };
const LAST_7 = { en: 'last 7 days', zh: '过去7天' };

function opts(o: Partial<SummaryOptions> = {}): SummaryOptions {
  return { language: 'en', timeZone: 'UTC', windowLabel: LAST_30, chart: 'timechart', ...o };
}

/** The catalog's series shape: Time, Value, Legend, WindowTotal, PreviousTotal, one row per day. */
function series(values: readonly number[], previous?: number, windowTotal = values.reduce((s, v) => s + v, 0)): ResultTable {
  const columns: ResultTable['columns'] = [
    { name: 'Time', type: 'datetime' },
    { name: 'Value', type: 'long' },
    { name: 'Legend', type: 'string' },
    { name: 'WindowTotal', type: 'long' },
  ];
  if (previous !== undefined) columns.push({ name: 'PreviousTotal', type: 'long' });
  const rows: WireValue[][] = values.map((v, i) => {
    const row: WireValue[] = [iso(END - (values.length - i) * DAY), v, 'AWSCloudTrail', windowTotal];
    if (previous !== undefined) row.push(previous);
    return row;
  });
  return { name: 'PrimaryResult', columns, rows };
}

function ranking(rows: [string, number][], windowTotal?: number, previous?: number): ResultTable {
  const columns: ResultTable['columns'] = [
    { name: 'AWSRegion', type: 'string' },
    { name: 'Count', type: 'long' },
  ];
  if (windowTotal !== undefined) columns.push({ name: 'WindowTotal', type: 'long' });
  if (previous !== undefined) columns.push({ name: 'PreviousTotal', type: 'long' });
  return {
    name: 'PrimaryResult',
    columns,
    rows: rows.map(([g, n]) => [g, n, ...(windowTotal !== undefined ? [windowTotal] : []), ...(previous !== undefined ? [previous] : [])]),
  };
}

const HINT = { visualization: 'timechart', xcolumn: 'Time', ycolumns: ['Value'], series: ['Legend'], title: 'AWS activity, last 30 days' };

describe('summarize: time series', () => {
  it('gives the total, the change against the previous period and the peak with its day', () => {
    const values = [100, 250, 1020, 300, 450];
    const table = series(values, 1900); // total 2,120: +12% against 1,900 (11.6%)
    assert.equal(
      summarize(table, opts({ render: HINT })).text,
      '2,120 events in the last 30 days (+12% vs the previous 30 days). Peak: 1,020 on Nov 22.',
    );
    assert.equal(
      summarize(table, opts({ render: HINT, language: 'zh' })).text,
      '过去30天共2,120个事件，比上一周期增加12%。峰值：11月22日，1,020个事件。',
    );
  });

  it('says a decrease, no change, and no events before', () => {
    assert.match(summarize(series([46], 50), opts()).text, /\(−8% vs the previous 30 days\)/);
    assert.match(summarize(series([46], 50), opts({ language: 'zh' })).text, /比上一周期减少8%/);
    assert.match(summarize(series([50], 50), opts()).text, /about the same as the previous 30 days/);
    assert.match(summarize(series([50], 50), opts({ language: 'zh' })).text, /与上一周期持平/);
    assert.match(summarize(series([5], 0), opts()).text, /\(no events in the previous 30 days\)/);
    assert.match(summarize(series([5], 0), opts({ language: 'zh' })).text, /上一周期没有事件/);
    assert.match(
      summarize(series([5], 0), opts({ windowLabel: { en: 'this week', zh: '本周' } })).text,
      /5 events this week \(no events in the previous period\)/,
    );
  });

  it('takes the total from WindowTotal when present (the chart may show only some series), else sums the values', () => {
    assert.match(summarize(series([1, 2, 3], undefined, 5000), opts()).text, /^5,000 events/);
    const noTotal = series([1, 2, 3]);
    noTotal.columns.pop();
    for (const row of noTotal.rows) row.pop();
    assert.match(summarize(noTotal, opts()).text, /^6 events in the last 30 days\. Peak: 3 on Nov 24\.$/);
  });

  it('names the peak bin in the request zone, with the time of day for hourly bins', () => {
    const rows: WireValue[][] = [0, 1, 2, 3].map((h) => [iso(Date.UTC(2025, 10, 24, 20 + h)), [1, 9, 2, 3][h], 'x', 15, 15]);
    const table: ResultTable = { ...series([]), rows, columns: [...series([], 1).columns] };
    const o = opts({ timeZone: 'Asia/Shanghai', render: HINT, windowLabel: { en: 'past 24 hours', zh: '过去24小时' } });
    assert.equal(
      summarize(table, o).text,
      '15 events in the past 24 hours (about the same as the previous 24 hours). Peak: 9 on Nov 25 05:00 (Asia/Shanghai, UTC+8).',
    );
    assert.match(summarize(table, { ...o, language: 'zh' }).text, /峰值：11月25日 05:00（Asia\/Shanghai, UTC\+8），9个事件/);
  });

  it('sums series per bin for the peak, and names the busiest series', () => {
    const rows: WireValue[][] = [
      [iso(END - 2 * DAY), 'ConsoleLogin', 5, 26, 20],
      [iso(END - 2 * DAY), 'AssumeRole', 6, 26, 20],
      [iso(END - DAY), 'ConsoleLogin', 1, 26, 20],
      [iso(END - DAY), 'AssumeRole', 14, 26, 20],
    ];
    const table: ResultTable = {
      name: 'PrimaryResult',
      columns: [
        { name: 'Time', type: 'datetime' },
        { name: 'Legend', type: 'string' },
        { name: 'Value', type: 'long' },
        { name: 'WindowTotal', type: 'long' },
        { name: 'PreviousTotal', type: 'long' },
      ],
      rows,
    };
    const s = summarize(table, opts({ render: HINT }));
    assert.equal(s.text, '26 events in the last 30 days (+30% vs the previous 30 days). Peak: 15 on Nov 24. Most: AssumeRole, 20 (77%).');
    assert.match(s.altText, /2 series/);
  });
});

describe('summarize: categories', () => {
  it('gives the top group and its share of the window total', () => {
    const table = ranking(
      [
        ['us-east-1', 12_345],
        ['eu-west-1', 5_000],
      ],
      20_000,
      10_000,
    );
    const o = opts({ chart: 'barchart' });
    assert.equal(
      summarize(table, o).text,
      '20,000 events in the last 30 days (+100% vs the previous 30 days). Top: us-east-1, 12,345 (62%).',
    );
    assert.equal(
      summarize(table, { ...o, language: 'zh' }).text,
      '过去30天共20,000个事件，比上一周期增加100%。最多：us-east-1，12,345个事件（62%）。',
    );
  });

  it('sums a category over its series for a column chart', () => {
    const table: ResultTable = {
      name: 'PrimaryResult',
      columns: [
        { name: 'AWSRegion', type: 'string' },
        { name: 'Result', type: 'string' },
        { name: 'Count', type: 'long' },
      ],
      rows: [
        ['eu-west-1', 'Success', 300],
        ['us-east-1', 'Success', 200],
        ['us-east-1', 'Failure', 150],
      ],
    };
    const s = summarize(table, opts({ chart: 'columnchart' }));
    assert.equal(s.text, '650 events in the last 30 days. Top: us-east-1, 350 (54%).');
    assert.match(
      s.altText,
      /^Column chart\. Categories: AWSRegion \(2\), largest us-east-1\. Values: Count, from 300 to 350\. 2 series\.$/,
    );
  });
});

describe('summarize: nothing found', () => {
  it('says so for an empty result, in both languages', () => {
    const empty = ranking([]);
    assert.equal(summarize(empty, opts({ chart: 'barchart', windowLabel: LAST_7 })).text, 'No matching events in the last 7 days.');
    assert.equal(summarize(empty, opts({ chart: 'barchart', windowLabel: LAST_7, language: 'zh' })).text, '过去7天没有匹配的事件。');
  });

  it("says so for the catalog's zero-filled series and placeholder rows, with the previous period's count", () => {
    assert.equal(summarize(series([0, 0, 0], 0), opts({ windowLabel: LAST_7 })).text, 'No matching events in the last 7 days.');
    assert.equal(
      summarize(series([0, 0, 0], 42), opts({ windowLabel: LAST_7 })).text,
      'No matching events in the last 7 days (42 in the previous 7 days).',
    );
    assert.equal(
      summarize(series([0, 0, 0], 42), opts({ windowLabel: LAST_7, language: 'zh' })).text,
      '过去7天没有匹配的事件（上一周期为42个）。',
    );
    const placeholder = ranking([['', 0]], 0, 0);
    assert.equal(
      summarize(placeholder, opts({ chart: 'piechart', windowLabel: { en: 'yesterday', zh: '昨天' } })).text,
      'No matching events yesterday.',
    );
    const alt = summarize(
      placeholder,
      opts({ chart: 'piechart', windowLabel: LAST_7, render: { visualization: 'piechart', title: '按区域' } }),
    ).altText;
    assert.equal(alt, 'Pie chart: 按区域. No data: No matching events in the last 7 days.');
  });
});

describe('summarize: alt text', () => {
  it('describes a time chart: kind, title, axes with the zone and range, values, series', () => {
    const table = series([3, 7, 5], 10);
    const render = { ...HINT, ytitle: 'Events' };
    assert.equal(
      summarize(table, opts({ render, timeZone: 'Asia/Shanghai' })).altText,
      'Time chart: AWS activity, last 30 days. X axis: Time (Asia/Shanghai, UTC+8), Nov 22 to Nov 24, 3 points, one per day. Y axis: Events, from 3 to 7. 1 series.',
    );
    assert.equal(
      summarize(table, opts({ render: { ...render, title: '过去30天的AWS活动' }, timeZone: 'Asia/Shanghai', language: 'zh' })).altText,
      '时间图：过去30天的AWS活动。横轴：Time（Asia/Shanghai, UTC+8），11月22日至11月24日，3个时间点，每天。纵轴：Events，3至7。1个系列。',
    );
  });

  it('describes a bar chart, a pie chart and a table', () => {
    const table = ranking(
      [
        ['us-east-1', 1_500],
        ['eu-west-1', 20],
      ],
      1_520,
      1_520,
    );
    assert.equal(
      summarize(table, opts({ chart: 'barchart', render: { visualization: 'barchart', title: 'By region', ytitle: 'Events' } })).altText,
      'Bar chart: By region. Categories: AWSRegion (2), largest us-east-1. Values: Events, from 20 to 1,500. 1 series.',
    );
    assert.equal(
      summarize(table, opts({ chart: 'piechart', language: 'zh' })).altText,
      '饼图。扇区：AWSRegion，共2项，最大为us-east-1。数值：Count，20至1,500。',
    );
    assert.equal(
      summarize(table, opts({ chart: 'table', title: 'Regions' })).altText,
      'Table: Regions. 2 rows, 2 columns: AWSRegion, Count. Values: Count, from 20 to 1,500.',
    );
  });

  it('reads the hint in its wire form too (comma-separated ycolumns)', () => {
    const render = { visualization: 'timechart', xcolumn: 'Time', ycolumns: 'Value' as never, series: 'Legend' as never, ytitle: 'Events' };
    assert.match(summarize(series([3, 7, 5], 10), opts({ render })).altText, /Y axis: Events, from 3 to 7\. 1 series\.$/);
  });

  it('never throws on a table the chart cannot draw, and counts rows when there are no numbers', () => {
    const odd: ResultTable = { name: 'PrimaryResult', columns: [{ name: 'Region', type: 'string' }], rows: [['x'], ['y']] };
    assert.deepEqual(summarize(odd, opts({ chart: 'timechart' })), {
      text: '2 results in the last 30 days.',
      altText: 'Time chart. 2 rows.',
    });
    assert.equal(summarize(odd, opts({ chart: 'table', language: 'zh' })).text, '过去30天共2条结果。');
    assert.equal(summarize({ ...odd, rows: [] }, opts({ chart: 'table' })).text, 'No matching events in the last 30 days.');
  });
});
