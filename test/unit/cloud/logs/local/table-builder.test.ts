import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableToChunk } from '../../../../../src/cloud/logs/local/column-chunk.ts';
import { TableBuilder } from '../../../../../src/cloud/logs/local/table-builder.ts';
import type { ColumnDef, DictStringColumn, Table } from '../../../../../src/kql/columns.ts';

const DEFS: ColumnDef[] = [
  { name: 'Id', type: 'string' },
  { name: 'T', type: 'datetime' },
  { name: 'Flag', type: 'bool' },
  { name: 'Item', type: 'string' },
];
const ECHOES = { Item: 'Id' };

type Row = { Id: string; T: number | null; Flag: boolean | null; Item: string };
const row = (i: number, item?: string): Row => ({
  Id: `id-${i}`,
  T: i % 3 === 0 ? null : i * 1000,
  Flag: i % 4 === 0 ? null : i % 2 === 0,
  Item: item ?? `id-${i}`,
});

function values(t: Table): unknown[][] {
  return Array.from({ length: t.length }, (_, r) => t.data.map((c) => c.get(r)));
}
const expected = (rows: Row[]) => rows.map((r) => [r.Id, r.T, r.Flag, r.Item]);

describe('TableBuilder', () => {
  it('builds typed columns and keeps an echo column as the same column object', () => {
    const b = new TableBuilder(DEFS, { echoes: ECHOES });
    const rows = Array.from({ length: 10 }, (_, i) => row(i));
    for (const r of rows) b.push(r);
    const t = b.build();
    assert.deepEqual(values(t), expected(rows));
    assert.equal(t.data[3], t.data[0]);
  });

  it('lets an echo column diverge from the first differing row', () => {
    const b = new TableBuilder(DEFS, { echoes: ECHOES });
    const rows = [row(0), row(1), row(2, 'other'), row(3)];
    for (const r of rows) b.push(r);
    const t = b.build();
    assert.deepEqual(values(t), expected(rows));
    assert.notEqual(t.data[3], t.data[0]);
  });

  it('appends chunks, with or without a keep mask, merging dictionaries', () => {
    const part = (rows: Row[]) => {
      const b = new TableBuilder(DEFS, { echoes: ECHOES });
      for (const r of rows) b.push(r);
      return tableToChunk(b.build());
    };
    const a = [row(0), row(1), row(2)];
    const c = [row(3), row(1), row(4, 'x'), row(5)];
    const b = new TableBuilder(DEFS, { echoes: ECHOES });
    b.push(row(9));
    b.appendChunk(part(a));
    b.appendChunk(part(c), Uint8Array.from([1, 0, 1, 1]));
    b.push(row(6));
    const t = b.build();
    assert.deepEqual(values(t), expected([row(9), ...a, row(3), row(4, 'x'), row(5), row(6)]));
    const ids = t.data[0] as DictStringColumn;
    assert.equal(new Set(ids.dict).size, ids.dict.length);
  });

  it('uses a constant chunk column', () => {
    const one = new TableBuilder(DEFS);
    one.push(row(1));
    const b = new TableBuilder(DEFS, { echoes: ECHOES });
    b.appendChunk(tableToChunk(one.build()));
    b.appendChunk(tableToChunk(one.build()));
    assert.deepEqual(values(b.build()), expected([row(1), row(1)]));
  });
});
