import { Client } from 'pg';
import Redis from 'ioredis';
import { migrateAll } from '../../tools/migrate';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { APP_NODE_FLAGS, appEntry, freePorts, Stack, stackEnv, StackPorts, waitFor } from '../../tools/stack';
import { createTenant, REPO_ROOT, TestTenant } from './e2e-env';
import assert from 'node:assert/strict';
import { TOPICS } from '../../libs/common/src/events/topics';
import { ApiClient } from './api-client';
import { eventually } from './e2e-env';
import { LocalKafka } from './kafka-brokers';
import { duplicateIds, readTopics } from './topic-reader';
import { join } from 'node:path';

/**
 * A fault test's world: its own database (`<test db>_<label>`), Redis database 15, Kafka consumer
 * group prefix and a Kafka of its own (LocalKafka), so that it can stop, kill and cut whatever it
 * likes without touching the shared stack or another test.
 */
/** What a fault test's beforeAll may take: a broker, migrations and five apps start in minutes on a busy 2-core machine. */
export const SETUP_BUDGET_MS = 600_000;

export interface FaultWorld {
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
  redisUrl: string;
}

/** `<test database>_<label>`, dropped so that migrations start it afresh. */
export async function freshDatabaseUrl(label: string): Promise<string> {
  const databaseUrl = new URL(process.env.DATABASE_URL!);
  const database = `${databaseUrl.pathname.slice(1)}_${label.replace(/\W/g, '_')}`;
  const admin = new URL(databaseUrl.toString());
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await client.end();
  databaseUrl.pathname = `/${database}`;
  return databaseUrl.toString();
}

/** Redis database 15 (dedicated stacks'), emptied. */
export async function freshRedisUrl(): Promise<string> {
  const redisUrl = new URL(process.env.REDIS_URL!);
  redisUrl.pathname = `/${process.env.TEST_ISOLATED_REDIS_DB ?? '15'}`;
  const redis = new Redis(redisUrl.toString(), { maxRetriesPerRequest: 1 });
  await redis.flushdb();
  redis.disconnect();
  return redisUrl.toString();
}

export async function faultWorld(label: string, kafka: LocalKafka, extraEnv: NodeJS.ProcessEnv = {}): Promise<FaultWorld> {
  const slug = label.replace(/\W/g, '_');
  const databaseUrl = await freshDatabaseUrl(slug);
  const redisUrl = await freshRedisUrl();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    KAFKA_BROKERS: kafka.brokers,
    KAFKA_CLIENT_ID_PREFIX: `passway-fault-${slug}`,
    KAFKA_TOPIC_REPLICATION_FACTOR: kafka.brokers.split(',').length >= 3 ? '3' : '1',
    WEBHOOK_QUEUE_PREFIX: `bull-${slug}`,
    ...extraEnv,
  };
  await migrateAll(env, () => undefined);
  return { env, databaseUrl, redisUrl };
}

export async function startFaultStack(label: string, world: FaultWorld, ports?: StackPorts): Promise<Stack> {
  const stack = new Stack({
    ports: ports ?? (await freePorts()),
    env: world.env,
    logDir: process.env.PASSWAY_TEST_LOG_DIR ?? join(REPO_ROOT, 'test-artifacts', 'logs'),
    label,
  });
  try {
    await stack.start(120_000);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

export function faultTenant(stack: Stack, world: FaultWorld, name: string): Promise<TestTenant> {
  return createTenant({ name }, stack.gatewayUrl, world.databaseUrl);
}

export { stackEnv };

/** Every app's readiness right now: app → HTTP status. */
export async function readinessOf(stack: Stack): Promise<Record<string, number>> {
  const apps = ['passes', 'scans', 'webhooks', 'notifications', 'gateway'] as const;
  const statuses = await Promise.all(
    apps.map(async (app) => {
      try {
        return (await fetch(stack.healthUrl(app), { signal: AbortSignal.timeout(5_000) })).status;
      } catch {
        return 0;
      }
    }),
  );
  return Object.fromEntries(apps.map((app, i) => [app, statuses[i]]));
}

/** Rows of a table in the fault world's database. */
export async function query<T = Record<string, unknown>>(world: FaultWorld, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: world.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A second replica of a backend service (its own gRPC and HTTP ports), sharing the stack's database and Kafka. */
export async function startReplica(stack: Stack, app: 'passes' | 'scans', label: string): Promise<{ stop(): Promise<void> }> {
  const ports = await freePorts();
  const upper = app.toUpperCase();
  const env = { ...stack.env, [`${upper}_GRPC_URL`]: `127.0.0.1:${ports.passesGrpc}`, [`${upper}_HTTP_PORT`]: String(ports.passesHttp) };
  const logDir = process.env.PASSWAY_TEST_LOG_DIR ?? join(REPO_ROOT, 'test-artifacts', 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${label}-${app}-replica.log`), { flags: 'a' });
  const child = spawn(process.execPath, [...APP_NODE_FLAGS, appEntry(app)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  process.once('exit', () => child.kill('SIGKILL'));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    log.end();
  };
  try {
    await waitFor(`http://127.0.0.1:${ports.passesHttp}/health/ready`, 180_000, () =>
      child.exitCode !== null ? [`${app} replica (exit ${child.exitCode})`] : [],
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

/**
 * After a fault: a later pass goes down the same path (once the webhooks consumer has it, it has
 * everything before it); then every pass created and every successful scan has its event in the
 * topic, exactly once unless `redeliveryExpected`, and the passes service's tally has counted
 * every scan once (consumers dedupe on the event id).
 */
export async function expectEveryEventOnce(options: {
  kafka: LocalKafka;
  world: FaultWorld;
  api: ApiClient;
  tenantId: string;
  created: string[];
  successes: Map<string, number>;
  /** A relay cut between publishing and deleting its rows publishes them again (at least once, by design). */
  redeliveryExpected?: boolean;
}): Promise<void> {
  const { kafka, world, api, tenantId, created, successes } = options;
  const later = (await api.post('/passes', { type: 'single', name: 'After the fault' })).body;
  await eventually(
    async () => {
      const rows = await query(
        world,
        `SELECT 1 FROM webhooks.event_log WHERE tenant_id = $1 AND type = 'pass.created' AND data->>'id' = $2`,
        [tenantId, later.id],
      );
      return rows.length === 1 ? true : undefined;
    },
    60_000,
    250,
  );
  const published = await readTopics(
    kafka.client(),
    [TOPICS.passEvents.name, TOPICS.scanEvents.name],
    (event) => event.tenantId === tenantId,
  );
  if (!options.redeliveryExpected) assert.deepEqual(duplicateIds(published), [], 'no event published twice');
  const events = published.filter((event, index) => published.findIndex((other) => other.id === event.id) === index);
  const createdIds = new Set(events.filter((e) => e.type === 'pass.created').map((e) => (e.data as { id: string }).id));
  assert.deepEqual(
    [...created, later.id].filter((id) => !createdIds.has(id)),
    [],
    'a pass.created for every pass',
  );
  const scanned = events.filter((e) => e.type === 'pass.scanned' && (e.data as { success: boolean }).success).length;
  assert.equal(
    scanned,
    [...successes.values()].reduce((a, b) => a + b, 0),
    'a pass.scanned for every successful scan',
  );
  for (const [passId, count] of successes) {
    await eventually(async () => ((await api.get(`/passes/${passId}`)).body.usagesCount === count ? true : undefined), 30_000, 250);
  }
}
