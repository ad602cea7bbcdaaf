import { dataSourceOptions } from '@passway/common';
import { EmailEntity } from '../emails/entities/email.entity';
import { InitialSchema1732440000000 } from '../migrations/1732440000000-InitialSchema';
import { AccountEmails1732800000000 } from '../migrations/1732800000000-AccountEmails';
import { DeadLetters1796000000000 } from '../migrations/1796000000000-DeadLetters';
import { Wallet1796100000000 } from '../migrations/1796100000000-Wallet';
import { HolderPortalEmails1796200000000 } from '../migrations/1796200000000-HolderPortalEmails';
import { WalletPassTemplates1797100000000 } from '../migrations/1797100000000-WalletPassTemplates';

export const NOTIFICATIONS_SCHEMA = 'notifications';

export function notificationsDataSourceOptions(url: string, poolSize?: number) {
  return dataSourceOptions({
    url,
    schema: NOTIFICATIONS_SCHEMA,
    entities: [EmailEntity],
    migrations: [
      InitialSchema1732440000000,
      AccountEmails1732800000000,
      DeadLetters1796000000000,
      Wallet1796100000000,
      HolderPortalEmails1796200000000,
      WalletPassTemplates1797100000000,
    ],
    poolSize,
  });
}
