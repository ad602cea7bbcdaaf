import { randomUUID } from 'node:crypto';
import { EventType, EVENT_TYPES } from './event-types';

/** The one envelope every domain event travels in, on Kafka and in the outbox. */
export interface DomainEvent<TData = unknown, TType extends EventType = EventType> {
  /** Unique per event; consumers dedupe on it. */
  id: string;
  type: TType;
  tenantId: string;
  occurredAt: string;
  version: number;
  data: TData;
}

export const ENVELOPE_VERSION = 1;

export function createEvent<TData, TType extends EventType>(
  type: TType,
  tenantId: string,
  data: TData,
  occurredAt: Date = new Date(),
): DomainEvent<TData, TType> {
  return { id: randomUUID(), type, tenantId, occurredAt: occurredAt.toISOString(), version: ENVELOPE_VERSION, data };
}

export class MalformedEventError extends Error {}

export function parseEvent(raw: Buffer | string | null): DomainEvent {
  if (raw === null) throw new MalformedEventError('empty message');
  let value: unknown;
  try {
    value = JSON.parse(raw.toString());
  } catch {
    throw new MalformedEventError('message is not JSON');
  }
  const event = value as Partial<DomainEvent>;
  if (
    typeof event !== 'object' || event === null ||
    typeof event.id !== 'string' || typeof event.tenantId !== 'string' ||
    typeof event.occurredAt !== 'string' || typeof event.version !== 'number' ||
    !EVENT_TYPES.includes(event.type as EventType) || !('data' in event)
  ) {
    throw new MalformedEventError('message is not a Passway domain event envelope');
  }
  return event as DomainEvent;
}
