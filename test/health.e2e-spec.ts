import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Stack } from '../tools/stack';
import { ApiClient } from './support/api-client';
import { closeGatewayDb, createTenant, eventually, sharedGatewayUrl, isolatedEnv, startDedicatedStack } from './support/e2e-env';

describe('health', () => {
  it('GET /health is 200 when the gateway and every service are ready', async () => {
    const response = await new ApiClient(sharedGatewayUrl()).get('/health');
    assert.equal(response.status, 200);
    assert.equal(response.body.status, 'ok');
    assert.deepEqual(response.body.services, { passes: 'SERVING', scans: 'SERVING', webhooks: 'SERVING', notifications: 'SERVING' });
    assert.equal((await new ApiClient(sharedGatewayUrl()).get('/health/live')).status, 200);
  });
});

describe('a service that is down', () => {
  let stack: Stack;
  let isolated: NodeJS.ProcessEnv;
  beforeAll(async () => {
    isolated = await isolatedEnv('health');
    stack = await startDedicatedStack('health', isolated);
  });
  afterAll(async () => {
    await stack.stop();
    await closeGatewayDb();
  });

  it('makes /health 503 and its routes a JSON 503, and recovers when it is back', async () => {
    const { api } = await createTenant({ name: 'Down Time' }, stack.gatewayUrl, isolated.DATABASE_URL);
    assert.equal((await api.post('/passes', { type: 'single' })).status, 201);
    for (const app of ['passes', 'scans', 'webhooks', 'notifications', 'gateway'] as const) {
      const ready = await fetch(stack.healthUrl(app));
      const report: any = await ready.json();
      assert.equal(ready.status, 200, app);
      assert.equal(report.status, 'ok', app);
      assert.equal(report.info.database.status, 'up', `${app} checks its database`);
      assert.equal(report.info.shutdown.status, 'up');
      // Kafka and Redis are reported, never gating: a blip in either must not empty every Service.
      assert.equal(report.info.kafka, undefined, `${app} is not made unready by Kafka`);
      assert.equal(report.info.redis, undefined, `${app} is not made unready by Redis`);
      if (app !== 'gateway') assert.equal(report.dependencies.kafka.status, 'up', `${app} reports Kafka`);
      if (app !== 'passes' && app !== 'scans') assert.equal(report.dependencies.redis.status, 'up', `${app} reports Redis`);
      if (app !== 'gateway') {
        const consumers = Object.keys(report.info).filter((name) => name.startsWith('consumer '));
        assert.ok(consumers.length > 0, `${app} waits for its consumers`);
      }
    }
    await stack.stopApp('passes');
    const health = await api.get('/health');
    assert.equal(health.status, 503);
    assert.equal(health.body.services.passes, 'UNREACHABLE');
    const refused = await api.post('/passes', { type: 'single' });
    assert.equal(refused.status, 503);
    assert.match(refused.body.error, /passes service is unavailable/);
    await stack.startApp('passes');
    // The gateway's channel reconnects with backoff (at most 2 s), so recovery is prompt but not instant.
    await eventually(async () => ((await api.get('/health')).status === 200 ? true : undefined), 10_000, 200);
    assert.equal((await api.post('/passes', { type: 'single' })).status, 201);
  });
});
