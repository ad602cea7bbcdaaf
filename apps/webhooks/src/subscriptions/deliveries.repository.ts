import { Injectable } from '@nestjs/common';
import { DeliveryView, DatabaseRepository } from '@passway/common';
import { EntityManager } from 'typeorm';

const DELIVERY_COLUMNS = `
  d.id, d.message_id, d.event_id, e.type AS event, d.status, d.attempt_count, d.last_status_code, d.last_duration_ms,
  d.last_error, d.next_retry_at, d.created_at, d.updated_at, e.occurred_at, e.data,
  COALESCE((SELECT json_agg(json_build_object(
             'attempt', a.attempt, 'statusCode', a.status_code, 'durationMs', a.duration_ms, 'error', a.error,
             'attemptedAt', a.attempted_at, 'responseExcerpt', a.response_excerpt) ORDER BY a.attempt)
            FROM webhooks.delivery_attempts a WHERE a.delivery_id = d.id), '[]'::json) AS attempts`;

/** A delivery as the deliveries log shows it, with its event and its attempts. */
export interface DeliveryRow {
  id: string;
  message_id: string;
  event_id: string;
  event: string;
  status: DeliveryView['status'];
  attempt_count: number;
  last_status_code: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  next_retry_at: Date | null;
  created_at: Date;
  updated_at: Date;
  occurred_at: Date;
  data: unknown;
  attempts: {
    attempt: number;
    statusCode: number | null;
    durationMs: number;
    error: string | null;
    attemptedAt: string;
    responseExcerpt: string | null;
  }[];
}

/** A delivery as the worker attempts it: its subscription's target and secret, and its event. */
export interface DeliveryToAttempt {
  id: string;
  status: string;
  attempt_count: number;
  message_id: string;
  subscription_id: string;
  target_url: string;
  secret_encrypted: string;
  active: boolean;
  deleted_at: Date | null;
  type: string;
  occurred_at: Date;
  data: unknown;
}

/** The deliveries' queries (a delivery's attempts included). */
@Injectable()
export class DeliveriesRepository extends DatabaseRepository {
  /** How many deliveries are pending and retrying (a status with none is absent). */
  unsettledCounts(): Promise<{ status: string; count: number }[]> {
    return this.dataSource.query<{ status: string; count: number }[]>(
      `SELECT status, count(*)::int AS count FROM webhooks.deliveries WHERE status IN ('pending', 'retrying') GROUP BY status`,
    );
  }

  async markEnqueued(deliveryIds: string[]): Promise<void> {
    await this.dataSource.query(`UPDATE webhooks.deliveries SET enqueued_at = now() WHERE id = ANY($1::uuid[])`, [deliveryIds]);
  }

  /** Deliveries to make that were committed (over a second ago) but never enqueued, oldest first. */
  async unqueued(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM webhooks.deliveries
        WHERE enqueued_at IS NULL AND status IN ('pending', 'retrying') AND created_at < now() - interval '1 second'
        ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  /** Deliveries that should have been attempted more than `staleMs` ago. */
  async overdue(staleMs: number, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM webhooks.deliveries
        WHERE (status = 'pending' AND enqueued_at < now() - $1::int * interval '1 millisecond')
           OR (status = 'retrying' AND next_retry_at < now() - $1::int * interval '1 millisecond')
        ORDER BY updated_at LIMIT $2`,
      [staleMs, limit],
    );
    return rows.map((row) => row.id);
  }

  async toAttempt(deliveryId: string): Promise<DeliveryToAttempt | undefined> {
    const rows = await this.dataSource.query<DeliveryToAttempt[]>(
      `SELECT d.id, d.status, d.attempt_count, d.message_id, d.subscription_id, s.target_url, s.secret_encrypted, s.active, s.deleted_at,
              e.type, e.occurred_at, e.data
         FROM webhooks.deliveries d
         JOIN webhooks.subscriptions s ON s.id = d.subscription_id
         JOIN webhooks.event_log e ON e.event_id = d.event_id
        WHERE d.id = $1`,
      [deliveryId],
    );
    return rows[0];
  }

  /** Settles a delivery not yet made as failed without an attempt (its webhook is gone or disabled). */
  async failUnsent(deliveryId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhooks.deliveries SET status = 'failed', next_retry_at = NULL, last_error = $2, updated_at = now()
        WHERE id = $1 AND status IN ('pending', 'retrying')`,
      [deliveryId, reason],
    );
  }

