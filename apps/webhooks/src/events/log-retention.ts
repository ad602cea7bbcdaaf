import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config';

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
    @InjectDataSource() private readonly dataSource: DataSource,
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
      deliveries: await this.inBatches(
        `DELETE FROM webhooks.deliveries WHERE id IN (
           SELECT id FROM webhooks.deliveries WHERE status IN ('succeeded', 'failed') AND updated_at < $1 LIMIT ${BATCH})`,
        cutoff,
      ),
      events: await this.inBatches(
        `DELETE FROM webhooks.event_log WHERE event_id IN (
           SELECT e.event_id FROM webhooks.event_log e
            WHERE e.occurred_at < $1 AND NOT EXISTS (SELECT 1 FROM webhooks.deliveries d WHERE d.event_id = e.event_id)
            LIMIT ${BATCH})`,
        cutoff,
      ),
      processedEvents: await this.inBatches(
        `DELETE FROM webhooks.processed_events WHERE (consumer, event_id) IN (
           SELECT consumer, event_id FROM webhooks.processed_events WHERE processed_at < $1 LIMIT ${BATCH})`,
        cutoff,
      ),
      subscriptions: await this.inBatches(
        `DELETE FROM webhooks.subscriptions WHERE id IN (
           SELECT s.id FROM webhooks.subscriptions s
            WHERE s.deleted_at < $1 AND NOT EXISTS (SELECT 1 FROM webhooks.deliveries d WHERE d.subscription_id = s.id)
            LIMIT ${BATCH})`,
        cutoff,
      ),
    };
    if (Object.values(counts).some((n) => n > 0)) this.logger.log(`purged ${JSON.stringify(counts)} older than ${cutoff.toISOString()}`);
    return counts;
  }

  private async inBatches(sql: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [, affected]: [unknown, number] = await this.dataSource.query(sql, [cutoff]);
      total += affected;
      if (affected < BATCH) return total;
    }
  }
}
