import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A consumer's dead letters: events that failed permanently (bad data) POISON_ATTEMPTS times and
 * were set aside so their partition could move on. Each row keeps the message as received, the
 * last error and, once an operator asks for it (`npm run cli -- dead-letters replay`), when it was
 * replayed through the consumer's handler.
 */
export function deadLettersTableSql(schema: string): string[] {
  return [
    `CREATE TABLE "${schema}".dead_letters (
       id bigserial PRIMARY KEY,
       consumer text NOT NULL,
       event_id uuid NOT NULL,
       event_type text NOT NULL,
       tenant_id text,
       topic text NOT NULL,
       message_key text,
       message_value text NOT NULL,
       error text NOT NULL,
       failed_at timestamptz NOT NULL DEFAULT now(),
       replay_requested_at timestamptz,
       replayed_at timestamptz,
       UNIQUE (consumer, event_id)
     )`,
    `CREATE INDEX dead_letters_replay ON "${schema}".dead_letters (consumer, id) WHERE replay_requested_at IS NOT NULL AND replayed_at IS NULL`,
  ];
}

/** The migration every consuming service runs for its own schema (one class per service, one name). */
export function deadLettersMigration(schema: string): new () => MigrationInterface {
  return class DeadLetters1796000000000 implements MigrationInterface {
    name = 'DeadLetters1796000000000';

    async up(runner: QueryRunner): Promise<void> {
      for (const statement of deadLettersTableSql(schema)) await runner.query(statement);
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE IF EXISTS "${schema}".dead_letters`);
    }
  };
}

/** The schemas that hold dead letters, one per consuming service (what the CLI may look into). */
export const DEAD_LETTER_SCHEMAS = ['passes', 'scans', 'webhooks', 'notifications'] as const;

export type DeadLetterSchema = (typeof DEAD_LETTER_SCHEMAS)[number];

export interface DeadLetterSummary {
  id: string;
  consumer: string;
  eventId: string;
  eventType: string;
  tenantId: string | null;
  error: string;
  failedAt: string;
  replayRequestedAt: string | null;
  replayedAt: string | null;
}

/** A dead_letters row as listDeadLetters selects it (bigserial ids arrive as text). */
interface DeadLetterRow {
  id: string;
  consumer: string;
  event_id: string;
  event_type: string;
  tenant_id: string | null;
  error: string;
  failed_at: Date;
  replay_requested_at: Date | null;
  replayed_at: Date | null;
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** An operator's view of a service's dead letters (never the event itself: it carries personal data). */
export async function listDeadLetters(db: Queryable, schema: DeadLetterSchema, { pendingOnly = false } = {}): Promise<DeadLetterSummary[]> {
  const rows = (await db.query(
    `SELECT id, consumer, event_id, event_type, tenant_id, error, failed_at, replay_requested_at, replayed_at
       FROM "${schema}".dead_letters ${pendingOnly ? 'WHERE replayed_at IS NULL' : ''} ORDER BY id DESC LIMIT 500`,
  )) as DeadLetterRow[];
  const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
  return rows.map((row) => ({
    id: String(row.id),
    consumer: row.consumer,
    eventId: row.event_id,
    eventType: row.event_type,
    tenantId: row.tenant_id,
    error: row.error,
    failedAt: iso(row.failed_at)!,
    replayRequestedAt: iso(row.replay_requested_at),
    replayedAt: iso(row.replayed_at),
  }));
}

/**
 * Asks the service's consumers to put these dead letters (or every one not yet replayed) through
 * their handler again; each consumer picks its own up within seconds. Returns the ids asked for.
 */
export async function requestDeadLetterReplay(db: Queryable, schema: DeadLetterSchema, ids: string[] | 'all'): Promise<string[]> {
  const result = await db.query(
    ids === 'all'
      ? `UPDATE "${schema}".dead_letters SET replay_requested_at = now() WHERE replayed_at IS NULL RETURNING id`
      : `UPDATE "${schema}".dead_letters SET replay_requested_at = now() WHERE replayed_at IS NULL AND id = ANY($1::bigint[]) RETURNING id`,
    ids === 'all' ? [] : [ids],
  );
  const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { id: string }[];
  return rows.map((row) => String(row.id));
}
