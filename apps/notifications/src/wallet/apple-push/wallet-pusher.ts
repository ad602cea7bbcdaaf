import { Inject, Injectable, Logger } from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../../config';
import { PendingPush, WalletRegistrationsRepository } from '../wallet-registrations.repository';
import { ApnsSender, PushOutcome } from './apns-sender';

export interface PushRoundResult {
  sent: number;
  /** When the earliest device that failed retryably may be tried again, if any did. */
  retryAt: Date | null;
}

/**
 * One push round for one pass: claim the devices that have not seen its latest change (under a
 * lease), push them, and record each outcome. A device is marked pushed only after APNs accepted
 * the push; a worker that dies mid-round leaves its lease to expire, and the sweeper's next round
 * pushes exactly the devices that were not recorded.
 */
@Injectable()
export class WalletPusher {
  private readonly logger = new Logger(WalletPusher.name);

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    private readonly registrations: WalletRegistrationsRepository,
    private readonly sender: ApnsSender,
  ) {}

  async pushPass(passId: string): Promise<PushRoundResult> {
    const pending = await this.registrations.claimPending(passId, this.config.WALLET_PUSH_LEASE_MS);
    let sent = 0;
    let retryAt: Date | null = null;
    // Each outcome is recorded the moment APNs answers, so a crash loses at most the pushes in flight.
    await inParallel(pending, this.config.WALLET_PUSH_FANOUT, async (push) => {
      const outcome = await this.sender.send(push.passTypeId, push.pushToken, `${passId}:${push.tag}`);
      const at = await this.record(push, outcome);
      if (outcome.kind === 'sent') sent += 1;
      if (at && (!retryAt || at < retryAt)) retryAt = at;
    });
    return { sent, retryAt };
  }

  /** Writes one outcome; returns when to try again for a retryable failure. */
  private async record(push: PendingPush, outcome: PushOutcome): Promise<Date | null> {
    switch (outcome.kind) {
      case 'sent':
        await this.registrations.markPushed([push.registrationId], push.tag);
        return null;
      case 'stale':
        await this.registrations.removeStale(push.registrationId, outcome.unregisteredAt);
        this.logger.log(`device token no longer valid (${outcome.reason}): registration removed`);
        return null;
      case 'rejected':
        await this.registrations.markGivenUp(push.registrationId, push.tag, outcome.reason);
        this.logger.warn(`push refused by APNs (${outcome.reason}); not retried`);
        return null;
      case 'retry': {
        if (push.attempts + 1 >= this.config.WALLET_PUSH_MAX_ATTEMPTS) {
          await this.registrations.markGivenUp(
            push.registrationId,
            push.tag,
            `gave up after ${push.attempts + 1} attempts: ${outcome.reason}`,
          );
          this.logger.warn(`push failed ${push.attempts + 1} times (${outcome.reason}); given up for this change`);
          return null;
        }
        const at = new Date(Date.now() + this.config.WALLET_PUSH_RETRY_BASE_MS * 2 ** push.attempts);
        await this.registrations.markRetry(push.registrationId, outcome.reason, at);
        return at;
      }
    }
  }
}

/** Runs `work` over the items with at most `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
