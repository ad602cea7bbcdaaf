import { Injectable } from '@nestjs/common';
import { conflict, DeliveryView, failedPrecondition, isUuid, notFound, Page, PageQueryDto, pageWindow } from '@passway/common';
import { deliveryBody } from '../delivery/delivery-body';
import { DeliveryQueue } from '../delivery/delivery-queue';
import { DeliveriesRepository, DeliveryRow } from './deliveries.repository';
import { SubscriptionsService } from './subscriptions.service';

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
    private readonly deliveries: DeliveriesRepository,
    private readonly subscriptions: SubscriptionsService,
    private readonly queue: DeliveryQueue,
  ) {}

  async list(tenantId: string, webhookId: string, query: PageQueryDto): Promise<Page<DeliveryView>> {
    await this.subscriptions.require(tenantId, webhookId);
    const { page, limit, offset } = pageWindow(query);
    const rows = await this.deliveries.list(webhookId, limit, offset);
    const total = await this.deliveries.count(webhookId);
    return { items: rows.map(toView), total, page, limit };
  }

  /**
   * Sends the delivery again, with the same webhook-id, and a fresh schedule of automatic retries.
   * A delivery waiting for its next automatic retry is brought forward; one queued or in flight is a 409.
   */
  async retry(tenantId: string, webhookId: string, deliveryId: string): Promise<DeliveryView> {
    const subscription = await this.subscriptions.require(tenantId, webhookId);
    if (!subscription.active) {
      throw failedPrecondition('This webhook is disabled; create a new one to receive deliveries again', 'webhook_disabled');
    }
    const delivery = await this.find(webhookId, deliveryId);
    if (delivery.status === 'pending') throw conflict('This delivery is already queued', 'delivery_in_progress');
    if (!(await this.queue.removeUnlessActive(delivery.id)))
      throw conflict('This delivery is being attempted right now', 'delivery_in_progress');
    if (!(await this.deliveries.resetForRetry(delivery.id))) throw conflict('This delivery is already queued', 'delivery_in_progress');
    await this.queue.enqueue([delivery.id]);
    return this.find(webhookId, deliveryId);
  }

  private async find(webhookId: string, deliveryId: string): Promise<DeliveryView> {
    const row = isUuid(deliveryId) ? await this.deliveries.find(webhookId, deliveryId) : undefined;
    if (!row) throw notFound('Delivery');
    return toView(row);
  }
}
