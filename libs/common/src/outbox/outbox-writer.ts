import { EntityManager } from 'typeorm';
import { DomainEvent } from '../events/envelope';
import { topicFor } from '../events/topics';
import { RequestContext } from '../context/request-context';

/**
 * Appends domain events to the service's outbox inside the caller's transaction: the event
 * exists if and only if the change it describes was committed.
 */
export async function appendToOutbox(
  manager: EntityManager,
  schema: string,
  aggregateId: string,
  events: DomainEvent | DomainEvent[],
  headers: Record<string, string> = RequestContext.eventHeaders(),
): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  for (const event of list) {
    await manager.query(`INSERT INTO "${schema}".outbox (id, topic, key, type, payload, headers) VALUES ($1, $2, $3, $4, $5, $6)`, [
      event.id,
      topicFor(event.type),
      aggregateId,
      event.type,
      JSON.stringify(event),
      JSON.stringify(headers),
    ]);
  }
}

/** SQL for a service's migration: the outbox, its wake-up trigger, and processed_events. */
export function outboxTablesSql(schema: string): string[] {
  return [
    `CREATE TABLE "${schema}".outbox (
       seq bigserial PRIMARY KEY,
       id uuid NOT NULL UNIQUE,
       topic text NOT NULL,
       key text NOT NULL,
       type text NOT NULL,
       payload jsonb NOT NULL,
       headers jsonb NOT NULL DEFAULT '{}'::jsonb,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE FUNCTION "${schema}".notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_notify('${outboxChannel(schema)}', ''); RETURN NULL; END $$`,
    `CREATE TRIGGER outbox_notify AFTER INSERT ON "${schema}".outbox
       FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".notify_outbox()`,
    `CREATE TABLE "${schema}".processed_events (
       consumer text NOT NULL,
       event_id uuid NOT NULL,
       processed_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (consumer, event_id)
     )`,
  ];
}

/** Rows the relay set aside because Kafka will never take them; an operator repairs and re-inserts them into the outbox. */
export function outboxDeadLetterTableSql(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS "${schema}".outbox_dead_letters (
            id uuid PRIMARY KEY,
            topic text NOT NULL,
            key text NOT NULL,
            payload jsonb NOT NULL,
            headers jsonb NOT NULL DEFAULT '{}'::jsonb,
            error text NOT NULL,
            dead_lettered_at timestamptz NOT NULL DEFAULT now()
          )`;
}

export function outboxChannel(schema: string): string {
  return `passway_outbox_${schema}`;
}
