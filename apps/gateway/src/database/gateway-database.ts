import { dataSourceOptions } from '@passway/common';
import { ApiKeyEntity } from '../api-keys/entities/api-key.entity';
import { InitialSchema1732440000000 } from '../migrations/1732440000000-InitialSchema';
import { TokenLedger1732500000000 } from '../migrations/1732500000000-TokenLedger';
import { LedgerResources1732600000000 } from '../migrations/1732600000000-LedgerResources';
import { EventScopedKeys1732700000000 } from '../migrations/1732700000000-EventScopedKeys';
import { Accounts1732800000000 } from '../migrations/1732800000000-Accounts';
import { RefundedReservations1732900000000 } from '../migrations/1732900000000-RefundedReservations';
import { TenantEntity } from '../tenants/entities/tenant.entity';

export const GATEWAY_SCHEMA = 'gateway';

export function gatewayDataSourceOptions(url: string, poolSize?: number) {
  return dataSourceOptions({
    url,
    schema: GATEWAY_SCHEMA,
    entities: [TenantEntity, ApiKeyEntity],
    migrations: [
      InitialSchema1732440000000,
      TokenLedger1732500000000,
      LedgerResources1732600000000,
      EventScopedKeys1732700000000,
      Accounts1732800000000,
      RefundedReservations1732900000000,
    ],
    poolSize,
  });
}
