import 'reflect-metadata';
import { Client } from 'pg';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../../apps/gateway/src/api-keys/api-keys.service';
import { gatewayDataSourceOptions } from '../../apps/gateway/src/database/gateway-database';
import { TenantsService } from '../../apps/gateway/src/tenants/tenants.service';
import { migrateAll } from '../../tools/migrate';
import { Stack } from '../../tools/stack';
import { ApiClient } from './api-client';
import { startDedicatedStack, TestTenant } from './e2e-env';

/**
 * A dedicated stack that shares no work with the shared one: its own database, its own Kafka
 * consumer groups and its own BullMQ key prefix (so the shared stack's webhooks service can
 * neither consume its events, sweep its deliveries nor run its jobs). Tests that kill the
 * webhooks service or change its settings need that to prove anything.
 */
export class IsolatedStack {
  private constructor(
    readonly stack: Stack,
    readonly databaseUrl: string,
    readonly queuePrefix: string,
    private readonly gateway: DataSource,
    readonly db: DataSource,
  ) {}

  static async start(label: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<IsolatedStack> {
    const base = new URL(process.env.DATABASE_URL!);
    const database = `${base.pathname.slice(1)}_${label.replace(/\W/g, '_')}`;
    const admin = new URL(base.toString());
    admin.pathname = '/postgres';
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${database}"`);
    await client.end();
    const url = new URL(base.toString());
    url.pathname = `/${database}`;
    const queuePrefix = `bull-${label}`;
    const env = {
      ...process.env,
      DATABASE_URL: url.toString(),
      KAFKA_CLIENT_ID_PREFIX: `passway-test-${label}`,
      WEBHOOK_QUEUE_PREFIX: queuePrefix,
      ...extraEnv,
    };
    await migrateAll(env, () => undefined);
    const stack = await startDedicatedStack(label, env);
    const gateway = await new DataSource(gatewayDataSourceOptions(url.toString(), 2)).initialize();
    const db = await new DataSource({ type: 'postgres', url: url.toString(), poolSize: 2 } as never).initialize();
    return new IsolatedStack(stack, url.toString(), queuePrefix, gateway, db);
  }

  async createTenant(name: string): Promise<TestTenant> {
    const tenant = await new TenantsService(this.gateway).create({ name, rateLimitPerMinute: 100_000 });
    const key = await new ApiKeysService(this.gateway).issue(tenant.id, 'admin', 'e2e');
    return { tenant, apiKey: key.apiKey, api: new ApiClient(this.stack.gatewayUrl, key.apiKey) };
  }

  /** Deletes every BullMQ key of this stack's delivery queue, as if Redis had lost the jobs. */
  async wipeQueue(): Promise<number> {
    const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    try {
      let removed = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.queuePrefix}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length) removed += await redis.del(...keys);
      } while (cursor !== '0');
      return removed;
    } finally {
      redis.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.stack.stop();
    await this.gateway.destroy();
    await this.db.destroy();
  }
}
