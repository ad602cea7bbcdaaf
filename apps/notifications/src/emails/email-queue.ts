import { Inject, Injectable } from '@nestjs/common';
import { Readiness } from '@passway/common';
import { Job, UnrecoverableError } from 'bullmq';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config';
import { SweptQueue } from '../queues/swept-queue';
import { EmailDelivery, PermanentEmailFailure } from './email-delivery';
import { EmailsRepository } from './emails.repository';

export const EMAIL_QUEUE_NAME = 'passway-emails';
const SWEEP_BATCH = 500;

interface EmailJobData {
  emailId: string;
}

/**
 * The BullMQ queue of emails to send. A job's id is the email's id, so queueing the same email twice
 * (the consumer after commit, then the sweeper) yields one job. The sweeper re-queues emails still
 * `queued` in Postgres whose job never made it to Redis (a crash between commit and enqueue).
 */
@Injectable()
export class EmailQueue extends SweptQueue<EmailJobData> {
  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly emails: EmailsRepository,
    private readonly delivery: EmailDelivery,
    private readonly readiness: Readiness,
  ) {
    super({
      name: EMAIL_QUEUE_NAME,
      redisUrl: config.REDIS_URL,
      concurrency: config.EMAIL_CONCURRENCY,
      sweepIntervalMs: config.EMAIL_SWEEP_INTERVAL_MS,
      sweepAtStart: true,
    });
  }

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    this.readiness.monitor('redis', () => this.connection!.ping());
  }

  /** Queues emails already committed to Postgres. Failing here loses nothing: the sweeper tries again. */
  async enqueue(emailIds: string[]): Promise<void> {
    for (const emailId of emailIds) {
      try {
        await this.addEmail(emailId);
      } catch (error) {
        this.logger.warn(`email ${emailId} not queued yet (${(error as Error).message}); the sweeper will queue it`);
      }
    }
  }

  private async addEmail(emailId: string): Promise<void> {
    const existing = await this.jobs.getJob(emailId);
    // A job that gave up while its row stayed queued (the row update failed): start it over.
    if (existing && (await existing.isFailed())) await existing.remove();
    await this.add(
      'send',
      { emailId },
      {
        jobId: emailId,
        attempts: this.config.EMAIL_MAX_ATTEMPTS,
        backoff: { type: 'exponential', delay: this.config.EMAIL_RETRY_BASE_MS },
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }

  protected async process(job: Job<EmailJobData>): Promise<string> {
    const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      return await this.delivery.deliver(job.data.emailId, isLastAttempt);
    } catch (error) {
      if (error instanceof PermanentEmailFailure) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  protected async sweepOnce(): Promise<void> {
    const ids = await this.emails.staleQueued(this.config.EMAIL_SWEEP_AFTER_MS, SWEEP_BATCH);
    for (const id of ids) await this.addEmail(id);
    if (ids.length > 0) this.logger.log(`sweeper queued ${ids.length} email(s) again`);
  }
}
