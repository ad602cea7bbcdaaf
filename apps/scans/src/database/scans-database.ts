import { dataSourceOptions } from '@passway/common';
import { InitialSchema1732440000000 } from '../migrations/1732440000000-InitialSchema';

export const SCANS_SCHEMA = 'scans';

export function scansDataSourceOptions(url: string, poolSize?: number) {
  return dataSourceOptions({
    url,
    schema: SCANS_SCHEMA,
    entities: [],
    migrations: [InitialSchema1732440000000],
    poolSize,
  });
}
