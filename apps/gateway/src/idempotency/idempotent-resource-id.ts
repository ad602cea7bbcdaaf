import { createHash } from 'node:crypto';

/**
 * The id of the resource a request with an Idempotency-Key creates: a name-based UUID of tenant,
 * resource type and key (RFC 9562 version 8 layout). Every retry with the same key names the same
 * resource, so it finds what the first attempt made instead of making a second one.
 */
export function idempotentResourceId(tenantId: string, resource: string, idempotencyKey: string): string {
  const bytes = createHash('sha256')
    .update(`passway:idempotent-resource\n${tenantId}\n${resource}\n${idempotencyKey}`)
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
