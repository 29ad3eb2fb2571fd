/**
 * `audit verify|export`: the onboarding audit log (hash-chained rows in the SQLite store, the head
 * anchored with an HMAC in `<dataDir>/audit-anchor.json`). `verify` exits 0 when intact and 1 when
 * tampered, naming each problem; `export` prints the rows as JSON lines.
 */
import type { CommandContext, CommandSpec } from '../command.ts';

export async function auditVerify(ctx: CommandContext): Promise<number> {
  const { openOnboardingStore } = await import('../onboarding-wiring.ts');
  const store = await openOnboardingStore(ctx.config());
  try {
    const v = store.verifyAudit();
    if (ctx.json) ctx.printJson(v);
    else if (v.ok)
      ctx.print(
        `audit log intact: ${v.rows} rows${v.head ? `, head #${v.head.seq} ${v.head.hash}` : ''}${v.anchor ? `, anchored at ${v.anchor.at}` : ''}`,
      );
    for (const w of v.warnings) ctx.io.stderr.write(`warning: ${w}\n`);
    if (!v.ok) {
      ctx.io.stderr.write(
        `error: the audit log has been tampered with (${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}):\n`,
      );
      for (const p of v.problems) ctx.io.stderr.write(`error: ${p}\n`);
    }
    return v.ok ? 0 : 1;
  } finally {
    store.close();
  }
}

export async function auditExport(ctx: CommandContext): Promise<number> {
  const { openOnboardingStore } = await import('../onboarding-wiring.ts');
  const store = await openOnboardingStore(ctx.config());
  try {
    for (const line of store.exportAudit()) ctx.io.stdout.write(line.endsWith('\n') ? line : `${line}\n`);
    return 0;
  } finally {
    store.close();
  }
}

export const auditVerifyCommand: CommandSpec = {
  name: 'audit verify',
  summary: 'check the onboarding audit log (hash chain and HMAC anchor): exit 0 intact, 1 tampered',
  usage: '',
  positionals: { max: 0 },
  run: (ctx) => auditVerify(ctx),
};

export const auditExportCommand: CommandSpec = {
  name: 'audit export',
  summary: 'print the onboarding audit log as JSON lines',
  usage: '',
  positionals: { max: 0 },
  run: (ctx) => auditExport(ctx),
};
