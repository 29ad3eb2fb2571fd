/**
 * The data connector's ID is a name-based UUID (RFC 9562 version 5, SHA-1) of the onboarding's
 * operation id in a namespace of our own, so a repeated PUT after a crash addresses the same
 * connector and ARM's PUT idempotency does the rest.
 */
import { createHash } from 'node:crypto';

/** The namespace of sentinel-chatops data connector IDs (fixed: changing it orphans connectors). */
export const CONNECTOR_ID_NAMESPACE = '11e8e6cb-6cac-4ff2-84c5-d72d2211988a';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A version 5 UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  if (!UUID.test(namespace)) throw new RangeError(`uuidV5: not a UUID: ${namespace}`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The data connector ID for an onboarding operation. */
export function connectorIdFor(opId: string): string {
  if (opId === '') throw new RangeError('connectorIdFor: empty operation id');
  return uuidV5(opId, CONNECTOR_ID_NAMESPACE);
}
