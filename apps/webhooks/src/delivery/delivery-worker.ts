import { deliveryBody } from './delivery-body';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { observeQueue } from '@passway/common';
import { Job, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config';
import { SecretBox } from '../signing/secret-box';
import { signedHeaders } from '../signing/standard-webhooks';
import { bullConnection, DELIVERY_QUEUE_NAME, DeliveryJobData, DeliveryQueue } from './delivery-queue';
import { deliveryMetrics, statusClass } from './delivery-metrics';
import { HttpSender, SendResult } from './http-sender';
import { RetrySchedule } from './retry-schedule';

interface DeliveryRow {
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

/** A failed attempt that has retries left; BullMQ schedules the next one with RetrySchedule. */
export class AttemptFailed extends Error {}

/** Makes the attempts: one signed POST per job run, each recorded on the delivery row. */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorker.name);
  private worker: Worker<DeliveryJobData> | undefined;

  constructor(
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
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
    const delivery = await this.load(job.data.deliveryId);
    if (!delivery || delivery.status === 'succeeded' || delivery.status === 'failed') return;
    if (delivery.deleted_at || !delivery.active) {
      await this.dataSource.query(
        `UPDATE webhooks.deliveries SET status = 'failed', next_retry_at = NULL, last_error = $2, updated_at = now()
          WHERE id = $1 AND status IN ('pending', 'retrying')`,
        [delivery.id, delivery.deleted_at ? 'not sent: the webhook was deleted' : 'not sent: the webhook is disabled'],
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
      await this.dataSource.query(
        `UPDATE webhooks.deliveries SET status = 'failed', next_retry_at = NULL, updated_at = now(),
                last_error = 'not sent: the signing secret could not be decrypted' WHERE id = $1`,
        [delivery.id],
      );
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

  private async load(deliveryId: string): Promise<DeliveryRow | undefined> {
    const rows: DeliveryRow[] = await this.dataSource.query(
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

  private async record(delivery: DeliveryRow, result: SendResult, retryDelayMs: number | null): Promise<void> {
    const status = result.ok ? 'succeeded' : retryDelayMs === null ? 'failed' : 'retrying';
    await this.dataSource.transaction(async (manager) => {
      // The subscription before the delivery: deleting a webhook locks them in that order too (no deadlock).
      if (result.ok) {
        await manager.query(`UPDATE webhooks.subscriptions SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`, [
          delivery.subscription_id,
        ]);
      } else {
        await this.noteFailure(manager, delivery.subscription_id);
      }
      const [updated]: { attempt_count: number }[] = await manager.query(
        `WITH updated AS (
         UPDATE webhooks.deliveries
            SET attempt_count = attempt_count + 1, status = $2, last_status_code = $3, last_duration_ms = $4,
                last_error = $5, next_retry_at = CASE WHEN $6::int IS NULL THEN NULL ELSE now() + $6::int * interval '1 millisecond' END,
                updated_at = now()
          WHERE id = $1
          RETURNING attempt_count)
         SELECT attempt_count FROM updated`,
        [delivery.id, status, result.statusCode, result.durationMs, result.error, retryDelayMs],
      );
      await manager.query(
        `INSERT INTO webhooks.delivery_attempts (delivery_id, attempt, status_code, duration_ms, error, response_excerpt)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [delivery.id, updated.attempt_count, result.statusCode, result.durationMs, result.error, result.responseExcerpt ?? null],
      );
    });
  }

  /** Starts or continues the subscription's failing streak and disables it once the streak is too long. */
  private async noteFailure(manager: DataSource['manager'], subscriptionId: string): Promise<void> {
    const [subscription]: { disabled: boolean; failing_since: Date }[] = await manager.query(
      `WITH updated AS (
       UPDATE webhooks.subscriptions
          SET failing_since = COALESCE(failing_since, now()),
              active = active AND COALESCE(failing_since, now()) > now() - $2::bigint * interval '1 millisecond',
              disabled_reason = CASE
                WHEN active AND COALESCE(failing_since, now()) <= now() - $2::bigint * interval '1 millisecond'
                THEN 'disabled automatically: every delivery has failed since ' || to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                ELSE disabled_reason END
        WHERE id = $1 AND deleted_at IS NULL
        RETURNING NOT active AS disabled, failing_since)
       SELECT disabled, failing_since FROM updated`,
      [subscriptionId, this.config.WEBHOOK_DISABLE_AFTER_MS],
    );
    if (subscription?.disabled) deliveryMetrics.disabled.inc();
    if (subscription?.disabled)
      this.logger.warn(`webhook ${subscriptionId} disabled: failing since ${subscription.failing_since.toISOString()}`);
  }
}
