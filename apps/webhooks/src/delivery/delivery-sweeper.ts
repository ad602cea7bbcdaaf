import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config';
import { DeliveriesRepository } from '../subscriptions/deliveries.repository';
import { DeliveryQueue } from './delivery-queue';

const BATCH = 500;

/**
 * The database is the source of truth for what must still be delivered; the sweeper makes sure
 * BullMQ has a job for each such delivery:
 * - deliveries committed but never enqueued (the process died between commit and enqueue, or
 *   Redis was unreachable) are enqueued; a job that exists already makes that a no-op;
 * - deliveries that should have been attempted long ago but have no job (Redis lost it) get one.
 * A redundant job is harmless: the worker skips a delivery that is already settled.
 */
@Injectable()
export class DeliverySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliverySweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    private readonly deliveries: DeliveriesRepository,
    private readonly queue: DeliveryQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .then(() => undefined)
        .catch((error) => this.logger.warn(`sweep failed: ${(error as Error).message}`))
        .finally(() => this.schedule(this.config.WEBHOOK_SWEEP_INTERVAL_MS));
    }, delayMs);
  }

  /** Returns how many deliveries it (re-)enqueued. */
  async sweep(): Promise<number> {
    // Long enough that a job in flight (locked, or moving to delayed) is never mistaken for a lost one.
    const staleMs = 2 * this.config.WEBHOOK_JOB_LOCK_MS + this.config.WEBHOOK_TIMEOUT_MS;
    const unqueued = await this.deliveries.unqueued(BATCH);
    if (unqueued.length > 0) await this.queue.enqueue(unqueued);
    const overdue = await this.deliveries.overdue(staleMs, BATCH);
    let restored = 0;
    for (const id of overdue) if (await this.queue.enqueueIfMissing(id)) restored += 1;
    const total = unqueued.length + restored;
    if (total > 0) this.logger.log(`sweeper enqueued ${unqueued.length} unqueued and ${restored} lost deliveries`);
    return total;
  }
}