  /** Settles a delivery as failed: its signing secret does not decrypt, so no attempt can be signed. */
  async failUndecryptable(deliveryId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhooks.deliveries SET status = 'failed', next_retry_at = NULL, updated_at = now(),
              last_error = 'not sent: the signing secret could not be decrypted' WHERE id = $1`,
      [deliveryId],
    );
  }

  /** Records one attempt on the delivery and in its attempts, in the caller's transaction. */
  async recordAttempt(
    manager: EntityManager,
    deliveryId: string,
    outcome: {
      status: 'succeeded' | 'failed' | 'retrying';
      statusCode: number | null;
      durationMs: number;
      error: string | null;
      responseExcerpt: string | null;
      retryDelayMs: number | null;
    },
  ): Promise<void> {
    const [updated] = await manager.query<{ attempt_count: number }[]>(
      `WITH updated AS (
       UPDATE webhooks.deliveries
          SET attempt_count = attempt_count + 1, status = $2, last_status_code = $3, last_duration_ms = $4,
              last_error = $5, next_retry_at = CASE WHEN $6::int IS NULL THEN NULL ELSE now() + $6::int * interval '1 millisecond' END,
              updated_at = now()
        WHERE id = $1
        RETURNING attempt_count)
       SELECT attempt_count FROM updated`,
      [deliveryId, outcome.status, outcome.statusCode, outcome.durationMs, outcome.error, outcome.retryDelayMs],
    );
    await manager.query(
      `INSERT INTO webhooks.delivery_attempts (delivery_id, attempt, status_code, duration_ms, error, response_excerpt)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [deliveryId, updated.attempt_count, outcome.statusCode, outcome.durationMs, outcome.error, outcome.responseExcerpt],
    );
  }

  /** One page of a subscription's deliveries, newest first. */
  list(subscriptionId: string, limit: number, offset: number): Promise<DeliveryRow[]> {
    return this.dataSource.query<DeliveryRow[]>(
      `SELECT ${DELIVERY_COLUMNS}
         FROM webhooks.deliveries d JOIN webhooks.event_log e ON e.event_id = d.event_id
        WHERE d.subscription_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2 OFFSET $3`,
      [subscriptionId, limit, offset],
    );
  }

  async count(subscriptionId: string): Promise<number> {
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM webhooks.deliveries WHERE subscription_id = $1`,
      [subscriptionId],
    );
    return total;
  }

  async find(subscriptionId: string, deliveryId: string): Promise<DeliveryRow | undefined> {
    const rows = await this.dataSource.query<DeliveryRow[]>(
      `SELECT ${DELIVERY_COLUMNS}
         FROM webhooks.deliveries d JOIN webhooks.event_log e ON e.event_id = d.event_id
        WHERE d.id = $1 AND d.subscription_id = $2`,
      [deliveryId, subscriptionId],
    );
    return rows[0];
  }

  /** Makes the delivery pending again, with a fresh schedule; false when it was pending already. */
  async resetForRetry(deliveryId: string): Promise<boolean> {
    const reset = await this.dataSource.query<unknown[]>(
      `WITH reset AS (
         UPDATE webhooks.deliveries SET status = 'pending', next_retry_at = NULL, enqueued_at = NULL, updated_at = now()
          WHERE id = $1 AND status <> 'pending' RETURNING id)
       SELECT id FROM reset`,
      [deliveryId],
    );
    return reset.length > 0;
  }

  /** The subscription was deleted: its deliveries not yet made are settled as not sent, in the caller's transaction. */
  async failPendingOfDeleted(manager: EntityManager, subscriptionId: string): Promise<void> {
    await manager.query(
      `UPDATE webhooks.deliveries SET status = 'failed', next_retry_at = NULL, last_error = 'not sent: the webhook was deleted',
              updated_at = now()
        WHERE subscription_id = $1 AND status IN ('pending', 'retrying')`,
      [subscriptionId],
    );
  }

  /** Removes up to `limit` deliveries settled before `cutoff` (their attempts go with them); how many. */
  async purgeSettled(cutoff: Date, limit: number): Promise<number> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM webhooks.deliveries WHERE id IN (
         SELECT id FROM webhooks.deliveries WHERE status IN ('succeeded', 'failed') AND updated_at < $1 LIMIT $2)`,
      [cutoff, limit],
    );
    return affected;
  }
}
