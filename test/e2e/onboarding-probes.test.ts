import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstEventsQuery, kqlStringLiteral, LogAnalyticsFirstEventsProbe } from '../../src/cloud/logs/azure/first-events-probe.ts';
import { manualClock } from '../../src/core/clock.ts';
import { ChatopsError } from '../../src/core/errors.ts';
import type { WorkspaceRef } from '../../src/core/onboarding/gateways.ts';
import type { LogsGateway, LogsQuery } from '../../src/core/questions/logs-gateway.ts';
import type { QueryResult } from '../../src/core/result-table.ts';

const WS: WorkspaceRef = {
  name: 'prod',
  workspaceId: '11111111-2222-3333-4444-555555555555',
  subscriptionId: '66666666-7777-8888-9999-aaaaaaaaaaaa',
  resourceGroup: 'rg',
  workspaceName: 'sentinel-prod',
};
const EVENTS = {
  tables: [
    {
      name: 'PrimaryResult',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'EventName', type: 'string' },
        { name: 'EventSource', type: 'string' },
        { name: 'AwsEventId', type: 'string' },
      ],
      rows: [['2025-01-31T00:00:00Z', 'ConsoleLogin', 'signin.amazonaws.com', 'e1']],
    },
  ],
} as QueryResult;
const EMPTY = { tables: [{ ...EVENTS.tables[0], rows: [] }] } as QueryResult;

function setup(answers: (q: LogsQuery, i: number) => QueryResult) {
  const clock = manualClock(Date.parse('2025-01-31T00:00:00Z'));
  const queries: LogsQuery[] = [];
  const waits: number[] = [];
  const logs: LogsGateway = {
    query: async (q) => {
      queries.push(q);
      return answers(q, queries.length - 1);
    },
    close: async () => {},
  };
  const probe = new LogAnalyticsFirstEventsProbe({
    logsFor: () => logs,
    clock,
    delaysMs: [1000, 2000, 4000],
    sleep: async (ms) => {
      waits.push(ms);
      clock.advance(ms);
    },
  });
  return { probe, clock, queries, waits };
}

describe('Log Analytics first-events probe', () => {
  it('queries the account as an escaped literal and backs off until events arrive', async () => {
    const { probe, clock, queries, waits } = setup((_q, i) => (i < 3 ? EMPTY : EVENTS));
    const r = await probe.awaitFirstEvents(WS, '012345678901', { deadline: clock.now() + 3600_000 });
    assert.deepEqual(r, {
      timedOut: false,
      events: [{ time: '2025-01-31T00:00:00Z', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', awsEventId: 'e1' }],
    });
    assert.match(queries[0].kql, /^AWSCloudTrail\n\| where RecipientAccountId == "012345678901"\n\| take 5/);
    assert.deepEqual(waits, [1000, 2000, 4000]);
    assert.equal(kqlStringLiteral('a"b\\c'), '"a\\"b\\\\c"');
    assert.match(firstEventsQuery('x"y'), /== "x\\"y"/);
  });

  it('at the deadline reports likely causes and SentinelHealth errors; retryable failures count as nothing yet', async () => {
    const { probe, clock, queries } = setup((q, i) => {
      if (q.kql.includes('SentinelHealth'))
        return {
          tables: [
            {
              name: 'PrimaryResult',
              columns: [
                { name: 'TimeGenerated', type: 'datetime' },
                { name: 'SentinelResourceName', type: 'string' },
                { name: 'Status', type: 'string' },
                { name: 'Description', type: 'string' },
              ],
              rows: [['2025-01-31T00:10:00Z', 'AWS', 'Failure', 'AssumeRole denied']],
            },
          ],
        } as QueryResult;
      if (i === 1) throw new ChatopsError('throttled', 'Log Analytics throttled the query');
      return EMPTY;
    });
    const r = await probe.awaitFirstEvents(WS, '012345678901', { deadline: clock.now() + 10_000 });
    assert.equal(r.timedOut, true);
    if (!r.timedOut) return;
    assert.ok(r.likelyCauses.some((c) => c.includes('external ID must be the workspace ID 11111111-2222-3333-4444-555555555555')));
    assert.ok(r.likelyCauses.some((c) => /5-30 minutes/.test(c)));
    assert.ok(r.likelyCauses.some((c) => /needs no S3 bucket or SQS queue/.test(c)));
    assert.deepEqual(r.healthErrors, ['2025-01-31T00:10:00Z AWS: Failure: AssumeRole denied']);
    assert.match(queries.at(-1)?.kql ?? '', /union isfuzzy=true/);
  });

  it('fails at once on an error that is not worth retrying', async () => {
    const { probe, clock } = setup(() => {
      throw new ChatopsError('forbidden', 'the bot may not read the workspace');
    });
    await assert.rejects(probe.awaitFirstEvents(WS, '012345678901', { deadline: clock.now() + 10_000 }), /may not read/);
  });
});
