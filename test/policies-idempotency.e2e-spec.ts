import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, TestTenant } from './support/e2e-env';

describe('Idempotency-Key on POST', () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await createTenant({ name: 'Idempotent', tokens: 10 });
  });
  afterAll(() => closeGatewayDb());

  const key = () => ({ 'idempotency-key': randomUUID() });

  it('replays the first response for the same key and body without creating a second pass or using a token', async () => {
    const headers = key();
    const first = await tenant.api.post('/passes', { type: 'single', name: 'Once', customFields: [{ key: 'a', value: 'b' }] }, { headers });
    assert.equal(first.status, 201);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    // same body, keys in another order
    const again = await tenant.api.post('/passes', { customFields: [{ value: 'b', key: 'a' }], name: 'Once', type: 'single' }, { headers });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body, first.body);
    assert.match(again.headers.get('content-type') ?? '', /application\/json/);
    assert.ok(again.headers.get('x-ratelimit-limit'), 'a replay still carries the rate-limit headers');
    const list = await tenant.api.get('/passes?search=Once');
    assert.equal(list.body.length, 1);
    assert.equal((await tenant.api.get('/organization')).body.tokenBalance, 9);
  });

  it('replays 200 responses with their status (activate/revoke)', async () => {
    const pass = (await tenant.api.post('/passes', { type: 'single' })).body;
    const headers = key();
    const first = await tenant.api.post(`/passes/${pass.id}/revoke`, undefined, { headers });
    assert.equal(first.status, 200);
    const again = await tenant.api.post(`/passes/${pass.id}/revoke`, undefined, { headers });
    assert.equal(again.status, 200, 'not a 400 "already revoked": the work is not done again');
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body, first.body);
    assert.equal((await tenant.api.post(`/passes/${pass.id}/revoke`)).status, 400, 'without the key it runs');
  });

  it('answers 409 when the key comes back with a different body or on another route', async () => {
    const headers = key();
    assert.equal((await tenant.api.post('/clients', { name: 'First' }, { headers })).status, 201);
    const different = await tenant.api.post('/clients', { name: 'Second' }, { headers });
    assert.equal(different.status, 409);
    assert.equal(different.body.code, 'idempotency_key_reused');
    assert.equal((await tenant.api.post('/templates', { name: 'First' }, { headers })).status, 409);
    assert.equal((await tenant.api.get('/clients?search=Second')).body.length, 0);
  });

  it('answers 409 to a duplicate that arrives while the first is still running', async () => {
    const headers = key();
    const body = { type: 'single', name: 'Concurrent' };
    const responses = await Promise.all(Array.from({ length: 5 }, () => tenant.api.post('/passes', body, { headers })));
    const created = responses.filter((r) => r.status === 201);
    const inFlight = responses.filter((r) => r.status === 409);
    assert.equal(created.length + inFlight.length, 5, responses.map((r) => r.status).join(','));
    assert.ok(created.length >= 1);
    assert.ok(
      created.every((r) => r.body.id === created[0].body.id),
      'every 201 is the same pass',
    );
    inFlight.forEach((r) => assert.equal(r.body.code, 'idempotency_in_flight'));
    assert.equal((await tenant.api.get('/passes?search=Concurrent')).body.length, 1);
  });

  it('does not keep failures: the same key may be retried after a 400', async () => {
    const headers = key();
    assert.equal((await tenant.api.post('/clients', { name: '' }, { headers })).status, 400);
    assert.equal((await tenant.api.post('/clients', { name: '' }, { headers })).status, 400);
    const fixed = await tenant.api.post('/clients', { name: 'Fixed' }, { headers });
    assert.equal(fixed.status, 201, 'failures are forgotten, so the corrected request runs');
    assert.equal(fixed.headers.get('idempotent-replayed'), null);
    assert.equal((await tenant.api.post('/clients', { name: 'Fixed' }, { headers })).headers.get('idempotent-replayed'), 'true');
  });

  it('scopes keys per tenant and refuses malformed keys', async () => {
    const other = await createTenant({ name: 'Idempotent Other' });
    const headers = key();
    const mine = await tenant.api.post('/clients', { name: 'Scoped' }, { headers });
    const theirs = await other.api.post('/clients', { name: 'Scoped' }, { headers });
    assert.equal(theirs.status, 201);
    assert.equal(theirs.headers.get('idempotent-replayed'), null);
    assert.notEqual(theirs.body.id, mine.body.id);
    const bad = await tenant.api.post('/clients', { name: 'x' }, { headers: { 'idempotency-key': 'x'.repeat(256) } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'invalid_idempotency_key');
  });
});
