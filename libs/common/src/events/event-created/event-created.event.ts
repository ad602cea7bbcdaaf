import { EventView } from '../../contracts/events/event.view';

export class EventCreatedKey {
  eventId: string;
}

/** The event as `GET /events/:id` returns it (plus its tenant id). */
export type EventCreatedValue = EventView;
