import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, test } from 'node:test';
import type { AwsCloudTrailRow } from '../../../../../src/cloud/logs/local/awscloudtrail-columns.ts';
import { mapCloudTrailRecord } from '../../../../../src/cloud/logs/local/cloudtrail-record.ts';
import { generateCloudTrail, generateCloudTrailRecords } from '../../../../../src/cloud/logs/local/generate.ts';
import { openWorkspace, WorkspaceError, workspaceRows } from '../../../../../src/cloud/logs/local/workspace.ts';
import { DictStringColumn, type Table } from '../../../../../src/kql/columns.ts';
import { sampleRecords, TENANT } from './fixtures.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'ws-test-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function rowsOf(records: unknown[]): AwsCloudTrailRow[] {
  return records.map((r) => {
    const m = mapCloudTrailRecord(r, { tenantId: TENANT });
    if (!m.ok) throw new Error(m.reason);
    return m.row;
  });
}

function generatedRows(seed: number, eventsPerDay = 300): AwsCloudTrailRow[] {
  return rowsOf([...generateCloudTrail({ now: '2025-06-15T12:00:00Z', days: 7, eventsPerDay, seed })]);
}

/** All cells, row by row, keyed by event ID (row order is not part of the contract). */
function cells(t: Table): Map<string, unknown[]> {
  const id = t.columns.findIndex((c) => c.name === 'AwsEventId');
  const out = new Map<string, unknown[]>();
  for (let r = 0; r < t.length; r++)
    out.set(
      t.data[id].get(r) as string,
      t.data.map((c) => c.get(r)),
    );
  return out;
}

