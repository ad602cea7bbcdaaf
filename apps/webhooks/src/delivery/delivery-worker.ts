import { deliveryBody } from './delivery-body';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { observeQueue } from '@passway/common';
import { Job, Worker } from 'bullmq';
import { EntityManager } from 'typeorm';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config';
import { SecretBox } from '../signing/secret-box';
import { signedHeaders } from '../signing/standard-webhooks';
import { DeliveriesRepository, DeliveryToAttempt } from '../subscriptions/deliveries.repository';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { bullConnection, DELIVERY_QUEUE_NAME, DeliveryJobData, DeliveryQueue } from './delivery-queue';
import { deliveryMetrics, statusClass } from './delivery-metrics';
import { HttpSender, SendResult } from './http-sender';
import { RetrySchedule } from './retry-schedule';

/** A failed attempt that has retries left; BullMQ schedules the next one with RetrySchedule. */
export class AttemptFailed extends Error {}

/** Makes the attempts: one signed POST per job run, each recorded on the delivery row. */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorker.name);
  private worker: Worker<DeliveryJobData> | undefined;

  constructor(
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    private readonly deliveries: DeliveriesRepository,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly secrets: SecretBox,
    private readonly sender: HttpSender,
    private readonly schedule: RetrySchedule,
    private readonly queue: DeliveryQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker<DeliveryJobData>(DELIVERY_QUEUE_NAME, (job) => this.attempt(job), {
      connection: bullConnection(this.config),
      prefix: this.config.WEBHOOK_QUEUE_PREFIX,
      concurrency: this.config.WEBHOOK_CONCURRENCY,
      lockDuration: this.config.WEBHOOK_JOB_LOCK_MS,
      stalledInterval: Math.max(1_000, Math.floor(this.config.WEBHOOK_JOB_LOCK_MS / 2)),
      // A job whose worker died is retried, whatever number of times that happens.
      maxStalledCount: 1_000,
      settings: { backoffStrategy: this.schedule.backoff },
    });
    this.worker.on('error', (error) => this.logger.warn(`worker: ${error.message}`));
    observeQueue(this.queue.queue, this.worker);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.sender.close();
  }

  async attempt(job: Job<DeliveryJobData>): Promise<void> {
    const delivery = await this.deliveries.toAttempt(job.data.deliveryId);
    if (!delivery || delivery.status === 'succeeded' || delivery.status === 'failed') return;
    if (delivery.deleted_at || !delivery.active) {
      await this.deliveries.failUnsent(
        delivery.id,
        delivery.deleted_at ? 'not sent: the webhook was deleted' : 'not sent: the webhook is disabled',
      );
      return;
    }
    const body = deliveryBody(delivery.type, delivery.occurred_at, delivery.data);
    let secret: string;
    try {
      secret = this.secrets.open(delivery.secret_encrypted, delivery.subscription_id);
    } catch {
      // Retrying cannot help: the key in WEBHOOK_SECRET_KEY is not the one that sealed this secret.
      this.logger.error(`webhook ${delivery.subscription_id}: signing secret does not decrypt (was WEBHOOK_SECRET_KEY changed?)`);
      await this.deliveries.failUndecryptable(delivery.id);
      return;
    }
    const result = await this.sender.post(delivery.target_url, { ...signedHeaders(secret, delivery.message_id, body) }, body);
    const retryDelay = result.ok ? null : this.schedule.delayAfter(job.attemptsMade + 1);
    await this.record(delivery, result, retryDelay);
    const outcome = result.ok ? 'succeeded' : retryDelay === null ? 'failed' : 'retrying';
    deliveryMetrics.attempts.inc({ outcome, status_class: statusClass(result.statusCode) });
    deliveryMetrics.attemptDuration.observe(result.durationMs / 1000);
    if (delivery.attempt_count === 0) deliveryMetrics.firstAttemptLag.observe((Date.now() - delivery.occurred_at.getTime()) / 1000);
    if (!result.ok && retryDelay !== null) throw new AttemptFailed(result.error ?? 'delivery failed');
  }

  private async record(delivery: DeliveryToAttempt, result: SendResult, retryDelayMs: number | null): Promise<void> {
    const status = result.ok ? 'succeeded' : retryDelayMs === null ? 'failed' : 'retrying';
    await this.deliveries.transaction(async (manager) => {
      // The subscription before the delivery: deleting a webhook locks them in that order too (no deadlock).
      if (result.ok) {
        await this.subscriptions.clearFailing(manager, delivery.subscription_id);
      } else {
        await this.noteFailure(manager, delivery.subscription_id);
      }
      await this.deliveries.recordAttempt(manager, delivery.id, {
        status,
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        error: result.error,
        responseExcerpt: result.responseExcerpt ?? null,
        retryDelayMs,
      });
    });
  }

  /** Starts or continues the subscription's failing streak and disables it once the streak is too long. */
  private async noteFailure(manager: EntityManager, subscriptionId: string): Promise<void> {
    const subscription = await this.subscriptions.noteFailure(manager, subscriptionId, this.config.WEBHOOK_DISABLE_AFTER_MS);
    if (subscription?.disabled) deliveryMetrics.disabled.inc();
    if (subscription?.disabled)
      this.logger.warn(`webhook ${subscriptionId} disabled: failing since ${subscription.failing_since.toISOString()}`);
  }
}
