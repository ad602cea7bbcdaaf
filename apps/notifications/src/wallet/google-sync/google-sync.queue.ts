import { Inject, Injectable } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../../config';
import { SweptQueue } from '../../queues/swept-queue';
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
export class GoogleSyncQueue extends SweptQueue<{ syncId: string }> {
  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly syncs: GoogleSyncsRepository,
    @Inject(GoogleWalletClient) private readonly client: GoogleWalletClient | null,
  ) {
    super({ name: GOOGLE_SYNC_QUEUE_NAME, redisUrl: config.REDIS_URL, concurrency: 5, sweepIntervalMs: config.WALLET_SWEEP_INTERVAL_MS });
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  protected override get active(): boolean {
    return this.enabled;
  }

  async enqueue(syncIds: string[]): Promise<void> {
    for (const syncId of syncIds) {
      try {
        await this.addSync(syncId);
      } catch (error) {
        this.logger.warn(`Google Wallet sync ${syncId} not queued (${(error as Error).message}); the sweeper will queue it`);
      }
    }
  }

  private addSync(syncId: string): Promise<void> {
    return this.add(
      'patch',
      { syncId },
      {
        jobId: syncId,
        attempts: this.config.WALLET_PUSH_MAX_ATTEMPTS,
        backoff: { type: 'exponential', delay: this.config.WALLET_PUSH_RETRY_BASE_MS },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 24 * 3600 },
      },
    );
  }

  protected async process(job: Job<{ syncId: string }>): Promise<string> {
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

  protected async sweepOnce(): Promise<void> {
    const ids = await this.syncs.stale(this.config.WALLET_SWEEP_INTERVAL_MS * 2, SWEEP_BATCH);
    for (const id of ids) await this.addSync(id);
  }
}
