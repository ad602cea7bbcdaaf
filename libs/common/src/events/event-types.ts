import type { ClientCreatedValue } from './client-created/client-created.event';
import type { EventCreatedValue } from './event-created/event-created.event';
import type { EventUpdatedValue } from './event-updated/event-updated.event';
import type { PassAdmissionUndoneValue } from './pass-admission-undone/pass-admission-undone.event';
import type { PassCreatedValue } from './pass-created/pass-created.event';
import type { PassScannedValue } from './pass-scanned/pass-scanned.event';
import type { PassStatusChangedValue } from './pass-status-changed/pass-status-changed.event';
import type { PassUpdatedValue } from './pass-updated/pass-updated.event';
import type { TemplateUpdatedValue } from './template-updated/template-updated.event';

/**
 * Every domain event type and the data it carries. `createEvent` takes, and every consumer's
 * handler receives, exactly this data for the type, so a wrong payload does not compile. A new
 * event: one line here, its name in EVENT_TYPES below, its topic in topics.ts, docs/events.md.
 */
export interface EventDataMap {
  'pass.created': PassCreatedValue;
  'pass.updated': PassUpdatedValue;
  'pass.status_changed': PassStatusChangedValue;
  'pass.scanned': PassScannedValue;
  'pass.admission_undone': PassAdmissionUndoneValue;
  'client.created': ClientCreatedValue;
  'event.created': EventCreatedValue;
  'event.updated': EventUpdatedValue;
  'template.updated': TemplateUpdatedValue;
}

export type EventType = keyof EventDataMap;

/** Lists every key of the map, each once: a type missing from the list does not compile. */
const everyEventType = <L extends readonly EventType[]>(
  ...types: L & ([EventType] extends [L[number]] ? unknown : ['missing an event type'])
) => types;

export const EVENT_TYPES = everyEventType(
  'pass.created',
  'pass.updated',
  'pass.status_changed',
  'pass.scanned',
  'pass.admission_undone',
  'client.created',
  'event.created',
  'event.updated',
  'template.updated',
);

/** The events a webhook may subscribe to and `/triggers` may poll. */
export const SUBSCRIBABLE_EVENT_TYPES = [
  'pass.created',
  'pass.scanned',
  'pass.status_changed',
  'pass.admission_undone',
  'client.created',
  'event.created',
  'event.updated',
] as const satisfies readonly EventType[];
export type SubscribableEventType = (typeof SUBSCRIBABLE_EVENT_TYPES)[number];
