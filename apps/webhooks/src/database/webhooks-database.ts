import { dataSourceOptions } from '@passway/common';
import { InitialSchema1732440000000 } from '../migrations/1732440000000-InitialSchema';

export const WEBHOOKS_SCHEMA = 'webhooks';

export function webhooksDataSourceOptions(url: string, poolSize?: number) {
  return dataSourceOptions({
    url,
    schema: WEBHOOKS_SCHEMA,
    entities: [],
    migrations: [InitialSchema1732440000000],
    poolSize,
  });
}
