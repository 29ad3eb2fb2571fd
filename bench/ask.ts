/**
 * Question → PNG end to end on the local workspace (30 days of generated CloudTrail, ~60k
 * events): parse, build and validate KQL, run it, summarise, draw. p50/p95 per question, warm.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIntoWorkspace } from '../src/cloud/logs/local/generate-into-workspace.ts';
import { inThreadLogsGateway } from '../src/cloud/logs/local/run-local-query.ts';
import { openWorkspace } from '../src/cloud/logs/local/workspace.ts';
import { answerQuestion } from '../src/core/questions/answer.ts';
import { kqlValidator } from '../src/kql/validator.ts';
import { renderPng } from '../src/render/render-png.ts';
import { percentile, print } from './stats.ts';

const QUESTIONS = [
  'AWS activity last 30 days',
  '过去30天的AWS活动',
  'top 5 event names last 7 days',
  'console logins without MFA this week',
  'activity by region last 14 days',
  'errors over the last 7 days',
];

export async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-ask-'));
  try {
    const now = Date.parse('2026-11-25T12:00:00Z');
    const ws = await openWorkspace(dir);
    await generateIntoWorkspace(ws, { now, tenantId: '00000000-0000-0000-0000-000000000000', seed: 3 });
    print('ask.workspace_rows', ws.table().length);
    const deps = {
      logs: inThreadLogsGateway(ws),
      validator: kqlValidator,
      renderPng,
    };
    const t0 = performance.now();
    await answerQuestion({ question: QUESTIONS[0], now }, deps);
    print('ask.first_answer_ms_incl_parser_warmup', performance.now() - t0);
    for (const q of QUESTIONS) for (let i = 0; i < 3; i++) await answerQuestion({ question: q, now }, deps);
    const all: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const q of QUESTIONS) {
        const t = performance.now();
        const out = await answerQuestion({ question: q, now }, deps);
        all.push(performance.now() - t);
        if (!out.ok) throw new Error(`not answered: ${q}`);
      }
    }
    print('ask.question_to_png.p50_ms', percentile(all, 50));
    print('ask.question_to_png.p95_ms', percentile(all, 95));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
