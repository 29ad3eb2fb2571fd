/**
 * Every CLI command, in the order `help` lists them. A name with a space is a subcommand of a
 * group (`workspace import`).
 *
 * Every command module is loaded on every run, so keep their top-level imports light: import the
 * KQL engine, the local workspace, the renderer and cloud SDKs with `await import(…)` inside the
 * command function (test/unit/app/cli-startup.test.ts checks that `version` loads none of them).
 */
import type { CommandSpec } from '../command.ts';
import { askCommand } from './ask.ts';
import { auditExportCommand, auditVerifyCommand } from './audit.ts';
import { makeHelpCommand } from './help.ts';
import { kqlCommand } from './kql.ts';
import {
  onboardingApproveCommand,
  onboardingCancelCommand,
  onboardingDisconnectCommand,
  onboardingListCommand,
  onboardingPlanCommand,
  onboardingRejectCommand,
  onboardingRequestCommand,
  onboardingResumeCommand,
  onboardingRetryCommand,
  onboardingShowCommand,
  onboardingSubmitRoleCommand,
} from './onboarding.ts';
import { serveCommand } from './serve.ts';
import { versionCommand } from './version.ts';
import { workspaceGenerateCommand, workspaceImportCommand, workspaceStatsCommand } from './workspace.ts';

export const COMMANDS: readonly CommandSpec[] = [
  serveCommand,
  workspaceImportCommand,
  workspaceGenerateCommand,
  workspaceStatsCommand,
  kqlCommand,
  askCommand,
  onboardingPlanCommand,
  onboardingListCommand,
  onboardingShowCommand,
  onboardingRequestCommand,
  onboardingApproveCommand,
  onboardingRejectCommand,
  onboardingSubmitRoleCommand,
  onboardingCancelCommand,
  onboardingRetryCommand,
  onboardingDisconnectCommand,
  onboardingResumeCommand,
  auditVerifyCommand,
  auditExportCommand,
  makeHelpCommand(() => COMMANDS),
  versionCommand,
];

export const COMMANDS_BY_NAME: ReadonlyMap<string, CommandSpec> = new Map(COMMANDS.map((c) => [c.name, c]));

/** Group names (`workspace`) and their subcommands. */
export const COMMAND_GROUPS: ReadonlyMap<string, readonly string[]> = (() => {
  const groups = new Map<string, string[]>();
  for (const c of COMMANDS) {
    const [group, sub] = c.name.split(' ');
    if (sub !== undefined) groups.set(group, [...(groups.get(group) ?? []), sub]);
  }
  return groups;
})();
