import { EventType } from './event-types';

export interface TopicSpec {
  name: string;
  partitions: number;
  retentionMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Topics are declared here and created by the migration step, never auto-created.
 * Every event about one pass goes to one topic keyed by the pass id, so its events stay in order.
 */
export const TOPICS = {
  passEvents: { name: 'passway.pass-events.v1', partitions: 6, retentionMs: 7 * DAY_MS },
  clientEvents: { name: 'passway.client-events.v1', partitions: 3, retentionMs: 7 * DAY_MS },
  /** event.* (the events attendees' passes belong to), keyed by the event id. */
  eventEvents: { name: 'passway.event-events.v1', partitions: 3, retentionMs: 7 * DAY_MS },
} as const satisfies Record<string, TopicSpec>;

export const ALL_TOPICS: TopicSpec[] = Object.values(TOPICS);

export function topicFor(type: EventType): string {
  if (type.startsWith('event.')) return TOPICS.eventEvents.name;
  return type.startsWith('client.') ? TOPICS.clientEvents.name : TOPICS.passEvents.name;
}
