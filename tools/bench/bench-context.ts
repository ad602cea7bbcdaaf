import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { ApiKeysRepository } from '../../apps/gateway/src/api-keys/api-keys.repository';
import { ApiKeysService } from '../../apps/gateway/src/api-keys/api-keys.service';
import { Role } from '../../apps/gateway/src/api-keys/entities/api-key.entity';
import { gatewayDataSourceOptions } from '../../apps/gateway/src/database/gateway-database';
import { TenantsRepository } from '../../apps/gateway/src/tenants/tenants.repository';
import { TenantsService } from '../../apps/gateway/src/tenants/tenants.service';
import { TokenBalanceRepository } from '../../apps/gateway/src/tokens/token-balance.repository';
import { APP_NAMES, AppName, appEntry } from '../stack';

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
      const { tenantId, keys } = await createBenchTenant(dataSource, name, ['admin']);
      return { tenantId, apiKey: keys.admin! };
    },
    close: () => dataSource.destroy(),
  };
}

/** A tenant with a rate limit no bench reaches, and a key of each role asked for, made as the gateway makes them. */
export async function createBenchTenant(
  dataSource: DataSource,
  name: string,
  roles: readonly Role[],
): Promise<{ tenantId: string; keys: Partial<Record<Role, string>> }> {
  const tenant = await new TenantsService(new TenantsRepository(dataSource), new TokenBalanceRepository(dataSource)).create({
    name,
    rateLimitPerMinute: 10_000_000,
  });
  const apiKeys = new ApiKeysService(new ApiKeysRepository(dataSource));
  const keys: Partial<Record<Role, string>> = {};
  for (const role of roles) keys[role] = (await apiKeys.issue(tenant.id, role, `bench ${role}`)).apiKey;
  return { tenantId: tenant.id, keys };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The apps of this checkout running on this machine (found by their entry point in /proc) and their resident memory. */
export function runningApps(): { app: AppName; pid: number; rssBytes: number }[] {
  const entries = new Map(APP_NAMES.map((app) => [appEntry(app), app]));
  const found: { app: AppName; pid: number; rssBytes: number }[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const app = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        .map((arg) => entries.get(arg))
        .find(Boolean);
      if (!app) continue;
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      found.push({ app, pid: Number(pid), rssBytes: kb * 1024 });
    } catch {
      // ended meanwhile
    }
  }
  return found;
}
