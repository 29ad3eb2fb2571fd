import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendTable, dictHashesOf } from '../../../../../src/cloud/logs/local/append-table.ts';
import { TableBuilder } from '../../../../../src/cloud/logs/local/table-builder.ts';
import { type ColumnDef, DictStringColumn, type Table } from '../../../../../src/kql/columns.ts';

const DEFS: ColumnDef[] = [
  { name: 'T', type: 'datetime' },
  { name: 'S', type: 'string' },
  { name: 'Same', type: 'string' },
  { name: 'B', type: 'bool' },
  { name: 'K', type: 'string' },
];

function table(rows: [number | null, string, boolean | null][]): Table {
  const b = new TableBuilder(DEFS);
  for (const [T, S, B] of rows) b.push({ T, S, Same: S, B, K: 'const' });
  return b.build();
}

function values(t: Table): unknown[][] {
  return Array.from({ length: t.length }, (_, r) => t.data.map((c) => c.get(r)));
}

function assertDistinctDicts(t: Table) {
  for (const c of t.data)
    if (c instanceof DictStringColumn) assert.equal(new Set(c.dict).size, c.dict.length, 'dictionary values are distinct');
}

describe('appendTable', () => {
  const a = table([
    [1, 'x', true],
    [2, 'y', null],
    [null, 'x', false],
  ]);
  const b = table([
    [4, 'z', true],
    [5, 'x', true],
    [6, 'w', false],
  ]);

  it('appends, keeping the dictionaries of the first table as prefixes', () => {
    const { table: t, hashes } = appendTable(a, dictHashesOf(a), b, dictHashesOf(b));
    assert.deepEqual(values(t), [...values(a), ...values(b)]);
    assertDistinctDicts(t);
    const s = t.data[1] as DictStringColumn;
    assert.deepEqual(s.dict, ['x', 'y', 'z', 'w']);
    assert.deepEqual(s.codes.subarray(0, 3), (a.data[1] as DictStringColumn).codes);
    assert.equal(t.data[2], t.data[1], 'equal columns stay one object');
    assert.deepEqual(hashes[1], dictHashesOf(t)[1], 'hashes follow the dictionary');
    assert.equal(hashes[0], undefined);
  });

  it('is correct when every hash collides', () => {
    const zero = (t: Table) => t.data.map((c) => (c instanceof DictStringColumn ? new Uint32Array(c.dict.length) : undefined));
    const { table: t } = appendTable(a, zero(a), b, zero(b));
    assert.deepEqual(values(t), [...values(a), ...values(b)]);
    assertDistinctDicts(t);
  });

  it('keeps constant columns on one shared zero array', () => {
    const { table: t } = appendTable(a, dictHashesOf(a), b, dictHashesOf(b));
    const k = t.data[4] as DictStringColumn;
    assert.deepEqual(k.dict, ['const']);
    assert.ok(k.codes.every((c) => c === 0));
    const one = table([
      [1, 'a', true],
      [2, 'a', true],
    ]);
    assert.equal((one.data[1] as DictStringColumn).codes, (one.data[4] as DictStringColumn).codes);
  });

  it('concatenates disjoint columns without lookups', () => {
    const { table: t } = appendTable(a, dictHashesOf(a), table([[7, 'q', null]]), dictHashesOf(table([[7, 'q', null]])), {
      disjoint: ['S'],
    });
    assert.deepEqual((t.data[1] as DictStringColumn).dict, ['x', 'y', 'q']);
    assert.equal(t.data[1].get(3), 'q');
  });
});
