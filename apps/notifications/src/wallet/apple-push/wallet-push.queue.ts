import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { observeQueue } from '@passway/common';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../../config';
import { WalletRegistrationsRepository } from '../wallet-registrations.repository';
import { ApnsSender } from './apns-sender';
import { WalletPusher } from './wallet-pusher';

export const WALLET_PUSH_QUEUE_NAME = 'passway-wallet-pushes';
const SWEEP_BATCH = 500;

interface WalletPushJobData {
  passId: string;
}

/**
 * Delayed BullMQ jobs, one per pass and coalescing window: the job id is the pass id plus the time
 * its push is due, so every change inside one window lands on one job (one push). Postgres holds
 * the truth (who has seen which tag); the sweeper queues a round for any pass whose job was lost.
 */
@Injectable()
export class WalletPushQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WalletPushQueue.name);
  private connection: Redis | undefined;
  private queue: Queue<WalletPushJobData> | undefined;
  private worker: Worker<WalletPushJobData> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly pusher: WalletPusher,
    private readonly registrations: WalletRegistrationsRepository,
    private readonly sender: ApnsSender,
  ) {}

  get mode(): 'apns' | 'log' {
    return this.sender.mode;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.connection.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
    this.queue = new Queue<WalletPushJobData>(WALLET_PUSH_QUEUE_NAME, { connection: this.connection });
    this.worker = new Worker<WalletPushJobData>(WALLET_PUSH_QUEUE_NAME, (job) => this.process(job), {
      connection: this.connection.duplicate(),
      concurrency: this.config.WALLET_PUSH_CONCURRENCY,
    });
    this.worker.on('error', (error) => this.logger.warn(`worker: ${error.message}`));
    observeQueue(this.queue, this.worker);
    this.sweepTimer = setInterval(() => void this.sweep(), this.config.WALLET_SWEEP_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.sweeping;
    await this.worker?.close();
    await this.queue?.close();
    await this.sender.close();
    this.connection?.disconnect();
  }

  /** Schedules the push round of passes changed in a committed transaction. A failure here is the sweeper's to repair. */
  async schedule(changes: { passId: string; dueAt: Date }[]): Promise<void> {
    for (const { passId, dueAt } of changes) {
      try {
        await this.add(passId, `${passId}_${dueAt.getTime()}`, dueAt.getTime() - Date.now());
      } catch (error) {
        this.logger.warn(`push for pass ${passId} not queued (${(error as Error).message}); the sweeper will queue it`);
      }
    }
  }

  private async add(passId: string, jobId: string, delayMs: number): Promise<void> {
    await this.queue!.add('push', { passId }, {
      jobId,
      delay: Math.max(0, delayMs),
      attempts: 3,
      backoff: { type: 'exponential', delay: this.config.WALLET_PUSH_RETRY_BASE_MS },
      removeOnComplete: true,
      removeOnFail: { age: 24 * 3600 },
    });
  }

  private async process(job: Job<WalletPushJobData>): Promise<number> {
    const { sent, retryAt } = await this.pusher.pushPass(job.data.passId);
    if (retryAt) await this.add(job.data.passId, `${job.data.passId}_retry_${retryAt.getTime()}`, retryAt.getTime() - Date.now());
    return sent;
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
      const passIds = await this.registrations.passesToSweep(SWEEP_BATCH);
      const bucket = Math.floor(Date.now() / this.config.WALLET_SWEEP_INTERVAL_MS);
      for (const passId of passIds) await this.add(passId, `${passId}_sweep_${bucket}`, 0);
      if (passIds.length > 0) this.logger.log(`sweeper queued pushes for ${passIds.length} pass(es) again`);
    } catch (error) {
      this.logger.warn(`wallet sweep failed: ${(error as Error).message}`);
    }
  }
}
