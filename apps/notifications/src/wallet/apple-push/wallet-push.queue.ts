import { Inject, Injectable } from '@nestjs/common';
import { Job } from 'bullmq';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../../config';
import { SweptQueue } from '../../queues/swept-queue';
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
export class WalletPushQueue extends SweptQueue<WalletPushJobData> {
  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly pusher: WalletPusher,
    private readonly registrations: WalletRegistrationsRepository,
    private readonly sender: ApnsSender,
  ) {
    super({
      name: WALLET_PUSH_QUEUE_NAME,
      redisUrl: config.REDIS_URL,
      concurrency: config.WALLET_PUSH_CONCURRENCY,
      sweepIntervalMs: config.WALLET_SWEEP_INTERVAL_MS,
    });
  }

  get mode(): 'apns' | 'log' {
    return this.sender.mode;
  }

  protected override closed(): Promise<void> {
    return this.sender.close();
  }

  /** Schedules the push round of passes changed in a committed transaction. A failure here is the sweeper's to repair. */
  async schedule(changes: { passId: string; dueAt: Date }[]): Promise<void> {
    for (const { passId, dueAt } of changes) {
      try {
        await this.addPush(passId, `${passId}_${dueAt.getTime()}`, dueAt.getTime() - Date.now());
      } catch (error) {
        this.logger.warn(`push for pass ${passId} not queued (${(error as Error).message}); the sweeper will queue it`);
      }
    }
  }

  private addPush(passId: string, jobId: string, delayMs: number): Promise<void> {
    return this.add(
      'push',
      { passId },
      {
        jobId,
        delay: Math.max(0, delayMs),
        attempts: 3,
        backoff: { type: 'exponential', delay: this.config.WALLET_PUSH_RETRY_BASE_MS },
        removeOnComplete: true,
        removeOnFail: { age: 24 * 3600 },
      },
    );
  }

  protected async process(job: Job<WalletPushJobData>): Promise<number> {
    const { sent, retryAt } = await this.pusher.pushPass(job.data.passId);
    if (retryAt) await this.addPush(job.data.passId, `${job.data.passId}_retry_${retryAt.getTime()}`, retryAt.getTime() - Date.now());
    return sent;
  }

  protected async sweepOnce(): Promise<void> {
    const passIds = await this.registrations.passesToSweep(SWEEP_BATCH);
    const bucket = Math.floor(Date.now() / this.config.WALLET_SWEEP_INTERVAL_MS);
    for (const passId of passIds) await this.addPush(passId, `${passId}_sweep_${bucket}`, 0);
    if (passIds.length > 0) this.logger.log(`sweeper queued pushes for ${passIds.length} pass(es) again`);
  }
}
