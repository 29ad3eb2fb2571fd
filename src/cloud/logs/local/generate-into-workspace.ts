import { mapCloudTrailRecord } from './cloudtrail-record.ts';
import { type GenerateOptions, generateCloudTrail } from './generate.ts';
import type { Workspace } from './workspace.ts';

const ROWS_PER_COMMIT = 1 << 20;

export interface GenerateIntoResult {
  generated: number;
  imported: number;
  duplicates: number;
}

/**
 * Writes synthetic CloudTrail into the workspace through the same record → row
 * mapping as imported files, committing a segment every million rows.
 */
export async function generateIntoWorkspace(ws: Workspace, opts: GenerateOptions & { tenantId: string }): Promise<GenerateIntoResult> {
  const result: GenerateIntoResult = { generated: 0, imported: 0, duplicates: 0 };
  let batch = ws.batch();
  const flush = async () => {
    const r = await ws.commit(batch);
    result.imported += r.appended;
    result.duplicates += r.duplicates;
    batch = ws.batch();
  };
  for (const record of generateCloudTrail(opts)) {
    result.generated++;
    const mapped = mapCloudTrailRecord(record, { tenantId: opts.tenantId });
    // The generator only makes well-formed records; a bad one is a bug worth stopping for.
    if (!mapped.ok) throw new Error(`generated a malformed record: ${mapped.reason}`);
    batch.add(mapped.row);
    if (batch.length >= ROWS_PER_COMMIT) await flush();
  }
  await flush();
  return result;
}
