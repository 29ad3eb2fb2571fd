import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnSetOf, concatTables } from '../../../../../src/cloud/logs/local/concat-tables.ts';
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
