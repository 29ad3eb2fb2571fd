/** Result tables shaped like the catalog's queries (build-kql.ts), for the chart kinds beyond timechart. */
import type { ResultTable, WireValue } from '../../../../src/core/result-table.ts';
import { DAY, NOW } from './seed-table.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** A split series: Time, Legend, Value, WindowTotal, PreviousTotal; `days` daily bins ending at NOW, three event names. */
export function splitSeriesTable(days = 14): ResultTable {
  const rows: WireValue[][] = [];
  for (let i = days; i >= 1; i--) {
    for (const [k, f] of [
      ['AssumeRole', 7],
      ['ConsoleLogin', 3],
      ['GetObject', 11],
    ] as const) {
      rows.push([iso(NOW - i * DAY), k, ((i * f) % 23) + 2, 1234, 1000]);
    }
  }
  return {
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
}

/** A ranking: EventSource, Count, WindowTotal, PreviousTotal, busiest first. */
export function rankTable(counts: readonly number[] = [12345, 8000, 4000, 3900, 1200, 300, 250, 100, 60, 40, 30, 20, 10]): ResultTable {
  const names = ['s3', 'ec2', 'iam', 'sts', 'kms', 'cloudtrail', 'signin', 'lambda', 'sns', 'sqs', 'logs', 'route53', 'ssm'];
  const total = counts.reduce((s, c) => s + c, 0);
  return {
    name: 'PrimaryResult',
    columns: [
      { name: 'EventSource', type: 'string' },
      { name: 'Count', type: 'long' },
      { name: 'WindowTotal', type: 'long' },
      { name: 'PreviousTotal', type: 'long' },
    ],
    rows: counts.map((c, i) => [`${names[i % names.length]}${i >= names.length ? i : ''}.amazonaws.com`, c, total, 900]),
  };
}

/** Two text columns: AWSRegion (categories) and Result (series), not in value order. */
export function regionResultTable(): ResultTable {
  return {
    name: 'PrimaryResult',
    columns: [
      { name: 'AWSRegion', type: 'string' },
      { name: 'Result', type: 'string' },
      { name: 'Count', type: 'long' },
    ],
    rows: [
      ['eu-west-1', 'Success', 300],
      ['us-east-1', 'Success', 500],
      ['eu-west-1', 'Failure', 90],
      ['us-east-1', 'Failure', 40],
      ['ap-southeast-1', 'Success', 120],
      ['ap-northeast-1', 'Failure', 10],
    ],
  };
}

/** The catalog's table kinds: group columns, Count, Failed, FirstSeen, LastSeen and the totals. */
export function identityTable(rows = 37): ResultTable {
  return {
    name: 'PrimaryResult',
    columns: [
      { name: 'UserIdentityArn', type: 'string' },
      { name: 'SourceIpAddress', type: 'string' },
      { name: 'Count', type: 'long' },
      { name: 'Failed', type: 'long' },
      { name: 'FirstSeen', type: 'datetime' },
      { name: 'LastSeen', type: 'datetime' },
      { name: 'WindowTotal', type: 'long' },
      { name: 'PreviousTotal', type: 'long' },
    ],
    rows: Array.from({ length: rows }, (_, i) => [
      `arn:aws:iam::123456789012:user/user${i}`,
      `203.0.113.${i}`,
      10000 - i * 250,
      i % 4,
      iso(NOW - (i + 3) * DAY),
      iso(NOW - i * 3_600_000),
      1,
      1,
    ]),
  };
}
