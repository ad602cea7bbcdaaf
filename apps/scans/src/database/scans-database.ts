import { dataSourceOptions } from '@passway/common';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { InitialSchema1732440000000 } from '../migrations/1732440000000-InitialSchema';
import { CheckInMethod1764000000000 } from '../migrations/1764000000000-CheckInMethod';
import { EventProjection1764000000001 } from '../migrations/1764000000001-EventProjection';
import { AdmissionChanges1766130000000 } from '../migrations/1766130000000-AdmissionChanges';
import { OfflineScanResult1766000000000 } from '../migrations/1766000000000-OfflineScanResult';
import { OutboxDeadLetters1766000000001 } from '../migrations/1766000000001-OutboxDeadLetters';
import { DeadLetters1796000000000 } from '../migrations/1796000000000-DeadLetters';
import { AdmissionUndo1797000000000 } from '../migrations/1797000000000-AdmissionUndo';
import { AdmissionEventTenantStatistics1797200000000 } from '../migrations/1797200000000-AdmissionEventTenantStatistics';

export const SCANS_SCHEMA = 'scans';

/**
 * The scan path's own pg pool, beside TypeORM's. The scan path sends its few hand-written
 * statements straight to it: one round trip each, none of the query-runner bookkeeping per call.
 */
export const SCANS_POOL = Symbol('SCANS_POOL');

export class ScanStatementPool extends Pool implements OnApplicationShutdown {
  private readonly logger = new Logger(ScanStatementPool.name);

  constructor(url: string, size: number) {
    super({ connectionString: url, max: size, connectionTimeoutMillis: 5_000 });
    // An idle client's connection can drop (a database restart); the pool replaces it on next use.
    this.on('error', (error) => this.logger.warn(`idle database connection lost: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.end();
  }
}

export function scansDataSourceOptions(url: string, poolSize?: number) {
  return dataSourceOptions({
    url,
    schema: SCANS_SCHEMA,
    entities: [],
    migrations: [
      InitialSchema1732440000000,
      CheckInMethod1764000000000,
      EventProjection1764000000001,
      OfflineScanResult1766000000000,
      OutboxDeadLetters1766000000001,
      DeadLetters1796000000000,
      AdmissionChanges1766130000000,
      AdmissionUndo1797000000000,
      AdmissionEventTenantStatistics1797200000000,
    ],
    poolSize,
  });
}
