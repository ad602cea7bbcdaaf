import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../../apps/gateway/src/api-keys/api-keys.service';
import { gatewayDataSourceOptions } from '../../apps/gateway/src/database/gateway-database';
import { TenantsService } from '../../apps/gateway/src/tenants/tenants.service';

/** What every bench gets: the running stack's gateway and a way to make a tenant with an admin key. */
export interface BenchContext {
  gatewayUrl: string;
  env: NodeJS.ProcessEnv;
  createTenant(name: string): Promise<{ tenantId: string; apiKey: string }>;
}

/** One line of the printed table. */
export interface BenchRow {
  bench: string;
  metric: string;
  value: string;
}

export async function createBenchContext(gatewayUrl: string, env: NodeJS.ProcessEnv): Promise<BenchContext & { close(): Promise<void> }> {
  const dataSource = await new DataSource(gatewayDataSourceOptions(env.DATABASE_URL!, 2)).initialize();
  return {
    gatewayUrl,
    env,
    async createTenant(name) {
      const tenant = await new TenantsService(dataSource).create({ name, rateLimitPerMinute: 10_000_000 });
      const key = await new ApiKeysService(dataSource).issue(tenant.id, 'admin', 'bench');
      return { tenantId: tenant.id, apiKey: key.apiKey };
    },
    close: () => dataSource.destroy(),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
