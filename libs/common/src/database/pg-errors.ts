export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_INVALID_TEXT_REPRESENTATION = '22P02';
export const PG_DUPLICATE_OBJECT = '42710';
export const PG_DUPLICATE_DATABASE = '42P04';
export const PG_DUPLICATE_SCHEMA = '42P06';

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

/**
 * A database failure under a request that decided nothing and is worth trying again, as the body of
 * the 503 the client gets; null for anything else. A lost connection, or a transaction PostgreSQL
 * rolled back to break a deadlock (40P01) or a serialization conflict (40001).
 */
export function retryableDatabaseFailure(error: unknown): { error: string; code: string } | null {
  if (isLostDatabaseConnection(error)) return { error: 'the database connection was lost, try again', code: 'database_unavailable' };
  if (isPgError(error, '40P01') || isPgError(error, '40001'))
    return { error: 'a concurrent change got in the way and nothing was done, try again', code: 'database_conflict' };
  return null;
}

/**
 * Text PostgreSQL cannot store: a NUL character (22021, character_not_in_repertoire), or one the
 * database encoding lacks (22P05). The statement failed, so nothing changed: the caller sent bad
 * input, and gets the body of a 400.
 */
export function unstorableText(error: unknown): { error: string; code: string } | null {
  if (isPgError(error, '22021') || isPgError(error, '22P05'))
    return { error: 'a text value contains a character that cannot be stored (such as NUL)', code: 'invalid_text' };
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row, so callers answer 404 without a query. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
