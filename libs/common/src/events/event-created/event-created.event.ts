import { EventView } from '../../contracts/events/event.view';

/** The event as `GET /events/:id` returns it (plus its tenant id). */
export type EventCreatedValue = EventView;
