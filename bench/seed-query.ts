/**
 * The seed query (DESIGN.md) over one million AWSCloudTrail rows with a warm
 * parser: one pass over a million timestamps. Goal: ≤ 200 ms on 2 cores.
 * Also a plain `summarize count() by bin(...)` and a filtered top-N, for scale.
 */
import { BoolColumn, type Column, DictStringColumn, NumberColumn, type Table } from '../src/kql/columns.ts';
import { runQuery } from '../src/kql/engine.ts';
import { WORKSPACE_SCHEMAS } from '../src/kql/kusto.ts';
import { percentile, print } from './stats.ts';

export const SEED_QUERY = `let Now = now();
(range TimeGenerated from ago(30d) to Now-1d step 1d
| extend Count = 0
| union isfuzzy=true (AWSCloudTrail
| summarize Count = count() by bin_at(TimeGenerated, 1d, Now))
| summarize Count=max(Count) by bin_at(TimeGenerated, 1d, Now)
| sort by TimeGenerated
| project Value = iff(isnull(Count), 0, Count), Time = TimeGenerated, Legend = "awsCloudTrail")
| render timechart`;

/** One million rows spread over 35 days, a realistic spread of event names and regions. */
function millionRows(now: number, n = 1_000_000): Table {
  const schema = WORKSPACE_SCHEMAS[0].columns;
  const times = new Float64Array(n);
  const names = ['DescribeInstances', 'GetObject', 'AssumeRole', 'ConsoleLogin', 'PutObject', 'ListBuckets', 'CreateUser', 'StopLogging'];
  const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1', 'us-west-2'];
  const nameCodes = new Uint32Array(n);
  const regionCodes = new Uint32Array(n);
  let seed = 42;
  const rand = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = 0; i < n; i++) {
    times[i] = now - Math.floor(rand() * 35 * 86_400_000);
    nameCodes[i] = Math.floor(rand() ** 2 * names.length);
    regionCodes[i] = Math.floor(rand() ** 3 * regions.length);
  }
  const empty = new Uint32Array(n);
  const data: Column[] = schema.map((c) => {
    if (c.name === 'TimeGenerated') return new NumberColumn('datetime', times);
    if (c.name === 'EventName') return new DictStringColumn('string', nameCodes, names);
    if (c.name === 'AWSRegion') return new DictStringColumn('string', regionCodes, regions);
    if (c.type === 'bool') return new BoolColumn(new Uint8Array(n).fill(2));
    if (c.type === 'string') return new DictStringColumn('string', empty, ['']);
    return new NumberColumn(c.type, new Float64Array(n).fill(Number.NaN));
  });
  return { columns: schema, data, length: n };
}

export function main(): void {
  const now = Date.parse('2026-11-25T12:00:00Z');
  const table = millionRows(now);
  const source = (name: string) => (name === 'AWSCloudTrail' ? table : undefined);
  const t0 = performance.now();
  runQuery('AWSCloudTrail | take 1', source, { now });
  print('kql.parser_first_analysis_ms', performance.now() - t0);
  const queries: [string, string, number | undefined][] = [
    ['seed_1m', SEED_QUERY, 30 * 86_400_000],
    ['count_by_day_1m', 'AWSCloudTrail | summarize count() by bin(TimeGenerated, 1d)', undefined],
    [
      'filter_top_1m',
      'AWSCloudTrail | where EventName == "ConsoleLogin" and AWSRegion != "us-east-1" | summarize n = count() by AWSRegion | top 3 by n',
      undefined,
    ],
  ];
  for (const [name, text, timespanMs] of queries) {
    for (let i = 0; i < 3; i++) runQuery(text, source, { now, timespanMs });
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      runQuery(text, source, { now, timespanMs });
      times.push(performance.now() - t);
    }
    print(`kql.${name}.p50_ms`, percentile(times, 50));
    print(`kql.${name}.p95_ms`, percentile(times, 95));
  }
}

if (import.meta.main) main();
