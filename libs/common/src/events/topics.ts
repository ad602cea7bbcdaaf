import { EventType } from './event-types';

export interface TopicSpec {
  name: string;
  partitions: number;
  retentionMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Topics are declared here and created by the migration step, never auto-created.
 * A pass's lifecycle events go to one topic keyed by the pass id, so they stay in order. Its scans
 * (the volume: one event per door scan) go to a topic of their own, also keyed by the pass id, so
 * that consumers with no use for scans (emails, the scans projection) never read them.
 */
export const TOPICS = {
  passEvents: { name: 'passway.pass-events.v1', partitions: 6, retentionMs: 7 * DAY_MS },
  /** pass.scanned and pass.admission_undone (a pass's tally, in order). */
  scanEvents: { name: 'passway.scan-events.v1', partitions: 6, retentionMs: 7 * DAY_MS },
  clientEvents: { name: 'passway.client-events.v1', partitions: 3, retentionMs: 7 * DAY_MS },
  /** event.* (the events attendees' passes belong to), keyed by the event id. */
  eventEvents: { name: 'passway.event-events.v1', partitions: 3, retentionMs: 7 * DAY_MS },
} as const satisfies Record<string, TopicSpec>;

export const ALL_TOPICS: TopicSpec[] = Object.values(TOPICS);

export function topicFor(type: EventType): string {
  if (type === 'pass.scanned' || type === 'pass.admission_undone') return TOPICS.scanEvents.name;
  if (type.startsWith('event.')) return TOPICS.eventEvents.name;
  return type.startsWith('client.') ? TOPICS.clientEvents.name : TOPICS.passEvents.name;
}
