/**
 * vega-lite spec → PNG on the calling thread (the workers in renderer.ts call this).
 *
 * Pipeline: split the inline rows off the spec → find or build a vega View for the
 * rest (the "shape": everything but the rows) → swap the rows in → run → draw with
 * vega's canvas renderer on a Skia canvas (@napi-rs/canvas) → encode the pixels as PNG.
 *
 * Measured on this 2-core machine (shared, so figures move ±30% with other load), one
 * 30-point timechart at 1040×460, p50 warm; bench/render.ts prints the current figures:
 *   - per chart from scratch: vega-lite compile 2-4 ms, vega.parse + view run 9.4 ms;
 *     reusing a cached view and swapping its data: 1.6-1.9 ms.
 *   - rasterising: view.toSVG 1.2 ms + sharp SVG→PNG 15.7 ms (compressionLevel 1; 22 ms
 *     at the default); resvg-js 230-300 ms (it re-reads the 8 MB CJK fonts on every
 *     call); vega's canvas renderer into @napi-rs/canvas 1.8 ms + reading the pixels
 *     back 5-6 ms (a fixed cost of canvas.data()) + Skia's PNG encoder 16 ms, or
 *     png-encode.ts 2.4 ms.
 *   → chosen: cached view + canvas + png-encode.ts: 8-13 ms a chart on this thread,
 *     8-10 ms through the worker pool; cached view + toSVG + sharp: 14-17 ms.
 *   - first chart in a new process (compiled JS): 250-330 ms, 210-270 ms with Node's
 *     compile cache warm; sharp stays out of this path (loading it costs ~40 ms).
 * Text widths for layout (legend, title, label overlap) come from Skia with the real
 * fonts instead of vega's 0.8 em-per-character estimate, which misjudges CJK and Latin.
 */
import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { registerChartFonts } from './fonts.ts';
import { encodePng } from './png-encode.ts';
import { RenderError } from './render-error.ts';

export interface RenderOptions {
  /** Pixel density: 2 draws a sharper image with twice the width and height. Default 1. */
  scale?: number;
}

/** Views kept per thread, least recently used first out. */
export const VIEW_CACHE_SIZE = 16;

/** The name the rows get when a spec's inline data has none. */
const DEFAULT_DATA_NAME = 'source';

type Row = Record<string, unknown>;

interface CachedView {
  view: vega.View;
  /** What vega reported as errors during the current run (it logs them rather than throwing). */
  errors: string[];
  /** Renders on one view run one after another (swap rows → run → draw). */
  tail: Promise<unknown>;
}

interface SplitSpec {
  shape: TopLevelSpec;
  dataName?: string;
  rows?: Row[];
}

const views = new Map<string, CachedView>();

/** vega-scenegraph's text measurer; not in vega's typings. */
interface TextMetrics {
  width: (item: Record<string, unknown>, text: unknown) => number;
}
interface VegaScenegraph {
  textMetrics: TextMetrics;
  font: (item: Record<string, unknown>) => string;
}

let measure: SKRSContext2D | undefined;

function setUp(): void {
  if (measure) return;
  registerChartFonts();
  measure = createCanvas(1, 1).getContext('2d');
  const ctx = measure;
  const sg = vega as unknown as VegaScenegraph;
  const cache = new Map<string, number>();
  sg.textMetrics.width = (item, text) => {
    const s = text === null || text === undefined ? '' : String(text).trim();
    if (s === '') return 0;
    const font = sg.font(item);
    const key = `${font}\u0000${s}`;
    let w = cache.get(key);
    if (w === undefined) {
      ctx.font = font;
      w = ctx.measureText(s).width;
      if (cache.size > 10_000) cache.clear();
      cache.set(key, w);
    }
    return w;
  };
}

/**
 * Charts never fetch anything: a spec that points at a URL or file fails. vega only warns
 * when loading fails and draws an empty chart, so the refusal is also recorded as an error.
 */
function refusingLoader(errors: string[]): vega.Loader {
  const refuse = async (uri?: unknown): Promise<never> => {
    const message = `Chart specs must carry their data inline; loading ${String(uri)} is not allowed.`;
    errors.push(message);
    throw new RenderError('render_failed', message);
  };
  return { load: refuse, sanitize: refuse, http: refuse, file: refuse } as unknown as vega.Loader;
}

const quietLogger = {
  level(): number {
    return 0;
  },
  error(...args: readonly unknown[]): never {
    throw new RenderError('render_failed', `vega-lite: ${args.map(String).join(' ')}`);
  },
  warn() {
    return this;
  },
  info() {
    return this;
  },
  debug() {
    return this;
  },
};

