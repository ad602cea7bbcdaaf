import { ApiClient } from './api-client';
import { gatewayDb, sharedGatewayUrl, TestTenant } from './e2e-env';
import { apiKeysService, tenantsService } from './gateway-services';

/** createTenant() always sets a high rate limit; this one keeps the defaults (no figure of its own, unlimited tokens). */
export async function createTenantWithDefaultLimits(name: string): Promise<TestTenant> {
  const db = await gatewayDb();
  const tenant = await tenantsService(db).create({ name, rateLimitPerMinute: null });
  const key = await apiKeysService(db).issue(tenant.id, 'admin');
  return { tenant, apiKey: key.apiKey, api: new ApiClient(sharedGatewayUrl(), key.apiKey) };
}
