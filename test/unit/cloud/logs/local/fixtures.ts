/** Paths of the hand-written CloudTrail files in test/fixtures/cloudtrail. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURE_ROOT = fileURLToPath(new URL('../../../../fixtures/cloudtrail/', import.meta.url));
export const SAMPLE_FILE = `${FIXTURE_ROOT}AWSLogs/012345678901/CloudTrail/us-east-1/2024/03/06/012345678901_CloudTrail_us-east-1_20240306T2130Z_Mu0KsOhtH1ar15ZZ.json`;
export const TENANT = '5b1c1b4e-2f0a-4a3e-9d55-6c0f7e0b8a11';

/** The four sample records: ConsoleLogin (no MFA), AssumeRole, CreateUser by root, AccessDenied. */
export function sampleRecords(): Record<string, unknown>[] {
  return (JSON.parse(readFileSync(SAMPLE_FILE, 'utf8')) as { Records: Record<string, unknown>[] }).Records;
}
