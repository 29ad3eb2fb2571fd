import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { TopLevelSpec } from 'vega-lite';
import { chartSpec } from '../../../src/core/charts/chart-spec.ts';
import { RenderError } from '../../../src/render/render-error.ts';
import { renderPng } from '../../../src/render/render-png.ts';
import { createRenderer, MAX_START_FAILURES } from '../../../src/render/renderer.ts';
import { seedTable } from '../core/charts/seed-table.ts';
import { decode } from './png-inspect.ts';

const FAKE = new URL('./fake-worker.ts', import.meta.url);
const BROKEN = new URL('./broken-worker.ts', import.meta.url);
const act = (name: string) => ({ usermeta: { act: name }, mark: 'point' }) as unknown as TopLevelSpec;
const isCode = (code: string) => (e: unknown) => e instanceof RenderError && e.code === code;

describe('renderer pool with real workers', () => {
  const renderer = createRenderer({ workers: 2 });
  after(() => renderer.close());

  it('warms up its workers and draws the same PNG as the same-thread renderer', async () => {
    await renderer.ready();
    assert.equal(renderer.workers, 2);
    const spec = chartSpec(seedTable(), { visualization: 'timechart', title: '过去30天的AWS活动' });
    const [fromPool, here] = await Promise.all([renderer.render(spec), renderPng(spec)]);
    assert.deepEqual(fromPool, here);
    const p = await decode(fromPool);
    assert.deepEqual([p.width, p.height], [1040, 460]);
  });

  it('draws many charts in parallel', async () => {
    const specs = Array.from({ length: 8 }, (_, k) =>
      chartSpec(
        seedTable((i) => i * k),
        { visualization: 'timechart' },
      ),
    );
    const pngs = await Promise.all(specs.map((s) => renderer.render(s)));
    assert.equal(new Set(pngs.map((p) => p.toString('base64'))).size, 8);
  });

  it('refuses a spec that cannot be sent to a worker, and goes on', async () => {
    const withFunction = { ...act('ok'), usermeta: { f: () => 1 } } as unknown as TopLevelSpec;
    await assert.rejects(renderer.render(withFunction), isCode('render_failed'));
    assert.ok((await renderer.render(chartSpec(seedTable(), { visualization: 'timechart' }))).length > 1000);
  });

  it('passes a failed render back as a RenderError', async () => {
    const bad = { data: { url: 'file:///etc/passwd' }, mark: 'point', encoding: {} } as TopLevelSpec;
    await assert.rejects(renderer.render(bad), isCode('render_failed'));
  });
});

describe('renderer pool failures', () => {
  it('fails the chart of a crashed worker with a clear error, replaces the worker and goes on', async () => {
    const r = createRenderer({ workers: 1, workerUrl: FAKE });
    try {
      const first = (await r.render(act('ok'))).toString();
      await assert.rejects(
        r.render(act('crash')),
        (e: unknown) => isCode('render_worker_crashed')(e) && /exit code 7/.test((e as Error).message),
      );
      await assert.rejects(
        r.render(act('throw')),
        (e: unknown) => isCode('render_worker_crashed')(e) && /boom in worker/.test((e as Error).message),
      );
      const next = (await r.render(act('ok'))).toString();
      assert.match(next, /^png from \d+$/);
      assert.notEqual(next, first, 'a new worker thread answers');
      await assert.rejects(r.render(act('fail')), (e: unknown) => isCode('render_failed')(e) && (e as Error).message === 'bad spec');
    } finally {
      await r.close();
    }
  });

  it('stops a chart that overruns its time limit and replaces the worker', async () => {
    const r = createRenderer({ workers: 1, workerUrl: FAKE, timeoutMs: 150 });
    try {
      await assert.rejects(r.render(act('hang')), isCode('render_timeout'));
      assert.match((await r.render(act('ok'))).toString(), /^png from/);
    } finally {
      await r.close();
    }
  });

  it('queues charts beyond the worker count and answers each', async () => {
    const r = createRenderer({ workers: 2, workerUrl: FAKE });
    try {
      const out = await Promise.all(Array.from({ length: 7 }, () => r.render(act('ok'))));
      assert.equal(out.length, 7);
      assert.ok(out.every((b) => /^png from/.test(b.toString())));
    } finally {
      await r.close();
    }
  });

  it(`gives up after ${MAX_START_FAILURES} workers die while starting, and says why`, async () => {
    const r = createRenderer({ workers: 1, workerUrl: BROKEN });
    try {
      const waiting = r.render(act('ok'));
      await assert.rejects(r.ready(), (e: unknown) => isCode('render_unavailable')(e) && /fonts?.*missing/.test((e as Error).message));
      await assert.rejects(waiting, isCode('render_unavailable'));
      await assert.rejects(r.render(act('ok')), isCode('render_unavailable'));
    } finally {
      await r.close();
    }
  });

  it('on close lets the chart being drawn finish, fails queued and later ones', async () => {
    const r = createRenderer({ workers: 1, workerUrl: FAKE });
    await r.ready();
    const drawing = r.render(act('ok'));
    const queued = r.render(act('ok'));
    const closed = r.close();
    assert.match((await drawing).toString(), /^png from/);
    await assert.rejects(queued, isCode('render_unavailable'));
    await closed;
    await assert.rejects(r.render(act('ok')), isCode('render_unavailable'));
  });
});
