import { dataSourceOptions } from '@passway/common';
import { InitialSchema1732440000000 } from '../migrations/1732440000000-InitialSchema';
import { DeadLetters1796000000000 } from '../migrations/1796000000000-DeadLetters';
import { SubscriptionVersion1797000000000 } from '../migrations/1797000000000-SubscriptionVersion';
import { AttemptResponses1797000000001 } from '../migrations/1797000000001-AttemptResponses';
import { SubscriptionVersionOnChange1797100000000 } from '../migrations/1797100000000-SubscriptionVersionOnChange';

export const WEBHOOKS_SCHEMA = 'webhooks';

export function webhooksDataSourceOptions(url: string, poolSize?: number) {
  return dataSourceOptions({
    url,
    schema: WEBHOOKS_SCHEMA,
    entities: [],
    migrations: [
      InitialSchema1732440000000,
      DeadLetters1796000000000,
      SubscriptionVersion1797000000000,
      AttemptResponses1797000000001,
      SubscriptionVersionOnChange1797100000000,
    ],
    poolSize,
  });
}
