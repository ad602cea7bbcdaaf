import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { observeQueue } from '@passway/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import Redis from 'ioredis';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../../config';
import { GoogleWalletClient } from './google-wallet.client';
import { GoogleSyncsRepository } from './google-syncs.repository';

export const GOOGLE_SYNC_QUEUE_NAME = 'passway-google-wallet';
const SWEEP_BATCH = 500;

/**
 * PATCHes to Google Wallet, one BullMQ job per recorded change (job id = the sync's id, so
 * queueing twice is one job). A PATCH sets fields to values, so repeating it is harmless; a change
 * that a later one of the same object overtook is skipped rather than sent after it.
 */
@Injectable()
export class GoogleSyncQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(GoogleSyncQueue.name);
  private connection: Redis | undefined;
  private queue: Queue<{ syncId: string }> | undefined;
  private worker: Worker<{ syncId: string }> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly syncs: GoogleSyncsRepository,
    @Inject(GoogleWalletClient) private readonly client: GoogleWalletClient | null,
  ) {}

  get enabled(): boolean {
    return this.client !== null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.client) return;
    this.connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.connection.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
    this.queue = new Queue(GOOGLE_SYNC_QUEUE_NAME, { connection: this.connection });
    this.worker = new Worker(GOOGLE_SYNC_QUEUE_NAME, (job) => this.process(job), { connection: this.connection.duplicate(), concurrency: 5 });
    this.worker.on('error', (error) => this.logger.warn(`worker: ${error.message}`));
    observeQueue(this.queue, this.worker);
    this.sweepTimer = setInterval(() => void this.sweep(), this.config.WALLET_SWEEP_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.worker?.close();
    await this.queue?.close();
    this.connection?.disconnect();
  }

  async enqueue(syncIds: string[]): Promise<void> {
    for (const syncId of syncIds) {
      try {
        await this.add(syncId);
      } catch (error) {
        this.logger.warn(`Google Wallet sync ${syncId} not queued (${(error as Error).message}); the sweeper will queue it`);
      }
    }
  }

  private async add(syncId: string): Promise<void> {
    await this.queue!.add('patch', { syncId }, {
      jobId: syncId,
      attempts: this.config.WALLET_PUSH_MAX_ATTEMPTS,
      backoff: { type: 'exponential', delay: this.config.WALLET_PUSH_RETRY_BASE_MS },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 24 * 3600 },
    });
  }

  private async process(job: Job<{ syncId: string }>): Promise<string> {
    const sync = await this.syncs.find(job.data.syncId);
    if (!sync || sync.status !== 'queued') return 'nothing to do';
    if (await this.syncs.isSuperseded(sync)) {
      await this.syncs.finish(sync.id, 'superseded');
      return 'superseded';
    }
    const outcome = await this.client!.patch(sync.targetType, sync.targetId, sync.body);
    if (outcome.kind === 'done') await this.syncs.finish(sync.id, 'done');
    else if (outcome.kind === 'absent') await this.syncs.finish(sync.id, 'done', 'not saved by the holder (404)');
    else if (outcome.kind === 'rejected') {
      await this.syncs.finish(sync.id, 'failed', outcome.reason);
      throw new UnrecoverableError(outcome.reason);
    } else {
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (last) await this.syncs.finish(sync.id, 'failed', outcome.reason);
      else await this.syncs.failedAttempt(sync.id, outcome.reason);
      throw new Error(outcome.reason);
    }
    return outcome.kind;
  }

  private async sweep(): Promise<void> {
    try {
      const ids = await this.syncs.stale(this.config.WALLET_SWEEP_INTERVAL_MS * 2, SWEEP_BATCH);
      for (const id of ids) await this.add(id);
    } catch (error) {
      this.logger.warn(`Google Wallet sweep failed: ${(error as Error).message}`);
    }
  }
}
