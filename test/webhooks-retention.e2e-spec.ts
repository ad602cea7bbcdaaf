import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { DataSource } from 'typeorm';
import { EventLogRepository } from '../apps/webhooks/src/events/event-log.repository';
import { LogRetention } from '../apps/webhooks/src/events/log-retention';
import { DeliveriesRepository } from '../apps/webhooks/src/subscriptions/deliveries.repository';
import { SubscriptionsRepository } from '../apps/webhooks/src/subscriptions/subscriptions.repository';

/** The purge against the real webhooks schema (the shared test database). */
describe('webhooks log retention', () => {
  let db: DataSource;
  const tenantId = randomUUID();
  const days = (n: number) => new Date(Date.now() - n * 24 * 3600_000);

  beforeAll(async () => {
    db = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: 2 } as never).initialize();
  });

  afterAll(async () => {
    await db.destroy();
  });

  async function event(occurredAt: Date): Promise<string> {
    const id = randomUUID();
    await db.query(
      `INSERT INTO webhooks.event_log (event_id, tenant_id, type, occurred_at, data) VALUES ($1, $2, 'client.created', $3, '{}')`,
      [id, tenantId, occurredAt],
    );
    return id;
  }

  async function subscription(deletedAt: Date | null): Promise<string> {
    const id = `wh_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    await db.query(
      `INSERT INTO webhooks.subscriptions (id, tenant_id, event, target_url, secret_encrypted, active, created_at, deleted_at)
       VALUES ($1, $2, 'client.created', 'https://example.com/hook', 'v1:x:y:z', $3, $4, $5)`,
      [id, tenantId, deletedAt === null, days(60), deletedAt],
    );
    return id;
  }

  async function delivery(subscriptionId: string, eventId: string, status: string, updatedAt: Date): Promise<string> {
    const [{ id }] = await db.query(
      // Enqueued, and not due for days: the running service's sweeper leaves these rows alone.
      `INSERT INTO webhooks.deliveries (tenant_id, subscription_id, event_id, message_id, status, attempt_count, created_at, updated_at,
                                        enqueued_at, next_retry_at)
       VALUES ($1, $2, $3, $4, $5, 1, $6, $6, now(), CASE WHEN $5 = 'retrying' THEN now() + interval '1 day' END) RETURNING id`,
      [tenantId, subscriptionId, eventId, `msg_${randomUUID()}`, status, updatedAt],
    );
    await db.query(
      `INSERT INTO webhooks.delivery_attempts (delivery_id, attempt, status_code, duration_ms, attempted_at) VALUES ($1, 1, 500, 5, $2)`,
      [id, updatedAt],
    );
    return id;
  }

  const exists = async (table: string, column: string, id: string) =>
    (await db.query(`SELECT 1 FROM webhooks.${table} WHERE ${column} = $1`, [id])).length === 1;

  it('purges settled deliveries, unreferenced events, old processed ids and deleted webhooks past the retention, and nothing pending', async () => {
    const live = await subscription(null);
    const gone = await subscription(days(40));
    const oldSettled = await event(days(40));
    const oldPending = await event(days(40));
    const oldUndelivered = await event(days(40));
    const recent = await event(days(1));
    const settledDelivery = await delivery(gone, oldSettled, 'succeeded', days(40));
    const retryingDelivery = await delivery(live, oldPending, 'retrying', days(40));
    const recentDelivery = await delivery(live, recent, 'failed', days(1));
    const oldProcessed = randomUUID();
    const recentProcessed = randomUUID();
    await db.query(
      `INSERT INTO webhooks.processed_events (consumer, event_id, processed_at) VALUES ('retention-test', $1, $2), ('retention-test', $3, now())`,
      [oldProcessed, days(40), recentProcessed],
    );

    const counts = await new LogRetention(new DeliveriesRepository(db), new EventLogRepository(db), new SubscriptionsRepository(db), {
      WEBHOOK_LOG_RETENTION_DAYS: 30,
      WEBHOOK_PURGE_INTERVAL_MS: 60_000,
    }).purge();
    assert.ok(
      counts.deliveries >= 1 && counts.events >= 2 && counts.processedEvents >= 1 && counts.subscriptions >= 1,
      JSON.stringify(counts),
    );

    assert.equal(await exists('deliveries', 'id', settledDelivery), false);
    assert.equal(await exists('delivery_attempts', 'delivery_id', settledDelivery), false, 'attempts go with their delivery');
    assert.equal(await exists('event_log', 'event_id', oldSettled), false);
    assert.equal(await exists('event_log', 'event_id', oldUndelivered), false);
    assert.equal(await exists('subscriptions', 'id', gone), false);
    assert.equal(await exists('processed_events', 'event_id', oldProcessed), false);

    assert.equal(await exists('deliveries', 'id', retryingDelivery), true, 'a delivery still retrying is kept, however old');
    assert.equal(await exists('event_log', 'event_id', oldPending), true, 'and so is its event');
    assert.equal(await exists('deliveries', 'id', recentDelivery), true);
    assert.equal(await exists('event_log', 'event_id', recent), true);
    assert.equal(await exists('subscriptions', 'id', live), true);
    assert.equal(await exists('processed_events', 'event_id', recentProcessed), true);
  });
});
