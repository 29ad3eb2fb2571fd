import type { CommandContext, CommandSpec } from '../command.ts';
import { VERSION } from '../version.ts';

export async function version(ctx: CommandContext): Promise<number> {
  if (ctx.json) ctx.printJson({ name: 'sentinel-chatops', version: VERSION, node: process.versions.node });
  else ctx.print(`sentinel-chatops ${VERSION} (node ${process.versions.node})`);
  return 0;
}

export const versionCommand: CommandSpec = {
  name: 'version',
  summary: 'print the version',
  usage: '',
  positionals: { max: 0 },
  run: (ctx) => version(ctx),
};
