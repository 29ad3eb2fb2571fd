/**
 * A render worker: draws charts with renderPng off the main thread. It warms up first
 * (warm-up.ts) and then says "ready"; requests that arrive meanwhile wait their turn.
 * A failure to draw one chart is a reply; a failure to start (fonts missing) ends the
 * worker with that error, which the pool reports.
 */
import { parentPort } from 'node:worker_threads';
import { RenderError } from './render-error.ts';
import { renderPng } from './render-png.ts';
import { warmUpSpec } from './warm-up.ts';
import type { RenderRequest, WorkerReply } from './worker-protocol.ts';

if (!parentPort) throw new Error('render-worker runs only as a worker thread (see renderer.ts)');
const port = parentPort;

function reply(msg: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

/** The PNG's bytes in an ArrayBuffer of their own, so it can be transferred. */
function ownBuffer(png: Buffer): ArrayBuffer {
  if (png.byteOffset === 0 && png.byteLength === png.buffer.byteLength && png.buffer instanceof ArrayBuffer) return png.buffer;
  const copy = new ArrayBuffer(png.byteLength);
  new Uint8Array(copy).set(png);
  return copy;
}

const warm = renderPng(warmUpSpec());

port.on('message', async (req: RenderRequest) => {
  await warm;
  try {
    const png = ownBuffer(await renderPng(req.spec, req.opts));
    reply({ type: 'done', id: req.id, png }, [png]);
  } catch (err) {
    const code = err instanceof RenderError ? err.code : 'render_failed';
    reply({ type: 'failed', id: req.id, code, message: err instanceof Error ? err.message : String(err) });
  }
});

await warm;
reply({ type: 'ready' });
