import { Inject, Injectable, Logger } from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../../config';
import { PendingPush, WalletRegistrationsRepository } from '../wallet-registrations.repository';
import { ApnsSender } from './apns-sender';

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
    for (const group of groupByTopicAndTag(pending)) {
      const byToken = new Map(group.map((push) => [push.pushToken, push]));
      const outcomes = await this.sender.send(group[0].passTypeId, [...byToken.keys()], `${passId}:${group[0].tag}`);
      const pushed: string[] = [];
      for (const outcome of outcomes) {
        const push = byToken.get(outcome.token)!;
        switch (outcome.kind) {
          case 'sent':
            pushed.push(push.registrationId);
            break;
          case 'stale':
            await this.registrations.removeStale(push.registrationId, outcome.unregisteredAt);
            this.logger.log(`device token no longer valid (${outcome.reason}): registration removed`);
            break;
          case 'rejected':
            await this.registrations.markGivenUp(push.registrationId, push.tag, outcome.reason);
            this.logger.warn(`push refused by APNs (${outcome.reason}); not retried`);
            break;
          case 'retry': {
            if (push.attempts + 1 >= this.config.WALLET_PUSH_MAX_ATTEMPTS) {
              await this.registrations.markGivenUp(push.registrationId, push.tag, `gave up after ${push.attempts + 1} attempts: ${outcome.reason}`);
              this.logger.warn(`push failed ${push.attempts + 1} times (${outcome.reason}); given up for this change`);
              break;
            }
            const at = new Date(Date.now() + this.config.WALLET_PUSH_RETRY_BASE_MS * 2 ** push.attempts);
            await this.registrations.markRetry(push.registrationId, outcome.reason, at);
            if (!retryAt || at < retryAt) retryAt = at;
            break;
          }
        }
      }
      await this.registrations.markPushed(pushed, group[0].tag);
      sent += pushed.length;
    }
    return { sent, retryAt };
  }
}

function groupByTopicAndTag(pending: PendingPush[]): PendingPush[][] {
  const groups = new Map<string, PendingPush[]>();
  for (const push of pending) {
    const key = `${push.passTypeId}\u0000${push.tag}`;
    groups.set(key, [...(groups.get(key) ?? []), push]);
  }
  return [...groups.values()];
}
