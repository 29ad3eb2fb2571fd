import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

/**
 * `help`, `version` and `serve` start fast and keep working when the engine or the renderer is
 * broken: loading the CLI must not load them (command modules import them lazily).
 */
describe('cli startup', () => {
  it('running `version` loads no engine, workspace, renderer or heavy package', () => {
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); loaded.push(r.url); return r; } });
      const { main } = await import(${JSON.stringify(new URL('../../../src/app/cli.ts', import.meta.url).href)});
      const code = await main(['version'], { stdout: { write() {} }, stderr: { write() {} }, env: {} });
      console.log(JSON.stringify({ code, loaded }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const { code, loaded } = JSON.parse(r.stdout) as { code: number; loaded: string[] };
    assert.equal(code, 0);
    const heavy = loaded.filter((u) =>
      /\/src\/(kql|render|cloud)\/|\/src\/core\/charts\/|node_modules\/(@kusto|sharp|vega|@napi-rs|@aws-sdk|@azure)/.test(u),
    );
    assert.deepEqual(heavy, []);
  });
});
