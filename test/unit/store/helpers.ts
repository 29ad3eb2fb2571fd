/** Test helpers for the store: a temp data directory and an onboarding to store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { type Onboarding, type Step, start } from '../../../src/core/onboarding/machine.ts';
import { buildPlan } from '../../../src/core/onboarding/plan.ts';
import type { AuditEntry } from '../../../src/core/onboarding/repository.ts';
import { SqliteOnboardingStore } from '../../../src/store/onboarding-store.ts';

export const AUDIT_KEY = 'test-audit-key-0123456789abcdef';
export const T0 = Date.parse('2026-01-05T09:00:00Z');

const root = mkdtempSync(join(tmpdir(), 'store-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

export function freshDataDir(): string {
  return join(root, `d${n++}`);
}

export function openStore(dataDir = freshDataDir(), onAnchor?: (a: unknown) => void): SqliteOnboardingStore {
  return new SqliteOnboardingStore({ dataDir, auditKey: AUDIT_KEY, onAnchor });
}

export const WORKSPACE = {
  name: 'prod-sec',
  workspaceId: '8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e',
  subscriptionId: '0f0e0d0c-0b0a-0908-0706-050403020100',
  resourceGroup: 'sec-rg',
  workspaceName: 'sec-ws',
};

export function newOnboarding(id: string, accountId = '012345678901', at = T0): Step {
  return start({ id, mode: 'bot_provisioned', plan: buildPlan({ accountId, workspace: WORKSPACE }), requestedBy: 'U-req', at });
}

export function audit(action: string, onboardingId?: string, at = T0): AuditEntry {
  return { at, actor: 'U-req', action, ...(onboardingId === undefined ? {} : { onboardingId }), details: { n: action } };
}

/** Inserts a new onboarding with its effects; returns its state. */
export function insert(store: SqliteOnboardingStore, id: string, accountId?: string): Onboarding {
  const step = newOnboarding(id, accountId);
  const r = store.commitSync({ create: true, state: step.state, intend: step.effects, audit: [audit('onboarding.requested', id)] });
  if (!r.committed) throw new Error(`insert ${id}: ${r.reason}`);
  return step.state;
}
