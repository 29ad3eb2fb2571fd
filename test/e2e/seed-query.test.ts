/**
 * The seed query (DESIGN.md, kept verbatim in test/fixtures/seed-query.kql) run through the CLI
 * on CloudTrail files written here: 30 zero-filled daily rows whose values equal the per-day
 * counts of the records, computed from the files by this test, not by the KQL engine.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/app/cli.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-25T09:30:00Z'); // not midnight: bins are aligned to now, not to days

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], cwd: string): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    cwd,
  });
  return { code, stdout, stderr };
}

/** A small deterministic PRNG so the files are the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function record(i: number, time: number): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::012345678901:user/alice',
      accountId: '012345678901',
      userName: 'alice',
    },
    eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName: i % 3 ? 'DescribeInstances' : 'RunInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { maxResults: 5 },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '012345678901',
    eventCategory: 'Management',
  };
}

let dir: string;
let expected: Map<number, number>; // bin start (ms) → records in [start, start + 1d)

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seed-query-'));
  const logs = join(dir, 'AWSLogs', '012345678901', 'CloudTrail', 'us-east-1', '2026', '11');
  await mkdir(logs, { recursive: true });
  const rand = rng(7);
  const records: Record<string, unknown>[] = [];
  // 40 days of events (older ones must not add bins), quieter on some days, none on two days.
  for (let i = 0; i < 3000; i++) {
    const t = NOW - Math.floor(rand() * 40 * DAY) - 1000;
    const daysAgo = Math.floor((NOW - t) / DAY);
    if (daysAgo === 3 || daysAgo === 17) continue; // two empty days: must come back as 0
    records.push(record(i, t));
  }
  // ~1,000 records per gzipped file, as CloudTrail writes them; one file also delivered twice.
  for (let f = 0; f * 1000 < records.length; f++) {
    const body = gzipSync(JSON.stringify({ Records: records.slice(f * 1000, (f + 1) * 1000) }));
    await writeFile(join(logs, `012345678901_CloudTrail_us-east-1_part${f}.json.gz`), body);
  }
  await writeFile(join(logs, 'redelivered.json'), JSON.stringify({ Records: records.slice(0, 50) }));

  // Expected counts, from the records themselves: one per eventID, in 30 bins of 1 day aligned to NOW.
  expected = new Map();
  for (let k = 1; k <= 30; k++) expected.set(NOW - k * DAY, 0);
  for (const r of new Map(records.map((r) => [r.eventID, r])).values()) {
    const t = Date.parse(r.eventTime as string);
    if (t < NOW - 30 * DAY || t >= NOW) continue;
    const start = NOW - Math.ceil((NOW - t) / DAY) * DAY;
    expected.set(start, (expected.get(start) ?? 0) + 1);
  }
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('the seed query returns 30 zero-filled daily rows equal to the per-day counts of the imported files', async () => {
  const data = join(dir, 'data');
  const imported = await cli(['workspace', 'import', join(dir, 'AWSLogs'), '--data-dir', data, '--json'], dir);
  assert.equal(imported.code, 0, imported.stderr);
  const summary = JSON.parse(imported.stdout);
  assert.equal(summary.duplicates, 50, 'the redelivered records are not stored twice');

  const query = new URL('../fixtures/seed-query.kql', import.meta.url).pathname;
  const ran = await cli(
    ['kql', query, '--timespan', 'P30D', '--now', new Date(NOW).toISOString(), '--json', '--out', 'chart.png', '--data-dir', data],
    dir,
  );
  assert.equal(ran.code, 0, ran.stderr);
  const result = JSON.parse(ran.stdout);
  assert.deepEqual(result.render, { visualization: 'timechart' });
  const table = result.tables[0];
  assert.deepEqual(table.columns, [
    { name: 'Value', type: 'long' },
    { name: 'Time', type: 'datetime' },
    { name: 'Legend', type: 'string' },
  ]);
  assert.equal(table.rows.length, 30);
  const times = table.rows.map((r: unknown[]) => Date.parse(r[1] as string));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => b - a),
    'sort by is descending',
  );
  const got = new Map<number, number>(table.rows.map((r: unknown[]) => [Date.parse(r[1] as string), r[0] as number]));
  assert.deepEqual(got, expected);
  assert.equal(got.get(NOW - 4 * DAY), 0, 'an empty day is zero-filled');
  for (const r of table.rows) assert.equal(r[2], 'awsCloudTrail');

  const png = await readFile(join(dir, 'chart.png'));
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG');
  assert.ok(png.readUInt32BE(16) >= 600 && png.readUInt32BE(20) >= 300, 'chart size');
});

test('the same query without a timespan sees the older events too (extra bins), as in Log Analytics', async () => {
  const data = join(dir, 'data');
  const query = new URL('../fixtures/seed-query.kql', import.meta.url).pathname;
  const ran = await cli(['kql', query, '--now', new Date(NOW).toISOString(), '--json', '--data-dir', data], dir);
  assert.equal(ran.code, 0, ran.stderr);
  assert.ok(JSON.parse(ran.stdout).tables[0].rows.length > 30);
});
