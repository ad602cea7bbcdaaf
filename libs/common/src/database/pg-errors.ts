export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_INVALID_TEXT_REPRESENTATION = '22P02';

export function isPgError(error: unknown, code: string): boolean {
  const candidate = error as { code?: string; driverError?: { code?: string } };
  return candidate?.code === code || candidate?.driverError?.code === code;
}

/**
 * The database connection went away under a query (server restarted, connection terminated by an
 * administrator, network cut): nothing was decided, and the pool will hand out a fresh connection
 * next time. Class 08 (connection exception), 57P01–57P03 (shutdown, cannot connect now), or the
 * driver's own "Connection terminated" when the socket closed.
 */
export function isLostDatabaseConnection(error: unknown): boolean {
  const candidate = error as { code?: string; driverError?: { code?: string }; message?: string };
  const code = candidate?.driverError?.code ?? candidate?.code;
  if (typeof code === 'string' && (/^08/.test(code) || /^57P0[123]$/.test(code))) return true;
  return /Connection terminated|connection terminated|Client has encountered a connection error/.test(candidate?.message ?? '');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row, so callers answer 404 without a query. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
