import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendTable, columnSetOf, concatTables, dictHashesOf } from '../../../../../src/cloud/logs/local/concat-tables.ts';
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

describe('concatTables', () => {
  const a = table([
    [1, 'x', true],
    [2, 'y', null],
    [null, 'x', false],
  ]);
  const b = table([
    [4, 'z', true],
    [5, 'x', true],
  ]);
  const c = table([[6, 'y', false]]);

  it('appends a small table to a big one (merging dictionaries)', () => {
    const t = concatTables(DEFS, [columnSetOf(a), columnSetOf(b)]);
    assert.deepEqual(values(t), [...values(a), ...values(b)]);
    assertDistinctDicts(t);
    assert.equal(t.data[1], t.data[2], 'equal columns stay one object');
    const k = t.data[4] as DictStringColumn;
    assert.deepEqual(k.dict, ['const']);
  });

  it('concatenates any number of parts', () => {
    const t = concatTables(DEFS, [columnSetOf(c), columnSetOf(a), columnSetOf(b)]);
    assert.deepEqual(values(t), [...values(c), ...values(a), ...values(b)]);
    assertDistinctDicts(t);
  });

  it('fills columns a part lacks with null and ""', () => {
    const old = { rows: a.length, columns: new Map([['T', a.data[0]]]) };
    for (const parts of [
      [old, columnSetOf(b)],
      [old, columnSetOf(b), columnSetOf(c)],
    ]) {
      const t = concatTables(DEFS, parts);
      assert.equal(
        t.length,
        parts.reduce((n, p) => n + p.rows, 0),
      );
      assert.deepEqual(
        t.data.map((col) => col.get(0)),
        [1, '', '', null, ''],
      );
      assert.deepEqual(values(t).slice(a.length, a.length + b.length), values(b));
      assertDistinctDicts(t);
    }
  });

  it('builds constant string columns on one shared zero array', () => {
    const t = table([
      [1, 'a', true],
      [2, 'a', true],
    ]);
    const s = t.data[1] as DictStringColumn;
    const k = t.data[4] as DictStringColumn;
    assert.equal(s.codes, k.codes);
  });
});

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

  it('concatenates disjoint columns without lookups', () => {
    const { table: t } = appendTable(a, dictHashesOf(a), table([[7, 'q', null]]), dictHashesOf(table([[7, 'q', null]])), {
      disjoint: ['S'],
    });
    assert.deepEqual((t.data[1] as DictStringColumn).dict, ['x', 'y', 'q']);
    assert.equal(t.data[1].get(3), 'q');
  });
});
