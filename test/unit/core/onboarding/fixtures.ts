/** Shared test data for the onboarding tests. */
import type { WorkspaceRef } from '../../../../src/core/onboarding/gateways.ts';

export const WORKSPACE: WorkspaceRef = {
  name: 'prod-sec',
  workspaceId: '8D9E2B1C-4F3A-4B5C-9D8E-7F6A5B4C3D2E',
  subscriptionId: '0f0e0d0c-0b0a-0908-0706-050403020100',
  resourceGroup: 'sec-rg',
  workspaceName: 'sec-ws',
};

export const WORKSPACE_ID = '8d9e2b1c-4f3a-4b5c-9d8e-7f6a5b4c3d2e';
export const ACCOUNT = '012345678901';
