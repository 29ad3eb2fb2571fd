import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { AWSCLOUDTRAIL_COLUMNS } from '../../../../../src/cloud/logs/local/awscloudtrail-columns.ts';

it('lists the columns of src/kql/awscloudtrail.schema.json in order', () => {
  const schema = JSON.parse(readFileSync(new URL('../../../../../src/kql/awscloudtrail.schema.json', import.meta.url), 'utf8')) as {
    columns: { name: string; type: string }[];
  };
  assert.deepEqual(
    AWSCLOUDTRAIL_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
    schema.columns,
  );
  assert.equal(AWSCLOUDTRAIL_COLUMNS.length, 59);
});
