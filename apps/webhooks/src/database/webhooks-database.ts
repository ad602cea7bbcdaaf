import { dataSourceOptions } from '@passway/common';
import { InitialSchema1732440000000 } from '../migrations/1732440000000-InitialSchema';
import { DeadLetters1796000000000 } from '../migrations/1796000000000-DeadLetters';

export const WEBHOOKS_SCHEMA = 'webhooks';

export function webhooksDataSourceOptions(url: string, poolSize?: number) {
  return dataSourceOptions({
    url,
    schema: WEBHOOKS_SCHEMA,
    entities: [],
    migrations: [InitialSchema1732440000000, DeadLetters1796000000000],
    poolSize,
  });
}
