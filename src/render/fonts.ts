/**
 * Fonts for chart text, from the npm registry so `npm ci` alone is enough: Noto Sans
 * CJK SC ("Noto Sans Hans" in @embedpdf/fonts-sc, OTF, ~8 MB a weight), which also has
 * Latin glyphs. They are handed to the rasteriser (@napi-rs/canvas) by path, under the
 * family name the chart specs ask for (CHART_FONT_FAMILY), so no system font or
 * fontconfig setup is needed and Chinese never falls back to tofu boxes.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GlobalFonts } from '@napi-rs/canvas';
import { CHART_FONT_FAMILY } from '../core/charts/theme.ts';
import { RenderError } from './render-error.ts';

const FONT_PACKAGE = '@embedpdf/fonts-sc';
/** Regular for labels, Bold for titles (vega's default title weight). */
const FONT_FILE_NAMES = ['NotoSansHans-Regular.otf', 'NotoSansHans-Bold.otf'];

/** Absolute paths of the bundled font files. */
export function bundledFontFiles(): string[] {
  let entry: string;
  try {
    entry = import.meta.resolve(FONT_PACKAGE);
  } catch (cause) {
    throw new RenderError('render_fonts_missing', `The chart font package ${FONT_PACKAGE} is not installed; run npm ci.`, { cause });
  }
  return FONT_FILE_NAMES.map((name) => fileURLToPath(new URL(`../fonts/${name}`, entry)));
}

const registered = new Set<string>();

/** Registers the font files (default: the bundled ones) under CHART_FONT_FAMILY. Idempotent. */
export function registerChartFonts(files: readonly string[] = bundledFontFiles()): void {
  for (const file of files) {
    if (registered.has(file)) continue;
    if (!existsSync(file)) {
      throw new RenderError('render_fonts_missing', `The chart font ${file} is missing; run npm ci to reinstall ${FONT_PACKAGE}.`);
    }
    if (!GlobalFonts.registerFromPath(file, CHART_FONT_FAMILY)) {
      throw new RenderError('render_fonts_missing', `The chart font ${file} could not be loaded; run npm ci to reinstall ${FONT_PACKAGE}.`);
    }
    registered.add(file);
  }
}
