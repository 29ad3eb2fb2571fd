/**
 * `ask` end to end on the local workspace: generated CloudTrail, a question in English and the
 * same in Chinese, the JSON answer, the chart, and the counts checked against the records
 * themselves (not the KQL engine).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../src/app/cli.ts';
import { generateCloudTrailRecords } from '../../src/cloud/logs/local/generate.ts';

const NOW = '2026-11-25T12:00:00Z';
const DAY = 86_400_000;
let dir: string;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main([...args, '--data-dir', join(dir, 'data')], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    cwd: dir,
  });
  return { code, stdout, stderr };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ask-'));
  const r = await cli(['workspace', 'generate', '--now', NOW, '--days', '60', '--events-per-day', '500', '--seed', '11']);
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function askJson(question: string, extra: string[] = []) {
  const r = await cli(['ask', question, '--now', NOW, '--json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('"AWS activity last 30 days": the seed query\'s zero-filled daily shape, counts equal to the records', async () => {
  const a = await askJson('AWS activity last 30 days', ['--out', 'activity.png']);
  assert.equal(a.intent.kind, 'activity_over_time');
  assert.equal(a.render.visualization, 'timechart');
  assert.match(a.kql, /\brange\b/, 'zero-filled with a range of bins, like the seed query');
  assert.match(a.kql, /union isfuzzy=true/);
  const t = a.tables[0];
  const col = (name: string) => t.columns.findIndex((c: { name: string }) => c.name === name);
  assert.equal(t.rows.length, 30);
  // Independent counts: the generator's records, deduplicated by eventID, binned by day ending at NOW.
  const now = Date.parse(NOW);
  const records = generateCloudTrailRecords({ now, days: 60, eventsPerDay: 500, seed: 11 });
  const expected = new Map<number, number>();
  let total = 0;
  let previous = 0;
  for (const r of new Map(records.map((r) => [r.eventID, r])).values()) {
    const ms = Date.parse(r.eventTime as string);
    if (ms >= now - 30 * DAY && ms < now) {
      const bin = now - Math.ceil((now - ms) / DAY) * DAY;
      expected.set(bin, (expected.get(bin) ?? 0) + 1);
      total++;
    } else if (ms >= now - 60 * DAY && ms < now - 30 * DAY) previous++;
  }
  for (const row of t.rows) assert.equal(row[col('Value')], expected.get(Date.parse(row[col('Time')])) ?? 0, row[col('Time')]);
  assert.equal(t.rows[0][col('WindowTotal')], total);
  assert.equal(t.rows[0][col('PreviousTotal')], previous);
  assert.match(a.summary, new RegExp(total.toLocaleString('en-US')));
  const png = await readFile(join(dir, 'activity.png'));
  assert.equal(png.toString('latin1', 1, 4), 'PNG');
});

test('English and Chinese phrasings of the same question run the same query, titles apart', async () => {
  const pairs = [
    ['AWS activity last 30 days', '过去30天的AWS活动'],
    ['console logins without MFA in the last 7 days', '最近7天未使用MFA的控制台登录'],
    ['top 5 event names last 7 days', '过去7天前5的事件名称'],
  ];
  for (const [en, zh] of pairs) {
    const a = await askJson(en);
    const b = await askJson(zh);
    assert.equal(a.intent.kind, b.intent.kind, `${en} / ${zh}`);
    assert.equal(a.intent.language, 'en');
    assert.equal(b.intent.language, 'zh');
    const strip = (kql: string) => kql.replace(/(title|xtitle|ytitle)="(?:[^"\\]|\\.)*"/g, '$1=…');
    assert.equal(strip(a.kql), strip(b.kql), `${en} / ${zh}`);
    assert.deepEqual(a.tables[0].rows, b.tables[0].rows);
    assert.match(b.summary, /[\u4e00-\u9fff]/, 'the Chinese question gets a Chinese summary');
  }
});

test('an unknown question gets the closest supported questions and exit code 1', async () => {
  const r = await cli(['ask', 'what is the weather in Paris', '--now', NOW]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /sentinel help/);
  assert.ok(r.stderr.split('\n').filter((l) => l.trim().startsWith('•')).length >= 1);
});

test('a bad --tz is refused with what is expected', async () => {
  const r = await cli(['ask', 'AWS activity today', '--now', NOW, '--tz', 'Mars/Olympus']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /IANA time zone/);
});
