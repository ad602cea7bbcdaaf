import { DataSource } from 'typeorm';
import { join, resolve } from 'node:path';
import { ApiKeysService } from '../../apps/gateway/src/api-keys/api-keys.service';
import { Role } from '../../apps/gateway/src/api-keys/entities/api-key.entity';
import { gatewayDataSourceOptions } from '../../apps/gateway/src/database/gateway-database';
import { Plan } from '../../apps/gateway/src/tenants/entities/tenant.entity';
import { TenantsService, TenantSummary } from '../../apps/gateway/src/tenants/tenants.service';
import { freePorts, Stack } from '../../tools/stack';
import { ApiClient } from './api-client';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

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

let gatewayDataSource: Promise<DataSource> | undefined;

/** The gateway's own tables, for arranging tenants and keys the way the CLI does. */
export function gatewayDb(): Promise<DataSource> {
  gatewayDataSource ??= new DataSource(gatewayDataSourceOptions(requiredEnv('DATABASE_URL'), 2)).initialize();
  return gatewayDataSource;
}

export async function closeGatewayDb(): Promise<void> {
  const pending = gatewayDataSource;
  gatewayDataSource = undefined;
  if (pending) await (await pending).destroy();
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
): Promise<TestTenant> {
  const dataSource = await gatewayDb();
  tenantCounter += 1;
  const tenant = await new TenantsService(dataSource).create({
    name: options.name ?? `Test Tenant ${process.pid}-${tenantCounter}`,
    plan: options.plan,
    tokens: options.tokens,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
  });
  const key = await new ApiKeysService(dataSource).issue(tenant.id, options.role ?? 'admin', 'e2e');
  return { tenant, apiKey: key.apiKey, api: new ApiClient(baseUrl, key.apiKey) };
}

export async function issueKey(tenantId: string, role: Role, baseUrl = sharedGatewayUrl()): Promise<{ apiKey: string; id: string; api: ApiClient }> {
  const key = await new ApiKeysService(await gatewayDb()).issue(tenantId, role, `e2e ${role}`);
  return { apiKey: key.apiKey, id: key.id, api: new ApiClient(baseUrl, key.apiKey) };
}

/** Polls until the check returns a value other than undefined, or fails with the last error. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw lastError ?? new Error(`condition not met within ${timeoutMs} ms`);
}
