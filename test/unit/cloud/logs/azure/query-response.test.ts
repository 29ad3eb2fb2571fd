import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogsQueryResult } from '@azure/monitor-query-logs';
import { text } from '../../../../../src/cloud/logs/azure/log-analytics-text.ts';
import {
  kustoDatetime,
  normalizeRender,
  parseBody,
  readServiceError,
  toQueryResult,
} from '../../../../../src/cloud/logs/azure/query-response.ts';

describe('toQueryResult', () => {
  it('without a captured body, converts the SDK result back: Date → Kusto datetime text, objects → JSON text', () => {
    const sdk = {
      status: 'Success',
      tables: [
        {
          name: 'PrimaryResult',
          columnDescriptors: [
            { name: 'T', type: 'datetime' },
            { name: 'D', type: 'dynamic' },
            { name: 'N', type: 'long' },
            { name: 'S', type: 'string' },
          ],
          rows: [
            [new Date('2026-10-01T12:00:00.120Z'), { a: [1, 'x'] }, 5, 'y'],
            [new Date('2026-10-01T00:00:00Z'), null, null, ''],
          ],
        },
      ],
      visualization: { visualization: 'barchart', title: 'Top', yMin: '0', accumulate: true },
    } as unknown as LogsQueryResult;
    assert.deepEqual(toQueryResult(sdk), {
      tables: [
        {
          name: 'PrimaryResult',
          columns: [
            { name: 'T', type: 'datetime' },
            { name: 'D', type: 'dynamic' },
            { name: 'N', type: 'long' },
            { name: 'S', type: 'string' },
          ],
          rows: [
            ['2026-10-01T12:00:00.12Z', '{"a":[1,"x"]}', 5, 'y'],
            ['2026-10-01T00:00:00Z', null, null, ''],
          ],
        },
      ],
      render: { visualization: 'barchart', title: 'Top', ymin: 0, accumulate: true },
    });
  });

  it('prefers the body the service sent, and turns its partial error into a warning', () => {
    const sdk = {
      status: 'PartialFailure',
      partialTables: [],
      partialError: { code: 'X', message: 'ignored' },
    } as unknown as LogsQueryResult;
    const body = {
      tables: [{ name: 'PrimaryResult', columns: [{ name: 'T', type: 'datetime' }], rows: [['2026-10-01T12:00:00.1234567Z']] }],
      error: {
        code: 'PartialError',
        message: 'There were some errors',
        details: [{ code: 'EngineError', message: 'Query exceeded the time limit.' }],
      },
    };
    const r = toQueryResult(sdk, body);
    assert.deepEqual(r.tables[0].rows, [['2026-10-01T12:00:00.1234567Z']]);
    assert.deepEqual(r.warnings, [text.partialResult('PartialError / EngineError: Query exceeded the time limit.')]);
  });

  it('falls back to the SDK result when the body is not a query response', () => {
    const sdk = {
      status: 'Success',
      tables: [{ name: 'A', columnDescriptors: [{ name: 'n', type: 'int' }], rows: [[1]] }],
    } as unknown as LogsQueryResult;
    assert.deepEqual(toQueryResult(sdk, { tables: [{ name: 'A' }] }).tables, [
      { name: 'A', columns: [{ name: 'n', type: 'int' }], rows: [[1]] },
    ]);
    assert.deepEqual(toQueryResult(sdk, 'not json').tables[0].rows, [[1]]);
  });
});

describe('normalizeRender', () => {
  it('keeps only set properties, under the render operator names', () => {
    assert.deepEqual(
      normalizeRender({
        visualization: 'columnchart',
        title: null,
        accumulate: false,
        isQuerySorted: true,
        kind: 'stacked',
        legend: 'hidden',
        series: 'Region, Account',
        yMin: 'NaN',
        yMax: '100',
        xColumn: null,
        yColumns: null,
        xTitle: 'Region',
      }),
      { visualization: 'columnchart', kind: 'stacked', legend: 'hidden', series: ['Region', 'Account'], ymax: 100, xtitle: 'Region' },
    );
  });

  it('is undefined without a visualization', () => {
    assert.equal(normalizeRender(undefined), undefined);
    assert.equal(normalizeRender({ visualization: null }), undefined);
  });
});

describe('readServiceError', () => {
  it('collects the codes down the chain and keeps the deepest message', () => {
    assert.deepEqual(
      readServiceError({
        error: {
          code: 'BadArgumentError',
          message: 'The request had some invalid properties',
          innererror: {
            code: 'SemanticError',
            message: 'A semantic error occurred.',
            innererror: { code: 'SEM0100', message: 'Failed to resolve X' },
          },
        },
      }),
      { code: 'BadArgumentError', codes: ['BadArgumentError', 'SemanticError', 'SEM0100'], message: 'Failed to resolve X' },
    );
  });

  it('leaves numeric engine codes out and is undefined without an error', () => {
    assert.deepEqual(readServiceError({ error: { code: 'PartialError', details: [{ code: '-2133196797', message: 'limit' }] } })?.codes, [
      'PartialError',
    ]);
    assert.equal(readServiceError({ tables: [] }), undefined);
    assert.equal(readServiceError(undefined), undefined);
  });
});

describe('kustoDatetime and parseBody', () => {
  it('prints a fraction only when there is one', () => {
    assert.equal(kustoDatetime(new Date('2026-10-01T00:00:00Z')), '2026-10-01T00:00:00Z');
    assert.equal(kustoDatetime(new Date('2026-10-01T00:00:00.5Z')), '2026-10-01T00:00:00.5Z');
    assert.equal(kustoDatetime(new Date('2026-10-01T00:00:00.123Z')), '2026-10-01T00:00:00.123Z');
  });

  it('parses JSON bodies and ignores others', () => {
    assert.deepEqual(parseBody('{"a":1}'), { a: 1 });
    assert.equal(parseBody('<html>'), undefined);
    assert.equal(parseBody(''), undefined);
    assert.equal(parseBody(undefined), undefined);
  });
});
