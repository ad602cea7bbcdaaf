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
  passesScanTally: { name: 'passes-scan-tally', topics: [TOPICS.passEvents.name] },
  webhooks: { name: 'webhooks', topics: [TOPICS.passEvents.name, TOPICS.clientEvents.name, TOPICS.eventEvents.name] },
  notificationsPassEmails: { name: 'notifications-pass-emails', topics: [TOPICS.passEvents.name] },
  notificationsWallet: { name: 'notifications-wallet', topics: [TOPICS.passEvents.name, TOPICS.eventEvents.name] },
} as const satisfies Record<string, ConsumerGroupSpec>;

export function consumerGroupId(prefix: string, group: ConsumerGroupSpec): string {
  return `${prefix}-${group.name}`;
}
