import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, eventually, TestTenant } from './support/e2e-env';

const STARTS = '2031-07-01T18:00:00Z';

/**
 * The passes service is held past the gateway's RPC deadline by a row lock its transaction needs, so
 * the gateway answers 503 while the command is still running and then commits: the outcome is unknown.
 */
describe('security: an Idempotency-Key survives an unknown outcome', () => {
  let tenant: TestTenant;
  let db: Client;
  let redis: Redis;

  beforeAll(async () => {
    tenant = await createTenant({ name: 'Unknown Outcome', tokens: 10 });
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    await db.end();
    redis.disconnect();
    await closeGatewayDb();
  });

  /** Holds `sql` (a row lock) in an open transaction while `during` runs, then lets the blocked command commit. */
  async function holding<T>(sql: string, params: unknown[], during: () => Promise<T>): Promise<T> {
    await db.query('BEGIN');
    await db.query(sql, params);
    try {
      return await during();
    } finally {
      await db.query('COMMIT');
    }
  }

  it('a pass created past the RPC deadline: the retry with the same key gets that pass; one pass, one token', async () => {
    const event = (await tenant.api.post('/events', { name: 'Held', startsAt: STARTS })).body;
    const balanceBefore = (await tenant.api.get('/organization')).body.tokenBalance;
    const key = `unknown-${randomUUID()}`;
    const body = { type: 'single', clientName: 'Held Holder', eventId: event.id };
    const headers = { 'idempotency-key': key };

    const first = await holding('SELECT 1 FROM passes.events WHERE id = $1 FOR UPDATE', [event.id], () =>
      tenant.api.post('/passes', body, { headers }),
    );
    assert.equal(first.status, 503, 'the deadline passed while the passes service was held');

    const retry = await tenant.api.post('/passes', body, { headers });
    assert.equal(retry.status, 201);
    const passes = (await tenant.api.get(`/passes?eventId=${event.id}`)).body;
    assert.deepEqual(
      passes.map((p: any) => p.id),
      [retry.body.id],
      'exactly one pass: the one the first attempt made',
    );
    assert.equal((await tenant.api.get('/organization')).body.tokenBalance, balanceBefore - 1, 'exactly one token');

    const replay = await tenant.api.post('/passes', body, { headers });
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(replay.body.id, retry.body.id);
    assert.equal(replay.body.code, retry.body.code);
    const other = await tenant.api.post('/passes', { ...body, clientName: 'Someone Else' }, { headers });
    assert.equal(other.status, 409, 'the key stays bound to its first request');
    assert.equal(other.body.code, 'idempotency_key_reused');
  });

  it('on a route that cannot find its first result, the retry is told the outcome is unknown (409), not run twice', async () => {
    const pass = (await tenant.api.post('/passes', { type: 'single', name: 'To revoke' })).body;
    const headers = { 'idempotency-key': `revoke-${randomUUID()}` };
    const first = await holding('SELECT 1 FROM passes.passes WHERE id = $1 FOR UPDATE', [pass.id], () =>
      tenant.api.post(`/passes/${pass.id}/revoke`, undefined, { headers }),
    );
    assert.equal(first.status, 503);
    const retry = await tenant.api.post(`/passes/${pass.id}/revoke`, undefined, { headers });
    assert.equal(retry.status, 409);
    assert.equal(retry.body.code, 'idempotency_outcome_unknown');
    assert.match(retry.body.error, /may have taken effect/);
    // The held command commits once the lock is released, a moment after the 503: the retry above may beat it.
    const status = await eventually(async () => {
      const current = (await tenant.api.get(`/passes/${pass.id}`)).body.status;
      return current === 'revoked' ? current : undefined;
    }).catch(() => 'not revoked');
    assert.equal(status, 'revoked', 'the first attempt did take effect');
  });

  it('never keeps a response that carries a secret: a replay is 409 and Redis holds no key or signing secret', async () => {
    const keyHeaders = { 'idempotency-key': `apikey-${randomUUID()}` };
    const created = await tenant.api.post('/api-keys', { role: 'scanner', name: 'once' }, { headers: keyHeaders });
    assert.equal(created.status, 201);
    const hookHeaders = { 'idempotency-key': `hook-${randomUUID()}` };
    const hook = await tenant.api.post(
      '/webhooks',
      { event: 'pass.created', targetUrl: 'http://127.0.0.1:9/once' },
      { headers: hookHeaders },
    );
    assert.equal(hook.status, 201);

    const stored = await redis.keys(`passway:idem:${tenant.tenant.id}:*`);
    assert.ok(stored.length >= 2);
    const values = (await Promise.all(stored.map((k) => redis.get(k)))).join('\n');
    assert.ok(!values.includes(created.body.apiKey), 'the API key is not in Redis');
    assert.ok(!values.includes(hook.body.secret), 'the webhook secret is not in Redis');

    const replay = await tenant.api.post('/api-keys', { role: 'scanner', name: 'once' }, { headers: keyHeaders });
    assert.equal(replay.status, 409);
    assert.equal(replay.body.code, 'idempotency_response_not_kept');
    assert.equal((await tenant.api.get('/api-keys')).body.filter((k: any) => k.name === 'once').length, 1, 'no second key');
    const hookReplay = await tenant.api.post(
      '/webhooks',
      { event: 'pass.created', targetUrl: 'http://127.0.0.1:9/once' },
      { headers: hookHeaders },
    );
    assert.equal(hookReplay.status, 409);
    assert.equal((await tenant.api.get('/webhooks')).body.length, 1, 'no second subscription');
  });
});
