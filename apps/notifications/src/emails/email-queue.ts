import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { observeQueue, Readiness } from '@passway/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config';
import { EmailDelivery, PermanentEmailFailure } from './email-delivery';

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
export class EmailQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EmailQueue.name);
  private connection: Redis | undefined;
  private queue: Queue<EmailJobData> | undefined;
  private worker: Worker<EmailJobData> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly delivery: EmailDelivery,
    private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // BullMQ workers block on Redis and must never give up on a command (maxRetriesPerRequest: null).
    this.connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.connection.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
    this.queue = new Queue<EmailJobData>(EMAIL_QUEUE_NAME, { connection: this.connection });
    this.worker = new Worker<EmailJobData>(EMAIL_QUEUE_NAME, (job) => this.process(job), {
      connection: this.connection.duplicate(),
      concurrency: this.config.EMAIL_CONCURRENCY,
    });
    this.worker.on('error', (error) => this.logger.warn(`worker: ${error.message}`));
    observeQueue(this.queue, this.worker);
    this.readiness.monitor('redis', () => this.connection!.ping());
    this.sweepTimer = setInterval(() => void this.sweep(), this.config.EMAIL_SWEEP_INTERVAL_MS);
    void this.sweep();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.sweeping;
    await this.worker?.close();
    await this.queue?.close();
    this.connection?.disconnect();
  }

  /** Queues emails already committed to Postgres. Failing here loses nothing: the sweeper tries again. */
  async enqueue(emailIds: string[]): Promise<void> {
    for (const emailId of emailIds) {
      try {
        await this.add(emailId);
      } catch (error) {
        this.logger.warn(`email ${emailId} not queued yet (${(error as Error).message}); the sweeper will queue it`);
      }
    }
  }

  private async add(emailId: string): Promise<void> {
    const queue = this.queue!;
    const existing = await queue.getJob(emailId);
    // A job that gave up while its row stayed queued (the row update failed): start it over.
    if (existing && (await existing.isFailed())) await existing.remove();
    await queue.add('send', { emailId }, {
      jobId: emailId,
      attempts: this.config.EMAIL_MAX_ATTEMPTS,
      backoff: { type: 'exponential', delay: this.config.EMAIL_RETRY_BASE_MS },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  private async process(job: Job<EmailJobData>): Promise<string> {
    const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      return await this.delivery.deliver(job.data.emailId, isLastAttempt);
    } catch (error) {
      if (error instanceof PermanentEmailFailure) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  /** Public for tests: one pass of the sweeper. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    try {
      const rows: { id: string }[] = await this.dataSource.query(
        `SELECT id FROM notifications.emails
          WHERE status = 'queued' AND updated_at < now() - make_interval(secs => $1::double precision / 1000)
          ORDER BY created_at LIMIT ${SWEEP_BATCH}`,
        [this.config.EMAIL_SWEEP_AFTER_MS],
      );
      for (const { id } of rows) await this.add(id);
      if (rows.length > 0) this.logger.log(`sweeper queued ${rows.length} email(s) again`);
    } catch (error) {
      this.logger.warn(`sweep failed: ${(error as Error).message}`);
    }
  }
}
