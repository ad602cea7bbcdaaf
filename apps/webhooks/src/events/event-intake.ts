import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CONSUMER_GROUPS, consumerGroupId, DomainEvent, EventConsumer, EventType, KAFKA, Readiness, SUBSCRIBABLE_EVENT_TYPES,
} from '@passway/common';
import { Kafka } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config';
import { WEBHOOKS_SCHEMA } from '../database/webhooks-database';
import { DeliveryQueue } from '../delivery/delivery-queue';
import { triggerItem } from './trigger-item';

/** Logged for `/triggers` and delivered to subscribers; pass.updated is logged only. */
export const CONSUMED_EVENT_TYPES: readonly EventType[] = [...SUBSCRIBABLE_EVENT_TYPES, 'pass.updated'];
const SUBSCRIBABLE = new Set<string>(SUBSCRIBABLE_EVENT_TYPES);

/**
 * Consumes every domain event: in one transaction it records the event as processed, appends it
 * to the event log and creates one delivery per matching active subscription; then it enqueues
 * those deliveries. If the process dies between the commit and the enqueue, DeliverySweeper
 * enqueues them on its next pass.
 */
@Injectable()
export class EventIntake implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventIntake.name);
  private readonly consumer: EventConsumer;
  private stopping = false;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @InjectDataSource() dataSource: DataSource,
    @Inject(WEBHOOKS_CONFIG) config: WebhooksConfig,
    private readonly queue: DeliveryQueue,
    readiness: Readiness,
  ) {
    this.consumer = new EventConsumer({
        kafka,
        dataSource,
        schema: WEBHOOKS_SCHEMA,
        groupId: consumerGroupId(config.KAFKA_CLIENT_ID_PREFIX, CONSUMER_GROUPS.webhooks),
        topics: [...CONSUMER_GROUPS.webhooks.topics],
        types: CONSUMED_EVENT_TYPES,
        maxWaitTimeInMs: config.KAFKA_MAX_WAIT_MS,
        readiness,
        handle: async (event, manager) => {
          const deliveryIds = await this.record(event, manager);
          return deliveryIds.length > 0 ? () => this.enqueue(deliveryIds) : undefined;
        },
      });
  }

  /**
   * Joins the consumer group in the background: after a crash the group waits for the dead
   * member's session to expire (up to 30 s), and the API (subscriptions, log, triggers) should
   * not wait with it. A consumer that cannot start at all ends the process so it is restarted.
   */
  onApplicationBootstrap(): void {
    this.consumer.start().catch((error) => {
      if (this.stopping) return;
      this.logger.error(`event consumer failed to start: ${(error as Error).message}`);
      process.exit(1);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.consumer.stop();
  }

  /** Within the consumer's transaction; returns the deliveries it created. */
  async record(event: DomainEvent, manager: EntityManager): Promise<string[]> {
    await manager.query(
      `INSERT INTO webhooks.event_log (event_id, tenant_id, type, occurred_at, data) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (event_id) DO NOTHING`,
      [event.id, event.tenantId, event.type, event.occurredAt, JSON.stringify(triggerItem(event))],
    );
    if (!SUBSCRIBABLE.has(event.type)) return [];
    // Only webhooks that existed when the event happened: a consumer catching up (or a new
    // consumer group replaying the topics) must not send old events to newer subscriptions.
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO webhooks.deliveries (tenant_id, subscription_id, event_id, message_id)
       SELECT s.tenant_id, s.id, $1::uuid, 'msg_' || replace($1::uuid::text, '-', '') || '_' || substr(s.id, 4)
         FROM webhooks.subscriptions s
        WHERE s.tenant_id = $2::uuid AND s.event = $3 AND s.active AND s.deleted_at IS NULL
          AND s.created_at <= $4::timestamptz
       ON CONFLICT (subscription_id, event_id) DO NOTHING
       RETURNING id`,
      [event.id, event.tenantId, event.type, event.occurredAt],
    );
    return rows.map((row) => row.id);
  }

  private async enqueue(deliveryIds: string[]): Promise<void> {
    try {
      await this.queue.enqueue(deliveryIds);
    } catch (error) {
      // Committed already: the sweeper will enqueue them.
      this.logger.warn(`could not enqueue ${deliveryIds.length} deliveries now (the sweeper will): ${(error as Error).message}`);
    }
  }
}
