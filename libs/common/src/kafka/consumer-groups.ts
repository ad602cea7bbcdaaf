import { TOPICS } from '../events/topics';

export interface ConsumerGroupSpec {
  /** Suffix after KAFKA_CLIENT_ID_PREFIX: the group id is `${prefix}-${name}`. */
  name: string;
  topics: string[];
}

/**
 * Every consumer group of the platform, in one place: operators see what reads what, and test
 * stacks can position a fresh prefix's groups at the end of each topic before they start.
 */
export const CONSUMER_GROUPS = {
  scansAdmissions: { name: 'scans-admissions', topics: [TOPICS.passEvents.name, TOPICS.eventEvents.name] },
  // Also the pass-events topic, where scans went before they had a topic of their own: whatever
  // was left there at the upgrade is still counted (its other events are few and skipped).
  passesScanTally: { name: 'passes-scan-tally', topics: [TOPICS.scanEvents.name, TOPICS.passEvents.name] },
  webhooks: {
    name: 'webhooks',
    topics: [TOPICS.passEvents.name, TOPICS.scanEvents.name, TOPICS.clientEvents.name, TOPICS.eventEvents.name],
  },
  notificationsPassEmails: { name: 'notifications-pass-emails', topics: [TOPICS.passEvents.name] },
  // Scans too: an admitted scan of a multi pass changes its uses, which its wallet copy shows.
  notificationsWallet: { name: 'notifications-wallet', topics: [TOPICS.passEvents.name, TOPICS.scanEvents.name, TOPICS.eventEvents.name] },
} as const satisfies Record<string, ConsumerGroupSpec>;

export function consumerGroupId(prefix: string, group: ConsumerGroupSpec): string {
  return `${prefix}-${group.name}`;
}
