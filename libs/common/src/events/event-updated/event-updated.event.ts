import { EventStatus, EventView } from '../../contracts/events/event.view';

/**
 * The event after a PATCH, a suspension or a resumption, with the names of the fields that
 * changed (a suspension is `changedFields: ["status"]`, `previousStatus: "active"`).
 */
export type EventUpdatedValue = EventView & { changedFields: string[]; previousStatus: EventStatus };
