import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, issueKey, TestTenant } from './support/e2e-env';

/** An offline batch of N scans costs N requests of the key's per-minute budget, not one. */
describe('security: scan batches are charged per item against the rate limit', () => {
  let tenant: TestTenant;
  let pass: any;

  beforeAll(async () => {
    tenant = await createTenant({ name: 'Batch Budget', rateLimitPerMinute: 10 });
    pass = (await tenant.api.post('/passes', { type: 'multi', name: 'Many entries', maxUsages: 100 })).body;
  });

  afterAll(closeGatewayDb);

  const items = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      nonce: `batch-${randomUUID()}`,
      code: pass.code,
      scannedAt: new Date(Date.now() - (n - i) * 1000).toISOString(),
    }));

  it('counts each item, and refuses a batch that does not fit, applying none of it', async () => {
    const scanner = await issueKey(tenant.tenant.id, 'scanner');
    const first = await scanner.api.post('/scans/batch', { items: items(7) });
    assert.equal(first.status, 200);
    assert.equal(first.body.items.length, 7);
    assert.equal(first.headers.get('x-ratelimit-remaining'), '3', '7 of the 10 requests per minute are spent');

    const tooBig = await scanner.api.post('/scans/batch', { items: items(5) });
    assert.equal(tooBig.status, 429);
    assert.equal(tooBig.body.code, 'rate_limited');
    assert.match(tooBig.body.error, /batch of 5 scans counts as 5 requests/);
    assert.ok(tooBig.headers.get('retry-after'));

    const history = await (await issueKey(tenant.tenant.id, 'admin')).api.get(`/passes/${pass.id}/scans?limit=100`);
    assert.equal(history.status, 200);
    assert.equal(history.body.length, 7, 'nothing of the refused batch was scanned');
  });
});
