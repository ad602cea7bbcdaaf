import 'reflect-metadata';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { gatewayDataSourceOptions } from '../../apps/gateway/src/database/gateway-database';
import { Stack } from '../../tools/stack';
import { ApiClient } from './api-client';
import { isolatedEnv, startDedicatedStack, TestTenant } from './e2e-env';
import { apiKeysService, tenantsService } from './gateway-services';

/**
 * A dedicated stack that shares no work with the shared one (isolatedEnv): its own database, Kafka
 * consumer groups, Redis database and BullMQ key prefix, so the shared stack's services can neither
 * consume its events, sweep its deliveries nor run its jobs, and its services none of the shared
 * stack's (its notifications worker once took the shared stack's email jobs off a shared Redis).
 * Tests that kill the webhooks service or change its settings need that to prove anything.
 */
export class IsolatedStack {
  private constructor(
    readonly stack: Stack,
    readonly databaseUrl: string,
    private readonly redisUrl: string,
    readonly queuePrefix: string,
    private readonly gateway: DataSource,
    readonly db: DataSource,
  ) {}

  static async start(label: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<IsolatedStack> {
    const isolated = await isolatedEnv(label);
    const stack = await startDedicatedStack(label, { ...isolated, ...extraEnv });
    const databaseUrl = isolated.DATABASE_URL!;
    const gateway = await new DataSource(gatewayDataSourceOptions(databaseUrl, 2)).initialize();
    const db = await new DataSource({ type: 'postgres', url: databaseUrl, poolSize: 2 } as never).initialize();
    return new IsolatedStack(stack, databaseUrl, isolated.REDIS_URL!, isolated.WEBHOOK_QUEUE_PREFIX!, gateway, db);
  }

  async createTenant(name: string): Promise<TestTenant> {
    const tenant = await tenantsService(this.gateway).create({ name, rateLimitPerMinute: 100_000 });
    const key = await apiKeysService(this.gateway).issue(tenant.id, 'admin', 'e2e');
    return { tenant, apiKey: key.apiKey, api: new ApiClient(this.stack.gatewayUrl, key.apiKey) };
  }

  /** Deletes every BullMQ key of this stack's delivery queue, as if Redis had lost the jobs. */
  async wipeQueue(): Promise<number> {
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
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
