import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../apps/gateway/src/api-keys/api-keys.service';
import { gatewayDataSourceOptions } from '../apps/gateway/src/database/gateway-database';
import { TenantsService } from '../apps/gateway/src/tenants/tenants.service';
import { Stack } from '../tools/stack';
import { migrateAll } from '../tools/migrate';
import { ALL_TOPICS } from '../libs/common/src/events/topics';
import { ApiClient } from './support/api-client';
import { eventually, startDedicatedStack } from './support/e2e-env';
import { projectedAdmission } from './support/scans-projection';

/**
 * The door keeps working while the passes service is down. This stack has a database and
 * consumer groups of its own, so only its own passes service can bring usagesCount up to date:
 * the catch-up seen here is the restarted service consuming what it missed.
 */
describe('scanning while the passes service is down', () => {
  const databaseUrl = `${process.env.DATABASE_URL}_passes_down`;
  const groupPrefix = 'passway-test-passes-down';
  let stack: Stack;
  let gatewayDb: DataSource;
  let api: ApiClient;

  beforeAll(async () => {
    await dropDatabase(databaseUrl);
    const env = { ...process.env, DATABASE_URL: databaseUrl, KAFKA_CLIENT_ID_PREFIX: groupPrefix };
    await migrateAll(env, () => undefined);
    await skipToLatest(groupPrefix);
    stack = await startDedicatedStack('passes-down', env);
    gatewayDb = await new DataSource(gatewayDataSourceOptions(databaseUrl, 2)).initialize();
    const tenant = await new TenantsService(gatewayDb).create({ name: 'Door While Down', rateLimitPerMinute: 100_000 });
    const key = await new ApiKeysService(gatewayDb).issue(tenant.id, 'admin', 'e2e');
    api = new ApiClient(stack.gatewayUrl, key.apiKey);
  });

  afterAll(async () => {
    await stack?.stop();
    await gatewayDb?.destroy();
    await dropDatabase(databaseUrl);
  });

  it('redeems known passes from the projection, and usagesCount catches up when passes returns', async () => {
    const single = (await api.post('/passes', { type: 'single', name: 'Offline door' })).body;
    const multi = (await api.post('/passes', { type: 'multi', maxUsages: 10 })).body;
    for (const pass of [single, multi]) {
      await eventually(async () => ((await projectedAdmission(pass.id, databaseUrl)) ? true : undefined));
    }

    await stack.stopApp('passes');
    assert.equal((await api.get(`/passes/${single.id}`)).status, 503, 'the passes service is really down');

    const first = await api.post('/scan', { code: single.code });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.result, 'success');
    assert.equal((await api.post('/scan', { code: single.code })).body.result, 'already_used');
    const multiResults = [];
    for (let i = 0; i < 3; i += 1) multiResults.push((await api.post('/scan', { code: multi.code })).body.result);
    assert.deepEqual(multiResults, ['success', 'success', 'success']);
    const history = await api.get(`/passes/${multi.id}/scans`);
    assert.equal(history.status, 200);
    assert.equal(history.body.length, 3);

    // A code the projection has never seen needs the passes service: a clear 503, not a 404.
    const unknown = await api.post('/scan', { code: 'ZZZZZZZZZZZZZZZZ' });
    assert.equal(unknown.status, 503);
    assert.equal(typeof unknown.body.error, 'string');

    await stack.startApp('passes');
    const caughtUp = await eventually(async () => {
      const [s, m] = await Promise.all([api.get(`/passes/${single.id}`), api.get(`/passes/${multi.id}`)]);
      return s.body.status === 'used' && m.body.usagesCount === 3 ? [s.body, m.body] : undefined;
    }, 30_000);
    assert.equal(caughtUp[0].usagesCount, 1);
    assert.equal(caughtUp[1].status, 'active');
  });
});

/**
 * This stack's database is new but its consumer groups are not (Kafka outlives test runs): start
 * them at the end of every topic, as if the stack had been running and caught up, so what the
 * restarted passes service consumes is this test's events, not every run's since the last.
 */
async function skipToLatest(groupPrefix: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'e2e-offsets', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const groupIds = new Set([
      `${groupPrefix}-passes-scan-tally`,
      `${groupPrefix}-scans-admissions`,
      ...groups.map((group) => group.groupId).filter((groupId) => groupId.startsWith(groupPrefix)),
    ]);
    for (const topic of ALL_TOPICS) {
      // Explicit offsets: a symbolic "latest" would be resolved when a consumer starts, skipping what it missed.
      const partitions = (await admin.fetchTopicOffsets(topic.name)).map(({ partition, high }) => ({ partition, offset: high }));
      for (const groupId of groupIds) await admin.setOffsets({ groupId, topic: topic.name, partitions });
    }
  } finally {
    await admin.disconnect();
  }
}

async function dropDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
