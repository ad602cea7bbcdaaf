import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { conflict, DeliveryView, failedPrecondition, isUuid, notFound, Page, PageQueryDto, pageWindow } from '@passway/common';
import { DataSource } from 'typeorm';
import { deliveryBody } from '../delivery/delivery-body';
import { DeliveryQueue } from '../delivery/delivery-queue';
import { SubscriptionsService } from './subscriptions.service';

const DELIVERY_COLUMNS = `
  d.id, d.message_id, d.event_id, e.type AS event, d.status, d.attempt_count, d.last_status_code, d.last_duration_ms,
  d.last_error, d.next_retry_at, d.created_at, d.updated_at, e.occurred_at, e.data,
  COALESCE((SELECT json_agg(json_build_object(
             'attempt', a.attempt, 'statusCode', a.status_code, 'durationMs', a.duration_ms, 'error', a.error,
             'attemptedAt', a.attempted_at, 'responseExcerpt', a.response_excerpt) ORDER BY a.attempt)
            FROM webhooks.delivery_attempts a WHERE a.delivery_id = d.id), '[]'::json) AS attempts`;

interface DeliveryRow {
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

const toView = (row: DeliveryRow): DeliveryView => ({
  id: row.id,
  messageId: row.message_id,
  eventId: row.event_id,
  event: row.event,
  status: row.status,
  attemptCount: row.attempt_count,
  lastStatusCode: row.last_status_code,
  durationMs: row.last_duration_ms,
  error: row.last_error,
  nextRetryAt: row.next_retry_at ? row.next_retry_at.toISOString() : null,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  request: deliveryBody(row.event, row.occurred_at, row.data),
  attempts: row.attempts.map((a) => ({ ...a, attemptedAt: new Date(a.attemptedAt).toISOString() })),
});

/** The deliveries log of one subscription, and manual redelivery. */
@Injectable()
export class DeliveriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsService,
    private readonly queue: DeliveryQueue,
  ) {}

  async list(tenantId: string, webhookId: string, query: PageQueryDto): Promise<Page<DeliveryView>> {
    await this.subscriptions.require(this.dataSource.manager, tenantId, webhookId);
    const { page, limit, offset } = pageWindow(query);
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS}
         FROM webhooks.deliveries d JOIN webhooks.event_log e ON e.event_id = d.event_id
        WHERE d.subscription_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2 OFFSET $3`,
      [webhookId, limit, offset],
    );
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM webhooks.deliveries WHERE subscription_id = $1`,
      [webhookId],
    );
    return { items: rows.map(toView), total, page, limit };
  }

  /**
   * Sends the delivery again, with the same webhook-id, and a fresh schedule of automatic retries.
   * A delivery waiting for its next automatic retry is brought forward; one queued or in flight is a 409.
   */
  async retry(tenantId: string, webhookId: string, deliveryId: string): Promise<DeliveryView> {
    const subscription = await this.subscriptions.require(this.dataSource.manager, tenantId, webhookId);
    if (!subscription.active) {
      throw failedPrecondition('This webhook is disabled; create a new one to receive deliveries again', 'webhook_disabled');
    }
    const delivery = await this.find(webhookId, deliveryId);
    if (delivery.status === 'pending') throw conflict('This delivery is already queued', 'delivery_in_progress');
    if (!(await this.queue.removeUnlessActive(delivery.id)))
      throw conflict('This delivery is being attempted right now', 'delivery_in_progress');
    const reset: unknown[] = await this.dataSource.query(
      `WITH reset AS (
         UPDATE webhooks.deliveries SET status = 'pending', next_retry_at = NULL, enqueued_at = NULL, updated_at = now()
          WHERE id = $1 AND status <> 'pending' RETURNING id)
       SELECT id FROM reset`,
      [delivery.id],
    );
    if (reset.length === 0) throw conflict('This delivery is already queued', 'delivery_in_progress');
    await this.queue.enqueue([delivery.id]);
    return this.find(webhookId, deliveryId);
  }

  private async find(webhookId: string, deliveryId: string): Promise<DeliveryView> {
    const rows: DeliveryRow[] = isUuid(deliveryId)
      ? await this.dataSource.query(
          `SELECT ${DELIVERY_COLUMNS}
             FROM webhooks.deliveries d JOIN webhooks.event_log e ON e.event_id = d.event_id
            WHERE d.id = $1 AND d.subscription_id = $2`,
          [deliveryId, webhookId],
        )
      : [];
    if (!rows[0]) throw notFound('Delivery');
    return toView(rows[0]);
  }
}
