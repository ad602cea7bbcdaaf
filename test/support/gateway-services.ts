import { DataSource } from 'typeorm';
import { ApiKeysRepository } from '../../apps/gateway/src/api-keys/api-keys.repository';
import { ApiKeysService } from '../../apps/gateway/src/api-keys/api-keys.service';
import { TenantsRepository } from '../../apps/gateway/src/tenants/tenants.repository';
import { TenantsService } from '../../apps/gateway/src/tenants/tenants.service';
import { TokenBalanceRepository } from '../../apps/gateway/src/tokens/token-balance.repository';
import { TokenBalanceService } from '../../apps/gateway/src/tokens/token-balance.service';

/** The gateway's services over a test's own connection to its database, wired as the app wires them. */
export function apiKeysService(db: DataSource): ApiKeysService {
  return new ApiKeysService(new ApiKeysRepository(db));
}

export function tenantsService(db: DataSource): TenantsService {
  return new TenantsService(new TenantsRepository(db), new TokenBalanceRepository(db));
}

export function tokenBalanceService(db: DataSource): TokenBalanceService {
  return new TokenBalanceService(new TokenBalanceRepository(db));
}
