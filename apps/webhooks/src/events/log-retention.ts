import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config';
import { DeliveriesRepository } from '../subscriptions/deliveries.repository';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { EventLogRepository } from './event-log.repository';

const BATCH = 5_000;

export interface PurgeCounts {
  deliveries: number;
  events: number;
  processedEvents: number;
  subscriptions: number;
}

/**
 * Keeps the log bounded: settled deliveries (their attempts go with them), events no delivery
 * still refers to, processed event ids and deleted subscriptions, all older than the retention.
 * Deliveries still pending or retrying are never purged. Works in batches so no statement
 * holds locks for long.
 */
@Injectable()
export class LogRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LogRetention.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly log: EventLogRepository,
    private readonly subscriptions: SubscriptionsRepository,
    @Inject(WEBHOOKS_CONFIG) private readonly config: Pick<WebhooksConfig, 'WEBHOOK_LOG_RETENTION_DAYS' | 'WEBHOOK_PURGE_INTERVAL_MS'>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.purge().catch((error) => this.logger.warn(`purge failed: ${(error as Error).message}`));
    }, this.config.WEBHOOK_PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(now = new Date()): Promise<PurgeCounts> {
    const cutoff = new Date(now.getTime() - this.config.WEBHOOK_LOG_RETENTION_DAYS * 24 * 60 * 60 * 1000);
    const counts: PurgeCounts = {
      deliveries: await this.inBatches(() => this.deliveries.purgeSettled(cutoff, BATCH)),
      events: await this.inBatches(() => this.log.purgeUndelivered(cutoff, BATCH)),
      processedEvents: await this.inBatches(() => this.log.purgeProcessed(cutoff, BATCH)),
      subscriptions: await this.inBatches(() => this.subscriptions.purgeDeleted(cutoff, BATCH)),
    };
    if (Object.values(counts).some((n) => n > 0)) this.logger.log(`purged ${JSON.stringify(counts)} older than ${cutoff.toISOString()}`);
    return counts;
  }

  /** Runs one batch after another until a batch deletes fewer than BATCH rows; the rows deleted. */
  private async inBatches(purgeBatch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const affected = await purgeBatch();
      total += affected;
      if (affected < BATCH) return total;
    }
  }
}
