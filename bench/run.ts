/**
 * `npm run bench`: runs each benchmark in its own Node process (so one's warm
 * caches and heap never flatter another's) and prints their figures.
 * Pass names to run some: `npm run bench -- seed-query render`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'stats.ts'].includes(f) && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

let failed = 0;
for (const name of benches) {
  console.log(`\n## ${name}`);
  const r = spawnSync(process.execPath, ['--expose-gc', `${dir}${name}.ts`], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`${name}: failed (exit ${r.status})`);
  }
}
process.exitCode = failed ? 1 : 0;
