/** Messages between the renderer pool (renderer.ts) and a render worker (render-worker.ts). */
import type { TopLevelSpec } from 'vega-lite';
import type { RenderErrorCode } from './render-error.ts';
import type { RenderOptions } from './render-png.ts';

export interface RenderRequest {
  type: 'render';
  id: number;
  spec: TopLevelSpec;
  opts?: RenderOptions;
}

export type WorkerReply =
  /** Fonts loaded and one chart drawn: the worker is warm. */
  | { type: 'ready' }
  /** `png` is transferred, not copied. */
  | { type: 'done'; id: number; png: ArrayBuffer }
  | { type: 'failed'; id: number; code: RenderErrorCode; message: string };
