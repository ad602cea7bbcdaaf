import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's logging through Nest's logger, without query parameters (they can hold emails, key
 * hashes and tokens). A failed query is not logged as an error here: it reaches its caller as an
 * exception, and the caller either handles it (a unique violation on a taken name answers 409 or
 * retries) or lets it through to the error filters, which log what nobody handled.
 */
export class QueryLogger implements TypeOrmLogger {
  private readonly logger = new Logger('TypeORM');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'object' ? (error as { code?: string }).code : undefined;
    const message = typeof error === 'string' ? error : error.message;
    this.logger.debug({ msg: `query failed${code ? ` (${code})` : ''}: ${message}`, query });
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ msg: `slow query: ${time} ms`, query });
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.debug(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}
