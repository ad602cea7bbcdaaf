import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Stack } from '../../tools/stack';
import { ApiClient } from '../support/api-client';
import { closeGatewayDb, eventually } from '../support/e2e-env';
import { faultTenant, faultWorld, FaultWorld, startFaultStack, SETUP_BUDGET_MS } from '../support/fault-stack';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { LocalKafka } from '../support/kafka-brokers';
import { LocalRedis } from '../support/local-redis';

const DOWN_FOR_MS = 10_000;

describe('fault 5: Redis down under two gateway replicas', () => {
  let kafka: LocalKafka;
  let redis: LocalRedis;
  let world: FaultWorld;
  let stack: Stack;
  let second: GatewayProcess;

  beforeAll(async () => {
    kafka = await LocalKafka.start(1, 'redis-down');
    redis = await LocalRedis.start();
    world = await faultWorld('redis_down', kafka, { REDIS_URL: redis.url });
    stack = await startFaultStack('redis-down', world);
    second = await startGateway('redis-down-second', stack.env, 180_000);
  }, SETUP_BUDGET_MS);
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
    await redis?.stop();
    await kafka?.stop();
    await closeGatewayDb();
  });

  it('both gateways keep serving writes and scans, stay ready, and fail open as documented; limits come back with Redis', async () => {
    const { api: first, apiKey } = await faultTenant(stack, world, 'Redis Down');
    const replicas = [first, new ApiClient(second.url, apiKey)];
    const door = (await first.post('/passes', { type: 'multi', maxUsages: 1_000, name: 'Door' })).body;
    assert.ok((await first.get('/passes')).headers.get('x-ratelimit-limit'), 'rate limited while Redis is up');

    await redis.stop();
    const failures: string[] = [];
    const began = Date.now();
    for (let i = 0; Date.now() - began < DOWN_FOR_MS; i += 1) {
      const api = replicas[i % 2];
      const created = await api.post(
        '/passes',
        { type: 'single', name: `No Redis ${i}` },
        { headers: { 'idempotency-key': `redis-down-${i}` } },
      );
      if (created.status !== 201) failures.push(`create via replica ${i % 2}: ${created.status} ${created.text}`);
      const scan = await api.post('/scan', { code: door.code });
      if (scan.status !== 200 || scan.body.result !== 'success') failures.push(`scan via replica ${i % 2}: ${scan.status} ${scan.text}`);
      const read = await api.get(`/passes/${door.id}`);
      if (read.status !== 200) failures.push(`read via replica ${i % 2}: ${read.status}`);
      else if (read.headers.get('x-ratelimit-limit') !== null) failures.push('rate limit headers without Redis');
    }
    assert.deepEqual(failures, []);
    for (const url of [stack.gatewayUrl, second.url]) {
      const ready = await fetch(`${url}/health/ready`);
      assert.equal(ready.status, 200, `${url} stays ready`);
      assert.equal(((await ready.json()) as { dependencies: Record<string, { status: string }> }).dependencies.redis.status, 'down');
    }
    for (const app of ['webhooks', 'notifications'] as const) {
      assert.equal((await fetch(stack.healthUrl(app))).status, 200, `${app} stays ready`);
    }

    await redis.startAgain();
    for (const api of replicas) {
      await eventually(async () => ((await api.get('/passes')).headers.get('x-ratelimit-limit') ? true : undefined), 30_000, 250);
    }
    const replay = await first.post('/passes', { type: 'single', name: 'Once' }, { headers: { 'idempotency-key': 'after-redis' } });
    const again = await replicas[1].post('/passes', { type: 'single', name: 'Once' }, { headers: { 'idempotency-key': 'after-redis' } });
    assert.equal(again.body.id, replay.body.id, 'idempotency is shared by the replicas again');
  });
});
