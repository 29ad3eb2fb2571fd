#!/usr/bin/env node
// Runs the compiled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
// The compile cache saves ~50 ms of every start after the first (vega, the Kusto parser).
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/app/cli.js');
process.exitCode = await main(process.argv.slice(2));
