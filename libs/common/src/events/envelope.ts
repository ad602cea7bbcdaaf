import { randomUUID } from 'node:crypto';
import { EventDataMap, EventType, EVENT_TYPES } from './event-types';

/** The one envelope every domain event travels in, on Kafka and in the outbox. */
export interface EventEnvelope<T extends EventType> {
  /** Unique per event; consumers dedupe on it. */
  id: string;
  type: T;
  tenantId: string;
  occurredAt: string;
  version: number;
  data: EventDataMap[T];
}

/** A domain event of one of the given types (default: any): a union on `type`, so checking `type` narrows `data`. */
export type DomainEvent<T extends EventType = EventType> = { [K in T]: EventEnvelope<K> }[T];

export const ENVELOPE_VERSION = 1;

export function createEvent<T extends EventType>(
  type: T,
  tenantId: string,
  data: EventDataMap[T],
  occurredAt: Date = new Date(),
): EventEnvelope<T> {
  return { ...eventHeader(type, tenantId, occurredAt), data };
}

/** An envelope without its data, for an event whose data a SQL statement completes (see the scans service's redemption). */
export function eventHeader<T extends EventType>(type: T, tenantId: string, occurredAt: Date = new Date()): Omit<EventEnvelope<T>, 'data'> {
  return { id: randomUUID(), type, tenantId, occurredAt: occurredAt.toISOString(), version: ENVELOPE_VERSION };
}

export class MalformedEventError extends Error {}

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

/** Checks the envelope (not the data: its producer owns it) of a message read from Kafka. */
export function parseEvent(raw: Buffer | string | null): DomainEvent {
  if (raw === null) throw new MalformedEventError('empty message');
  let value: unknown;
  try {
    value = JSON.parse(raw.toString());
  } catch {
    throw new MalformedEventError('message is not JSON');
  }
  if (!isDomainEvent(value)) throw new MalformedEventError('message is not a Passway domain event envelope');
  return value;
}

function isDomainEvent(value: unknown): value is DomainEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event: Partial<Record<keyof EventEnvelope<EventType>, unknown>> = value;
  return (
    typeof event.id === 'string' &&
    typeof event.tenantId === 'string' &&
    typeof event.occurredAt === 'string' &&
    typeof event.version === 'number' &&
    typeof event.type === 'string' &&
    KNOWN_TYPES.has(event.type) &&
    'data' in event
  );
}
