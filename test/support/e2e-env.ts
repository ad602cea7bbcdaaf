import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { CONSUMER_GROUPS, consumerGroupId } from '../../libs/common/src/kafka/consumer-groups';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { join } from 'node:path';
import { Role } from '../../apps/gateway/src/api-keys/entities/api-key.entity';
import { gatewayDataSourceOptions } from '../../apps/gateway/src/database/gateway-database';
import { Plan } from '../../apps/gateway/src/tenants/entities/tenant.entity';
import { TenantSummary } from '../../apps/gateway/src/tenants/tenants.service';
import { migrateAll } from '../../tools/migrate';
import { freePorts, REPO_ROOT, Stack } from '../../tools/stack';
import { ApiClient } from './api-client';
import { apiKeysService, tenantsService } from './gateway-services';

export { REPO_ROOT };

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests through "npm test"`);
  return value;
}

/** The stack `npm test` started for every e2e file. */
export function sharedGatewayUrl(): string {
  return requiredEnv('PASSWAY_E2E_GATEWAY_URL');
}

export function anonymousApi(baseUrl = sharedGatewayUrl()): ApiClient {
  return new ApiClient(baseUrl);
}

/** A stack of its own, for tests that stop, kill or restart apps. */
export async function startDedicatedStack(label: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Stack> {
  const stack = new Stack({
    ports: await freePorts(),
    env: { ...process.env, ...extraEnv },
    logDir: process.env.PASSWAY_TEST_LOG_DIR ?? join(REPO_ROOT, 'test-artifacts', 'logs'),
    label,
  });
  try {
    await stack.start();
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

const gatewayDataSources = new Map<string, Promise<DataSource>>();

/** The gateway's own tables (of the shared stack, or of an isolated one), for arranging tenants and keys as the CLI does. */
export function gatewayDb(databaseUrl = requiredEnv('DATABASE_URL')): Promise<DataSource> {
  let dataSource = gatewayDataSources.get(databaseUrl);
  if (!dataSource) {
    dataSource = new DataSource(gatewayDataSourceOptions(databaseUrl, 2)).initialize();
    gatewayDataSources.set(databaseUrl, dataSource);
  }
  return dataSource;
}

export async function closeGatewayDb(): Promise<void> {
  const pending = [...gatewayDataSources.values()];
  gatewayDataSources.clear();
  for (const dataSource of pending) await (await dataSource).destroy();
}

/**
 * Settings for a dedicated stack that shares no work with the shared one: its own database
 * (migrated), Kafka consumer groups, Redis database and queue prefix. Without them its consumers
 * would take partitions, jobs and rows from the shared stack's apps.
 */
export async function isolatedEnv(label: string): Promise<NodeJS.ProcessEnv> {
  const slug = label.replace(/\W/g, '_');
  const databaseUrl = new URL(requiredEnv('DATABASE_URL'));
  const database = `${databaseUrl.pathname.slice(1)}_${slug}`;
  const admin = new URL(databaseUrl.toString());
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await client.end();
  databaseUrl.pathname = `/${database}`;
  // Redis database 1 is the shared stack's; dedicated stacks run one at a time, so 15 is theirs
  // (TEST_ISOLATED_REDIS_DB moves it, for two checkouts testing side by side on one Redis).
  const redisUrl = new URL(requiredEnv('REDIS_URL'));
  redisUrl.pathname = `/${process.env.TEST_ISOLATED_REDIS_DB ?? '15'}`;
  const redis = new Redis(redisUrl.toString(), { maxRetriesPerRequest: 1 });
  await redis.flushdb();
  redis.disconnect();
  const env = {
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: redisUrl.toString(),
    KAFKA_CLIENT_ID_PREFIX: `passway-test-${slug}-${Date.now()}`,
    WEBHOOK_QUEUE_PREFIX: `bull-${slug}`,
  };
  await migrateAll({ ...process.env, ...env }, () => undefined);
  await startConsumerGroupsAtTheEnd(env.KAFKA_CLIENT_ID_PREFIX);
  return env;
}

/**
 * New consumer groups would read the topics from the start (every earlier test's events); start them
 * at the end instead, with explicit offsets (a symbolic "latest" would be resolved when a consumer
 * starts, skipping what it missed while down). One member joins each group, all groups at once,
 * and commits the end of every topic the group reads: kafkajs's admin.setOffsets joins once per
 * group and topic, which took a minute for the twelve pairs.
 */
async function startConsumerGroupsAtTheEnd(prefix: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'e2e-isolation', brokers: requiredEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, { topic: string; partition: number; offset: string }[]>();
  try {
    for (const topic of new Set(Object.values(CONSUMER_GROUPS).flatMap((group) => [...group.topics]))) {
      ends.set(
        topic,
        (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ topic, partition, offset: high })),
      );
    }
  } finally {
    await admin.disconnect();
  }
  await Promise.all(
    Object.values(CONSUMER_GROUPS).map(async (group) => {
      const consumer = kafka.consumer({ groupId: consumerGroupId(prefix, group) });
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [...group.topics], fromBeginning: false });
        // Nothing it fetches is committed (autoCommit off, batches left unresolved): only the offsets below.
        await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: () => Promise.resolve() });
        await joined;
        await consumer.commitOffsets(group.topics.flatMap((topic) => ends.get(topic)!));
      } finally {
        await consumer.disconnect();
      }
    }),
  );
}

export interface TestTenant {
  tenant: TenantSummary;
  apiKey: string;
  api: ApiClient;
}

let tenantCounter = 0;

export async function createTenant(
  options: { name?: string; plan?: Plan; tokens?: number | null; rateLimitPerMinute?: number | null; role?: Role } = {},
  baseUrl = sharedGatewayUrl(),
  databaseUrl?: string,
): Promise<TestTenant> {
  const dataSource = await gatewayDb(databaseUrl);
  tenantCounter += 1;
  const tenant = await tenantsService(dataSource).create({
    name: options.name ?? `Test Tenant ${process.pid}-${tenantCounter}`,
    plan: options.plan,
    tokens: options.tokens,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
  });
  const key = await apiKeysService(dataSource).issue(tenant.id, options.role ?? 'admin', 'e2e');
  return { tenant, apiKey: key.apiKey, api: new ApiClient(baseUrl, key.apiKey) };
}

export async function issueKey(
  tenantId: string,
  role: Role,
  baseUrl = sharedGatewayUrl(),
): Promise<{ apiKey: string; id: string; api: ApiClient }> {
  const key = await apiKeysService(await gatewayDb()).issue(tenantId, role, `e2e ${role}`);
  return { apiKey: key.apiKey, id: key.id, api: new ApiClient(baseUrl, key.apiKey) };
}

/** Polls until the check returns a value other than undefined, or fails with the last error. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: Error | undefined;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error : new Error(String(error));
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw lastError ?? new Error(`condition not met within ${timeoutMs} ms`);
}
