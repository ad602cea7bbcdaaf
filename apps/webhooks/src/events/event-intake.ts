import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConsumedEvent, CONSUMER_GROUPS, EventConsumer, EventConsumers, EventType, SUBSCRIBABLE_EVENT_TYPES } from '@passway/common';
import { EntityManager } from 'typeorm';
import { deliveryMetrics } from '../delivery/delivery-metrics';
import { DeliveryQueue } from '../delivery/delivery-queue';
import { EventLogRepository } from './event-log.repository';
import { triggerItem } from './trigger-item';

/** Logged for `/triggers` and delivered to subscribers; pass.updated is logged only. */
export const CONSUMED_EVENT_TYPES: readonly EventType[] = [...SUBSCRIBABLE_EVENT_TYPES, 'pass.updated'];
const SUBSCRIBABLE = new Set<string>(SUBSCRIBABLE_EVENT_TYPES);

/** Events of one partition that share a transaction (one processed_events insert, one event_log insert). */
const INTAKE_BATCH = 200;

/**
 * Consumes every domain event, a batch at a time: in one transaction it records the events as
 * processed, appends them to the event log and creates one delivery per matching active
 * subscription; then it enqueues those deliveries. If the process dies between the commit and the
 * enqueue, DeliverySweeper enqueues them on its next pass.
 *
 * Most events (every door scan) concern tenants with no webhook for them. The set of (tenant,
 * event) pairs that have one is kept in memory, and the deliveries statement runs only for events
 * in it. The set is checked in each batch's transaction against subscription_version, which every
 * change to the subscriptions advances (a trigger), and reloaded when it moved: a webhook created
 * before an event happened is always seen by that event's transaction, on every replica.
 */
@Injectable()
export class EventIntake implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventIntake.name);
  private readonly consumer: EventConsumer;
  private stopping = false;
  private subscribed: { version: string; pairs: ReadonlySet<string> } | undefined;

  constructor(
    consumers: EventConsumers,
    private readonly queue: DeliveryQueue,
    private readonly log: EventLogRepository,
  ) {
    this.consumer = consumers.create({
      group: CONSUMER_GROUPS.webhooks,
      types: CONSUMED_EVENT_TYPES,
      partitionsConsumedConcurrently: 3,
      transactionBatchSize: INTAKE_BATCH,
      handleBatch: async (events, manager) => {
        const deliveryIds = await this.recordBatch(events, manager);
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

  /** Within the consumer's transaction: logs the events and creates their deliveries; returns the deliveries' ids. */
  async recordBatch(events: ConsumedEvent[], manager: EntityManager): Promise<string[]> {
    const version = await this.log.append(
      manager,
      events.map(({ event }) => ({
        id: event.id,
        tenantId: event.tenantId,
        type: event.type,
        occurredAt: event.occurredAt,
        item: triggerItem(event),
      })),
    );
    const pairs = await this.subscribedPairs(manager, version);
    const deliverable = events.filter(({ event }) => SUBSCRIBABLE.has(event.type) && pairs.has(pairKey(event.tenantId, event.type)));
    deliveryMetrics.intakeSkipped.inc(events.length - deliverable.length);
    if (deliverable.length === 0) return [];
    return this.log.createDeliveries(
      manager,
      deliverable.map(({ event }) => ({ id: event.id, tenantId: event.tenantId, type: event.type, occurredAt: event.occurredAt })),
    );
  }

  /** The (tenant, event) pairs with an active webhook, as of `version` (read in the caller's transaction). */
  private async subscribedPairs(manager: EntityManager, version: string): Promise<ReadonlySet<string>> {
    if (this.subscribed?.version === version) return this.subscribed.pairs;
    const rows = await this.log.subscribedPairs(manager);
    const pairs = new Set(rows.map((row) => pairKey(row.tenant_id, row.event)));
    // Read in the same snapshot as the version, so the pair set is exactly that version's.
    this.subscribed = { version, pairs };
    return pairs;
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

const pairKey = (tenantId: string, event: string) => `${tenantId} ${event}`;