export function splitData(spec: TopLevelSpec): SplitSpec {
  const data = (spec as { data?: unknown }).data;
  if (!data || typeof data !== 'object' || !Array.isArray((data as { values?: unknown }).values)) return { shape: spec };
  const { values, name, ...rest } = data as { values: Row[]; name?: string };
  const dataName = name ?? DEFAULT_DATA_NAME;
  return { shape: { ...spec, data: { ...rest, name: dataName } } as TopLevelSpec, dataName, rows: values };
}

/** A vega logger that collects errors for the caller and drops warnings. */
function collectingLogger(errors: string[]) {
  const log = {
    level(): number {
      return vega.Error;
    },
    error(...args: readonly unknown[]) {
      errors.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
      return log;
    },
    warn: () => log,
    info: () => log,
    debug: () => log,
  };
  return log;
}

function buildView(shape: TopLevelSpec, errors: string[]): vega.View {
  try {
    const vgSpec = compile(shape, { logger: quietLogger as never }).spec;
    return new vega.View(vega.parse(vgSpec), {
      renderer: 'none',
      loader: refusingLoader(errors),
      logger: collectingLogger(errors) as never,
    });
  } catch (cause) {
    if (cause instanceof RenderError) throw cause;
    throw new RenderError('render_failed', `The chart spec was rejected: ${(cause as Error).message}`, { cause });
  }
}

function cachedView(key: string, shape: TopLevelSpec): CachedView {
  let entry = views.get(key);
  if (entry) {
    views.delete(key);
  } else {
    const errors: string[] = [];
    entry = { view: buildView(shape, errors), errors, tail: Promise.resolve() };
    if (views.size >= VIEW_CACHE_SIZE) {
      const [oldKey, old] = views.entries().next().value as [string, CachedView];
      views.delete(oldKey);
      old.tail.finally(() => old.view.finalize());
    }
  }
  views.set(key, entry);
  return entry;
}

/** vega's own headless size (vega-view renderHeadless): the view plus its padding. */
function imageSize(view: vega.View): { width: number; height: number } {
  const v = view as unknown as { _viewWidth: number; _viewHeight: number };
  const p = view.padding() as { left: number; right: number; top: number; bottom: number };
  return { width: Math.ceil(v._viewWidth + p.left + p.right), height: Math.ceil(v._viewHeight + p.top + p.bottom) };
}

/** Draws a view that has just run. */
async function draw(view: vega.View, scale: number): Promise<Buffer> {
  const size = imageSize(view);
  const width = Math.max(1, Math.ceil(size.width * scale));
  const height = Math.max(1, Math.ceil(size.height * scale));
  const canvas: Canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  await view.toCanvas(scale, { externalContext: ctx });
  return encodePng(canvas.data(), width, height);
}

/** vega writes parsed fields into the rows it is given: give it copies. */
function copyRows(rows: readonly Row[]): Row[] {
  return rows.map((r) => ({ ...r }));
}

/** Draws a vega-lite spec as a PNG on this thread. Rows in the spec are not modified. */
export async function renderPng(spec: TopLevelSpec, opts: RenderOptions = {}): Promise<Buffer> {
  const scale = opts.scale ?? 1;
  if (!(scale > 0 && scale <= 4)) throw new RangeError(`render scale must be > 0 and ≤ 4, not ${scale}`);
  setUp();
  const { shape, dataName, rows } = splitData(spec);
  const entry = cachedView(JSON.stringify(shape), shape);
  const run = entry.tail.then(async () => {
    try {
      if (dataName && rows) entry.view.data(dataName, copyRows(rows));
      await entry.view.runAsync();
      const errors = entry.errors.splice(0);
      if (errors.length) throw new RenderError('render_failed', `The chart could not be drawn: ${errors.join('; ')}`);
      return await draw(entry.view, scale);
    } catch (cause) {
      if (cause instanceof RenderError) throw cause;
      throw new RenderError('render_failed', `Drawing the chart failed: ${(cause as Error).message}`, { cause });
    }
  });
  entry.tail = run.catch(() => undefined);
  return run;
}

/** How many compiled views this thread holds. */
export function cachedViewCount(): number {
  return views.size;
}

/** Drops every cached view (tests; memory pressure). */
export function clearViewCache(): void {
  for (const { view, tail } of views.values()) tail.finally(() => view.finalize());
  views.clear();
}
