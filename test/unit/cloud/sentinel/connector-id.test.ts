import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONNECTOR_ID_NAMESPACE, connectorIdFor, uuidV5 } from '../../../../src/cloud/sentinel/connector-id.ts';

test('uuidV5 matches the RFC 9562 example (www.example.com in the DNS namespace)', () => {
  assert.equal(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '2ed6657d-e927-568b-95e1-2665a8aea6a2');
});

test('connector IDs are version 5 UUIDs, the same for the same operation and different for another', () => {
  const a = connectorIdFor('onb-1:connector');
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(connectorIdFor('onb-1:connector'), a);
  assert.notEqual(connectorIdFor('onb-2:connector'), a);
  assert.equal(a, uuidV5('onb-1:connector', CONNECTOR_ID_NAMESPACE));
});

test('an empty operation id is refused', () => {
  assert.throws(() => connectorIdFor(''), RangeError);
});
