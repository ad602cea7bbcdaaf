import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Readiness, scrapedGauge } from '@passway/common';
import { Queue } from 'bullmq';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config';
import { DeliveriesRepository } from '../subscriptions/deliveries.repository';
import { RetrySchedule } from './retry-schedule';

export const DELIVERY_QUEUE_NAME = 'webhook-deliveries';

export interface DeliveryJobData {
  deliveryId: string;
}

export function bullConnection(config: WebhooksConfig) {
  return { url: config.REDIS_URL, maxRetriesPerRequest: null, enableOfflineQueue: true };
}

/**
 * The BullMQ queue of deliveries. One job per delivery row, with the row's id as the job id, so
 * adding a delivery that is already queued is a no-op. The database row is the source of truth;
 * the job only schedules the attempts (see DeliverySweeper for what happens if a job is missing).
 */
@Injectable()
export class DeliveryQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryQueue.name);
  readonly queue: Queue<DeliveryJobData>;

  constructor(
    @Inject(WEBHOOKS_CONFIG) config: WebhooksConfig,
    private readonly deliveries: DeliveriesRepository,
    readonly schedule: RetrySchedule,
    readiness: Readiness,
  ) {
    this.queue = new Queue<DeliveryJobData>(DELIVERY_QUEUE_NAME, {
      connection: bullConnection(config),
      prefix: config.WEBHOOK_QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: schedule.attempts,
        backoff: { type: RetrySchedule.BACKOFF_TYPE },
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
    this.queue.on('error', (error) => this.logger.warn(`queue: ${error.message}`));
    readiness.monitor('redis', () => this.ping());
    scrapedGauge('passway_webhook_unsettled_deliveries', 'Deliveries not yet succeeded or failed, by status', ['status'], async (gauge) => {
      const rows = await this.deliveries.unsettledCounts();
      gauge.set({ status: 'pending' }, 0);
      gauge.set({ status: 'retrying' }, 0);
      for (const row of rows) gauge.set({ status: row.status }, row.count);
    });
  }

  /** Hands committed deliveries to BullMQ and notes it; safe to call twice for one delivery. */
  async enqueue(deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.queue.addBulk(deliveryIds.map((deliveryId) => ({ name: 'deliver', data: { deliveryId }, opts: { jobId: deliveryId } })));
    await this.deliveries.markEnqueued(deliveryIds);
  }

  /** Like enqueue, but only if BullMQ holds no job for it (a job lost, or removed by a manual retry). */
  async enqueueIfMissing(deliveryId: string): Promise<boolean> {
    if (await this.queue.getJob(deliveryId)) return false;
    await this.enqueue([deliveryId]);
    return true;
  }

  /** Removes a waiting or delayed job; false when a worker holds it right now. */
  async removeUnlessActive(deliveryId: string): Promise<boolean> {
    const job = await this.queue.getJob(deliveryId);
    if (!job) return true;
    if (await job.isActive()) return false;
    return (await this.queue.remove(deliveryId)) === 1;
  }

  async ping(): Promise<void> {
    await this.queue.getJobCounts('wait');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
