export const EVENT_TYPES = [
  'pass.created',
  'pass.updated',
  'pass.status_changed',
  'pass.scanned',
  'client.created',
  // Events (attendee groups, issue 8), on TOPICS.eventEvents.
  'event.created',
  'event.updated',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** The events a webhook may subscribe to and `/triggers` may poll (seed 001). */
export const SUBSCRIBABLE_EVENT_TYPES = [
  'pass.created', 'pass.scanned', 'pass.status_changed', 'client.created', 'event.created', 'event.updated',
] as const;
export type SubscribableEventType = (typeof SUBSCRIBABLE_EVENT_TYPES)[number];
