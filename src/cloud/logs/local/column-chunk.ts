/**
 * A table in a plain, structured-clone-friendly form, so a worker thread can hand the rows of one
 * file to the main thread: typed arrays (transferred, not copied) and dictionaries as string
 * arrays. Columns are in the order of the column definitions both sides share.
 */
import { BoolColumn, DictStringColumn, NumberColumn, type Table } from '../../../kql/columns.ts';

export type ChunkColumn =
  | { kind: 'f64'; data: Float64Array }
  | { kind: 'u8'; data: Uint8Array }
  | { kind: 'const'; value: string }
  | { kind: 'dict'; codes: Uint32Array; dict: string[] }
  /** Same values as the earlier column at index `of`. */
  | { kind: 'alias'; of: number };

export interface ColumnChunk {
  rows: number;
  columns: ChunkColumn[];
}

export function tableToChunk(t: Table): ColumnChunk {
  const columns: ChunkColumn[] = t.data.map((col, i): ChunkColumn => {
    const of = t.data.indexOf(col);
    if (of < i) return { kind: 'alias', of };
    if (col instanceof NumberColumn) return { kind: 'f64', data: col.data };
    if (col instanceof BoolColumn) return { kind: 'u8', data: col.data };
    if (col instanceof DictStringColumn) {
      if (col.dict.length === 1) return { kind: 'const', value: col.dict[0] };
      return { kind: 'dict', codes: col.codes, dict: col.dict as string[] };
    }
    throw new Error(`column ${t.columns[i].name}: only number, bool and dictionary string columns can be chunked`);
  });
  return { rows: t.length, columns };
}

/** The buffers to transfer with a chunk (each once). */
export function chunkTransferList(c: ColumnChunk): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const col of c.columns) {
    if (col.kind === 'f64' || col.kind === 'u8') out.add(col.data.buffer as ArrayBuffer);
    else if (col.kind === 'dict') out.add(col.codes.buffer as ArrayBuffer);
  }
  return [...out];
}
