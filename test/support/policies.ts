import { ApiKeysService } from '../../apps/gateway/src/api-keys/api-keys.service';
import { TenantsService } from '../../apps/gateway/src/tenants/tenants.service';
import { ApiClient } from './api-client';
import { gatewayDb, sharedGatewayUrl, TestTenant } from './e2e-env';

/** createTenant() always sets a high rate limit; this one keeps the defaults (no figure of its own, unlimited tokens). */
export async function createTenantWithDefaultLimits(name: string): Promise<TestTenant> {
  const db = await gatewayDb();
  const tenant = await new TenantsService(db).create({ name, rateLimitPerMinute: null });
  const key = await new ApiKeysService(db).issue(tenant.id, 'admin');
  return { tenant, apiKey: key.apiKey, api: new ApiClient(sharedGatewayUrl(), key.apiKey) };
}