describe('workspace store', () => {
  it('starts empty', async () => {
    const ws = await openWorkspace(await tempDir());
    assert.equal(ws.table().length, 0);
    assert.equal(ws.table().columns.length, 59);
    assert.deepEqual(ws.stats(), { rows: 0, minTime: null, maxTime: null, accounts: [] });
  });

  it('round-trips rows through the files: reload gives the same table', async () => {
    const dataDir = await tempDir();
    const rows = [...rowsOf(sampleRecords()), ...generatedRows(1)];
    const ws = await openWorkspace(dataDir);
    const r1 = await ws.append(rows.slice(0, 900));
    const r2 = await ws.append(rows.slice(900));
    assert.equal(r1.appended + r2.appended, rows.length);
    assert.equal(ws.segments().length, 2);
    const reopened = await openWorkspace(dataDir);
    const t = reopened.table();
    assert.equal(t.length, rows.length);
    assert.deepEqual(
      t.columns.map((c) => c.name),
      ws.table().columns.map((c) => c.name),
    );
    assert.deepEqual(cells(t), cells(ws.table()));
    // Spot-check against the source rows.
    const byId = cells(t);
    const first = rows[0];
    assert.deepEqual(
      byId.get(first.AwsEventId),
      t.columns.map((c) => first[c.name as keyof AwsCloudTrailRow]),
    );
    for (const c of t.data) if (c instanceof DictStringColumn) assert.equal(new Set(c.dict).size, c.dict.length);
    assert.deepEqual(reopened.stats(), ws.stats());
  });

  it('reloads many segments whose columns change shape (echoes that diverge, constants that vary)', async () => {
    const dataDir = await tempDir();
    const rows = generatedRows(7);
    const ws = await openWorkspace(dataDir);
    await ws.append(rows.slice(0, 100));
    // _ItemId stops echoing AwsEventId, TenantId changes, a column that was empty gets values.
    await ws.append(
      rows.slice(100, 200).map((r, i) => ({ ...r, _ItemId: `item-${i}`, TenantId: 'other-tenant', CidrIp: i % 2 ? '0.0.0.0/0' : '' })),
    );
    await ws.append(rows.slice(200, 300));
    await ws.append(rows.slice(300, 301).map((r) => ({ ...r, TenantId: TENANT })));
    await ws.append(rows.slice(301, 400).map((r) => ({ ...r, AwsRequestId_: 'x' })));
    assert.equal(ws.segments().length, 5);
    const t = ws.table();
    const item = t.columns.findIndex((c) => c.name === '_ItemId');
    const id = t.columns.findIndex((c) => c.name === 'AwsEventId');
    assert.notEqual(t.data[item], t.data[id]);
    assert.equal(t.data[item].get(150), 'item-50');
    const reopened = await openWorkspace(dataDir);
    assert.deepEqual(cells(reopened.table()), cells(t));
    for (const c of reopened.table().data) if (c instanceof DictStringColumn) assert.equal(new Set(c.dict).size, c.dict.length);
    await reopened.compact();
    assert.deepEqual(cells((await openWorkspace(dataDir)).table()), cells(t));
  });

  it('refuses rows without an event ID', async () => {
    const ws = await openWorkspace(await tempDir());
    const [row] = generatedRows(8);
    assert.throws(() => ws.batch().add({ ...row, AwsEventId: '' }), WorkspaceError);
  });

  it('keeps one row per event ID', async () => {
    const dataDir = await tempDir();
    const rows = generatedRows(2);
    const ws = await openWorkspace(dataDir);
    const first = await ws.append([...rows, ...rows.slice(0, 10)]);
    assert.equal(first.appended, rows.length);
    assert.equal(first.duplicates, 10);
    const again = await ws.append(rows);
    assert.deepEqual(again, { appended: 0, duplicates: rows.length });
    const reopened = await openWorkspace(dataDir);
    assert.equal(reopened.hasEvent(rows[5].AwsEventId), true);
    const third = await reopened.append(rows.slice(0, 50));
    assert.equal(third.appended, 0);
    assert.equal(reopened.table().length, rows.length);
  });

  it('reports stats: rows, time range, rows per account', async () => {
    const ws = await openWorkspace(await tempDir());
    await ws.append(rowsOf(sampleRecords()));
    assert.deepEqual(ws.stats(), {
      rows: 4,
      minTime: Date.parse('2024-03-06T21:01:59Z'),
      maxTime: Date.parse('2024-03-06T21:20:31Z'),
      accounts: [{ id: '012345678901', rows: 4 }],
    });
  });

  it('compacts many segments into one', async () => {
    const dataDir = await tempDir();
    const rows = generatedRows(3);
    const ws = await openWorkspace(dataDir, { compactAfter: 3 });
    for (let i = 0; i < 4; i++) await ws.append(rows.slice(i * 100, (i + 1) * 100));
    assert.equal(ws.segments().length, 1, 'compacted after the 4th segment');
    assert.deepEqual(await readdir(join(dataDir, 'workspace', 'segments')), [ws.segments()[0].file]);
    const reopened = await openWorkspace(dataDir);
    assert.deepEqual(cells(reopened.table()), cells(ws.table()));
  });

  it('ignores and then removes files a crash left behind', async () => {
    const dataDir = await tempDir();
    const rows = generatedRows(4);
    const ws = await openWorkspace(dataDir);
    await ws.append(rows.slice(0, 100));
    const segDir = join(dataDir, 'workspace', 'segments');
    await writeFile(join(segDir, 'seg-000009-deadbeef.ctseg.123.tmp'), 'half a segment');
    await writeFile(join(segDir, 'seg-000010-deadbeef.ctseg'), 'not in the manifest');
    await writeFile(join(dataDir, 'workspace', 'manifest.json.123.tmp'), '{"half');
    const reopened = await openWorkspace(dataDir);
    assert.equal(reopened.table().length, 100);
    await reopened.append(rows.slice(100, 200));
    assert.equal((await readdir(segDir)).length, 2);
  });

  it('refuses a damaged segment or manifest with a clear message', async () => {
    const dataDir = await tempDir();
    const ws = await openWorkspace(dataDir);
    await ws.append(generatedRows(5).slice(0, 50));
    const seg = join(dataDir, 'workspace', 'segments', ws.segments()[0].file);
    const bytes = await readFile(seg);
    bytes[bytes.length - 3] ^= 0xff;
    await writeFile(seg, bytes);
    await assert.rejects(openWorkspace(dataDir), /checksum mismatch/);
    await writeFile(join(dataDir, 'workspace', 'manifest.json'), '{');
    await assert.rejects(openWorkspace(dataDir), WorkspaceError);
  });

  it('refuses a batch started before another commit', async () => {
    const ws = await openWorkspace(await tempDir());
    const rows = generatedRows(6);
    const stale = ws.batch();
    stale.add(rows[0]);
    await ws.append(rows.slice(1, 5));
    await assert.rejects(ws.commit(stale), /start a new batch/);
  });
});

test('workspaceRows reads the row count from the manifest: 0 for a new data directory', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ws-rows-'));
  try {
    assert.equal(await workspaceRows(dir), 0);
    const ws = await openWorkspace(dir);
    const records = generateCloudTrailRecords({ now: Date.parse('2026-11-25T12:00:00Z'), days: 1, eventsPerDay: 50, seed: 5 });
    await ws.append(
      records.map((r) => {
        const m = mapCloudTrailRecord(r, { tenantId: TENANT });
        assert.ok(m.ok);
        return m.row;
      }),
    );
    assert.equal(await workspaceRows(dir), ws.table().length);
    assert.ok(ws.table().length > 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
