import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TriggerItem } from '@passway/common';
import { DataSource, EntityManager } from 'typeorm';

/** One consumed event as the log records it. */
export interface LoggedEvent {
  id: string;
  tenantId: string;
  type: string;
  occurredAt: string;
  item: TriggerItem;
}

/**
 * The event log's queries, and the intake's statements around it: appending a batch of events, the
 * subscriptions that want them and the deliveries they create, all in the consumer's transaction.
 */
@Injectable()
export class EventLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends the events (once each), and reads subscription_version in the same snapshot. */
  async append(manager: EntityManager, events: LoggedEvent[]): Promise<string> {
    const [{ version }] = await manager.query<{ version: string }[]>(
      `WITH logged AS (
         INSERT INTO webhooks.event_log (event_id, tenant_id, type, occurred_at, data)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::jsonb[])
         ON CONFLICT (event_id) DO NOTHING
       )
       SELECT version::text AS version FROM webhooks.subscription_version`,
      [
        events.map((event) => event.id),
        events.map((event) => event.tenantId),
        events.map((event) => event.type),
        events.map((event) => event.occurredAt),
        events.map((event) => JSON.stringify(event.item)),
      ],
    );
    return version;
  }

  /** The (tenant, event type) pairs with an active webhook, in the caller's transaction. */
  subscribedPairs(manager: EntityManager): Promise<{ tenant_id: string; event: string }[]> {
    return manager.query<{ tenant_id: string; event: string }[]>(
      `SELECT DISTINCT tenant_id, event FROM webhooks.subscriptions WHERE active AND deleted_at IS NULL`,
    );
  }

  /** Creates one delivery per event and matching subscription, in the caller's transaction; the new deliveries' ids. */
  async createDeliveries(manager: EntityManager, events: Omit<LoggedEvent, 'item'>[]): Promise<string[]> {
    // Only webhooks that existed when the event happened: a consumer catching up (or a new
    // consumer group replaying the topics) must not send old events to newer subscriptions.
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO webhooks.deliveries (tenant_id, subscription_id, event_id, message_id)
       SELECT s.tenant_id, s.id, e.id, 'msg_' || replace(e.id::text, '-', '') || '_' || substr(s.id, 4)
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS e (id, tenant_id, type, occurred_at)
         JOIN webhooks.subscriptions s
           ON s.tenant_id = e.tenant_id AND s.event = e.type AND s.active AND s.deleted_at IS NULL
          AND s.created_at <= e.occurred_at
       ON CONFLICT (subscription_id, event_id) DO NOTHING
       RETURNING id`,
      [
        events.map((event) => event.id),
        events.map((event) => event.tenantId),
        events.map((event) => event.type),
        events.map((event) => event.occurredAt),
      ],
    );
    return rows.map((row) => row.id);
  }

  /** The tenant's events of one type that happened after `since`, newest first. */
  async poll(tenantId: string, type: string, since: Date, limit: number): Promise<TriggerItem[]> {
    const rows = await this.dataSource.query<{ data: TriggerItem }[]>(
      `SELECT data FROM webhooks.event_log
        WHERE tenant_id = $1 AND type = $2 AND occurred_at > $3
        ORDER BY occurred_at DESC, event_id DESC LIMIT $4`,
      [tenantId, type, since, limit],
    );
    return rows.map((row) => row.data);
  }

  /** Removes up to `limit` events that happened before `cutoff` and that no delivery refers to; how many. */
  async purgeUndelivered(cutoff: Date, limit: number): Promise<number> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM webhooks.event_log WHERE event_id IN (
         SELECT e.event_id FROM webhooks.event_log e
          WHERE e.occurred_at < $1 AND NOT EXISTS (SELECT 1 FROM webhooks.deliveries d WHERE d.event_id = e.event_id)
          LIMIT $2)`,
      [cutoff, limit],
    );
    return affected;
  }

  /** Removes up to `limit` of the intake's processed event ids recorded before `cutoff`; how many. */
  async purgeProcessed(cutoff: Date, limit: number): Promise<number> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM webhooks.processed_events WHERE (consumer, event_id) IN (
         SELECT consumer, event_id FROM webhooks.processed_events WHERE processed_at < $1 LIMIT $2)`,
      [cutoff, limit],
    );
    return affected;
  }
}
