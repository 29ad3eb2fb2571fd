import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { generateCloudTrail, writeCloudTrailFiles } from '../../../../../src/cloud/logs/local/generate.ts';
import { importCloudTrail } from '../../../../../src/cloud/logs/local/import.ts';
import { openWorkspace } from '../../../../../src/cloud/logs/local/workspace.ts';
import { FIXTURE_ROOT, SAMPLE_FILE, sampleRecords, TENANT } from './fixtures.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'import-test-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('importCloudTrail', () => {
  it('imports the hand-written files and skips the digest file', async () => {
    const ws = await openWorkspace(await tempDir());
    const r = await importCloudTrail(ws, [FIXTURE_ROOT], { tenantId: TENANT });
    assert.deepEqual(r, { files: 1, digests: 1, records: 4, imported: 4, duplicates: 0, skipped: [] });
    assert.equal(ws.table().length, 4);
    const names = ws.table().data[5];
    assert.deepEqual(
      Array.from({ length: 4 }, (_, i) => names.get(i)),
      ['ConsoleLogin', 'AssumeRole', 'CreateUser', 'AttachUserPolicy'],
    );
  });

  it('adds nothing when the same files are imported twice', async () => {
    const dataDir = await tempDir();
    const logs = await tempDir();
    const files = await writeCloudTrailFiles(
      generateCloudTrail({ now: '2025-06-15T12:00:00Z', days: 3, eventsPerDay: 600, seed: 9 }),
      logs,
      {
        recordsPerFile: 200,
      },
    );
    assert.ok(files.length > 5);
    const ws = await openWorkspace(dataDir);
    const first = await importCloudTrail(ws, [logs], { tenantId: TENANT });
    assert.equal(first.files, files.length);
    assert.equal(first.imported, first.records);
    assert.equal(first.duplicates, 0);
    assert.equal(ws.segments().length, 1, 'one segment per import');
    const second = await importCloudTrail(ws, [logs], { tenantId: TENANT });
    assert.equal(second.imported, 0);
    assert.equal(second.duplicates, first.records);
    assert.equal(ws.segments().length, 1, 'no empty segment written');
    const reopened = await openWorkspace(dataDir);
    const third = await importCloudTrail(reopened, [files[0], files[0]], { tenantId: TENANT });
    assert.equal(third.imported, 0);
    assert.equal(reopened.table().length, first.records);
  });

  it('gives the same table with worker threads as on the main thread', async () => {
    const logs = await tempDir();
    await writeCloudTrailFiles(generateCloudTrail({ now: '2025-06-15T12:00:00Z', days: 2, eventsPerDay: 1200, seed: 12 }), logs, {
      recordsPerFile: 150,
    });
    const tables = [];
    for (const workers of [0, 2]) {
      const ws = await openWorkspace(await tempDir());
      const r = await importCloudTrail(ws, [logs, logs], { tenantId: TENANT, workers });
      assert.equal(r.duplicates, r.records / 2, 'the second listing of each file is all duplicates');
      assert.equal(r.imported, r.records / 2);
      const t = ws.table();
      tables.push(Array.from({ length: t.length }, (_, i) => t.data.map((c) => c.get(i))));
    }
    assert.ok(tables[0].length > 1000);
    assert.deepEqual(tables[1], tables[0]);
  });

  for (const workers of [0, 2])
    it(`reports malformed files and records with their positions and imports the rest (${workers} workers)`, async () => {
      const dir = await tempDir();
      const [a, b, c] = sampleRecords();
      const good = join(dir, 'a', '1-good.json.gz');
      const badGzip = join(dir, 'a', '2-bad.json.gz');
      const badJson = join(dir, 'a', '3-bad.json');
      const noRecords = join(dir, 'a', '4-norecords.json');
      const mixed = join(dir, 'b', 'mixed.json.gz');
      const digest = join(dir, 'b', 'digest.json');
      const ignored = join(dir, 'b', 'notes.txt');
      await mkdir(join(dir, 'a'), { recursive: true });
      await mkdir(join(dir, 'b'), { recursive: true });
      await writeFile(good, gzipSync(JSON.stringify({ Records: [a] })));
      await writeFile(badGzip, Buffer.concat([gzipSync(JSON.stringify({ Records: [b] })).subarray(0, 30)]));
      await writeFile(badJson, '{"Records":[{"eventID":');
      await writeFile(noRecords, JSON.stringify({ records: [c] }));
      await writeFile(
        mixed,
        gzipSync(JSON.stringify({ Records: [b, 'oops', { ...c, eventID: undefined }, { ...c, eventTime: 'soon' }, c, null] })),
      );
      await writeFile(digest, JSON.stringify({ awsAccountId: '012345678901', digestStartTime: '2024-03-06T21:00:00Z', logFiles: [] }));
      await writeFile(ignored, 'not a log');
      const ws = await openWorkspace(await tempDir());
      const missing = join(dir, 'missing.json.gz');
      const r = await importCloudTrail(ws, [dir, ignored, missing], { tenantId: TENANT, workers });
      assert.equal(r.files, 5);
      assert.equal(r.digests, 1);
      assert.equal(r.records, 7);
      assert.equal(r.imported, 3);
      assert.equal(r.duplicates, 0);
      const skipped = r.skipped.map((s) => ({ ...s, reason: s.reason.replace(/:.*$/, '') }));
      assert.deepEqual(skipped, [
        { path: ignored, reason: 'not a .json or .json.gz file' },
        { path: missing, reason: 'no such file or directory' },
        { path: badGzip, reason: 'not valid gzip' },
        { path: badJson, reason: 'not valid JSON' },
        { path: noRecords, reason: 'no Records array' },
        { path: mixed, position: 1, reason: 'record is not a JSON object' },
        { path: mixed, position: 2, reason: 'eventID is missing or not a non-empty string' },
        { path: mixed, position: 3, reason: 'eventTime is missing or not an ISO 8601 timestamp' },
        { path: mixed, position: 5, reason: 'record is not a JSON object' },
      ]);
      assert.equal(ws.table().length, 3);
    });

  it('skips digest files by path without reading them', async () => {
    const dir = await tempDir();
    const digestDir = join(dir, 'AWSLogs', '012345678901', 'CloudTrail-Digest', 'us-east-1');
    await mkdir(digestDir, { recursive: true });
    await writeFile(join(digestDir, 'x.json.gz'), 'not even gzip');
    await cp(SAMPLE_FILE, join(dir, 'sample.json'));
    const ws = await openWorkspace(await tempDir());
    const r = await importCloudTrail(ws, [dir], { tenantId: TENANT });
    assert.deepEqual(r, { files: 1, digests: 1, records: 4, imported: 4, duplicates: 0, skipped: [] });
  });

  it('commits in chunks past maxSegmentRows', async () => {
    const logs = await tempDir();
    await writeCloudTrailFiles(generateCloudTrail({ now: '2025-06-15T12:00:00Z', days: 2, eventsPerDay: 500, seed: 10 }), logs, {
      recordsPerFile: 100,
    });
    const ws = await openWorkspace(await tempDir());
    const r = await importCloudTrail(ws, [logs], { tenantId: TENANT, maxSegmentRows: 300 });
    assert.equal(r.imported, r.records);
    assert.ok(ws.segments().length >= 3);
    assert.equal(ws.table().length, r.records);
  });
});
