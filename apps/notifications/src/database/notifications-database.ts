import { dataSourceOptions } from '@passway/common';
import { EmailEntity } from '../emails/entities/email.entity';
import { InitialSchema1732440000000 } from '../migrations/1732440000000-InitialSchema';
import { Wallet1796100000000 } from '../migrations/1796100000000-Wallet';

export const NOTIFICATIONS_SCHEMA = 'notifications';

export function notificationsDataSourceOptions(url: string, poolSize?: number) {
  return dataSourceOptions({
    url,
    schema: NOTIFICATIONS_SCHEMA,
    entities: [EmailEntity],
    migrations: [InitialSchema1732440000000, Wallet1796100000000],
    poolSize,
  });
}
