import { dataSourceOptions } from '@passway/common';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { InitialSchema1732440000000 } from '../migrations/1732440000000-InitialSchema';
import { CheckInMethod1764000000000 } from '../migrations/1764000000000-CheckInMethod';
import { EventProjection1764000000001 } from '../migrations/1764000000001-EventProjection';
import { OfflineScanResult1766000000000 } from '../migrations/1766000000000-OfflineScanResult';
import { OutboxDeadLetters1766000000001 } from '../migrations/1766000000001-OutboxDeadLetters';
import { DeadLetters1796000000000 } from '../migrations/1796000000000-DeadLetters';

export const SCANS_SCHEMA = 'scans';

/**
 * The pg pool under TypeORM's DataSource. The scan path sends its few hand-written statements
 * straight to it: one round trip each, none of the query-runner bookkeeping per call.
 */
export const SCANS_POOL = Symbol('SCANS_POOL');

export function poolOf(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('the scans DataSource has no connection pool (not initialised?)');
  return pool;
}

export function scansDataSourceOptions(url: string, poolSize?: number) {
  return dataSourceOptions({
    url,
    schema: SCANS_SCHEMA,
    entities: [],
    migrations: [InitialSchema1732440000000, CheckInMethod1764000000000, EventProjection1764000000001, OfflineScanResult1766000000000, OutboxDeadLetters1766000000001, DeadLetters1796000000000],
    poolSize,
  });
}
