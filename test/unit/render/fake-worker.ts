/**
 * A stand-in render worker for renderer.test.ts: speaks the worker protocol and misbehaves
 * on request (spec.usermeta.act): "crash" exits, "throw" dies of an uncaught error,
 * "hang" never answers, "fail" answers with an error; anything else gets a fake PNG
 * naming this worker's thread id.
 */
import { parentPort, threadId } from 'node:worker_threads';
import type { RenderRequest, WorkerReply } from '../../../src/render/worker-protocol.ts';

const port = parentPort!;
port.on('message', (req: RenderRequest) => {
  const act = (req.spec as { usermeta?: { act?: string } }).usermeta?.act;
  if (act === 'crash') process.exit(7);
  if (act === 'throw') throw new Error('boom in worker');
  if (act === 'hang') return;
  let reply: WorkerReply;
  if (act === 'fail') {
    reply = { type: 'failed', id: req.id, code: 'render_failed', message: 'bad spec' };
    port.postMessage(reply);
    return;
  }
  const png = new TextEncoder().encode(`png from ${threadId}`).buffer as ArrayBuffer;
  reply = { type: 'done', id: req.id, png };
  port.postMessage(reply, [png]);
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);
