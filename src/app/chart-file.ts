/** Writes the chart of a query result to a PNG file (CLI `--out`). */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ChartError, chartSpec } from '../core/charts/chart-spec.ts';
import { ChatopsError } from '../core/errors.ts';
import type { QueryResult } from '../core/result-table.ts';
import { RenderError } from '../render/render-error.ts';
import { renderPng } from '../render/render-png.ts';

export async function writeChartPng(result: QueryResult, out: string, cwd: string, timeZone?: string): Promise<string> {
  const table = result.tables[0];
  if (!result.render || !table) {
    throw new ChatopsError(
      'bad_input',
      'the query does not end in render, so there is no chart to write: add e.g. "| render timechart", or drop --out',
    );
  }
  let png: Buffer;
  try {
    png = await renderPng(chartSpec(table, result.render, { timeZone }));
  } catch (e) {
    if (e instanceof ChartError)
      throw new ChatopsError('bad_input', `cannot draw this ${result.render.visualization}: ${e.message}`, { cause: e });
    if (e instanceof RenderError) throw new ChatopsError('environment', `the chart could not be rendered: ${e.message}`, { cause: e });
    throw e;
  }
  const path = resolve(cwd, out);
  try {
    await writeFile(path, png);
  } catch (e) {
    throw new ChatopsError('environment', `cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
  return path;
}
