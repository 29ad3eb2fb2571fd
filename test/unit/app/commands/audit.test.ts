import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { main } from '../../../../src/app/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'audit-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd,
    env: { LOG_LEVEL: 'silent' },
    stdin: Readable.from([]),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

describe('audit verify|export', () => {
  it('an empty log is intact; an edited row is named and exits 1', async () => {
    const cwd = join(root, 'a');
    mkdirSync(cwd);
    const empty = await run(['audit', 'verify'], cwd);
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /^audit log intact: 0 rows/);

    const req = await run(['onboarding', 'request', '--account', '012345678901', '--workspace', 'sandbox', '--as', 'alice'], cwd);
    assert.equal(req.code, 0, req.stderr);
    const ok = await run(['audit', 'verify', '--json'], cwd);
    assert.equal(ok.code, 0);
    assert.equal(JSON.parse(ok.stdout).ok, true);
    const lines = (await run(['audit', 'export'], cwd)).stdout.trim().split('\n');
    assert.ok(lines.length >= 1);

    const db = new DatabaseSync(join(cwd, '.data', 'sentinel-chatops.sqlite'));
    const table = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'audit%'").get() as { name: string }).name;
    // A tamperer with the database file drops the append-only triggers first.
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[])
      db.exec(`DROP TRIGGER "${t.name}"`);
    db.prepare(`UPDATE ${table} SET actor = 'mallory' WHERE seq = 1`).run();
    db.close();
    const bad = await run(['audit', 'verify'], cwd);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error: the audit log has been tampered with/);
    assert.match(bad.stderr, /error: .*1/);
  });
});
