/**
 * Child process for cjk.test.ts: counts the font families the system offers, then
 * renders a chart with the given title and prints both as JSON on stdout.
 */
import { GlobalFonts } from '@napi-rs/canvas';
import { chartSpec } from '../../../src/core/charts/chart-spec.ts';
import { renderPng } from '../../../src/render/render-png.ts';
import { seedTable } from '../core/charts/seed-table.ts';

const systemFamilies = GlobalFonts.families.length;
const png = await renderPng(chartSpec(seedTable(), { visualization: 'timechart', title: process.argv[2] }));
process.stdout.write(JSON.stringify({ systemFamilies, png: png.toString('base64') }));
