/**
 * The look shared by every chart kind: fonts, sizes, colours. The renderer
 * (src/render/fonts.ts) registers the bundled Noto Sans SC (Noto Sans CJK, Simplified
 * Chinese, which also has Latin glyphs) under exactly this first family name, so
 * Chinese and English titles both render; the rest of the list is for other renderers.
 */
import type { Config } from 'vega-lite';

export const CHART_FONT_FAMILY = 'Noto Sans SC';
export const CHART_FONT = `${CHART_FONT_FAMILY}, Noto Sans, DejaVu Sans, Arial, sans-serif`;

/** Outer size of the image in pixels (title, axes and legend included). */
export const DEFAULT_WIDTH = 1040;
export const DEFAULT_HEIGHT = 460;

/** Tableau 10: distinct hues that stay readable on white. */
export const SERIES_COLORS = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

export function chartConfig(): Config {
  return {
    font: CHART_FONT,
    background: 'white',
    padding: 12,
    title: { fontSize: 17, fontWeight: 'bold', anchor: 'start', offset: 12, color: '#222' },
    axis: {
      labelFontSize: 12,
      titleFontSize: 13,
      titleFontWeight: 'normal',
      titleColor: '#333',
      labelColor: '#444',
      gridColor: '#e8e8e8',
      domainColor: '#888',
      tickColor: '#888',
      titlePadding: 10,
    },
    legend: { labelFontSize: 12, titleFontSize: 12, labelLimit: 260, symbolStrokeWidth: 3 },
    range: { category: SERIES_COLORS },
    view: { stroke: null },
  };
}

/** The fixed outer size: the plot shrinks to make room for title, axes and legend. */
export const FIT_AUTOSIZE = { type: 'fit', contains: 'padding' } as const;
