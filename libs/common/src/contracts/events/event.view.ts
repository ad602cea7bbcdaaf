import { PassStatus, PassType } from '../passes/pass.view';
import { BrandingView } from '../shared/branding';

export const EVENT_STATUSES = ['active', 'suspended'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** Holder fields every event can collect from its own columns; any other key is read from the pass's customFields. */
export const RESERVED_ATTENDEE_FIELD_KEYS = ['name', 'email', 'phone'] as const;
export type ReservedAttendeeFieldKey = (typeof RESERVED_ATTENDEE_FIELD_KEYS)[number];

/** One holder field an event collects. `name` is always first and always required. */
export interface AttendeeField {
  key: string;
  label: string;
  required: boolean;
}

export interface EventView {
  id: string;
  tenantId: string;
  name: string;
  slug: string;
  startsAt: string;
  endsAt: string | null;
  venue: string | null;
  /** IANA zone of the event's local time; null = UTC. */
  timezone: string | null;
  category: string | null;
  details: string | null;
  attendeeFields: AttendeeField[];
  branding: BrandingView;
  status: EventStatus;
  createdAt: string;
  updatedAt: string;
}

/** A pass of an event as door staff see it: who holds it (one value per attendee field) and whether they are in. */
export interface AttendeeView {
  id: string;
  code: string;
  name: string | null;
  type: PassType;
  status: PassStatus;
  usagesCount: number;
  maxUsages: number | null;
  checkedIn: boolean;
  holder: Record<string, string | null>;
  createdAt: string;
}

export interface EventStatsView {
  eventId: string;
  attendees: number;
  checkedIn: number;
  /** checkedIn / attendees, 0 when there are none; rounded to 4 decimals. */
  checkInRate: number;
  /** From the scans service: every scan of the event's passes by result. */
  scansByResult: Record<string, number>;
  /** From the scans service: successful check-ins per UTC hour (`hour` is the hour's start, ISO 8601). */
  byHour: { hour: string; scans: number }[];
  /** False when the scans service could not be asked: scansByResult and byHour are then empty, not zero. */
  scansAvailable: boolean;
}

/** The passes service's part of the stats: attendees and check-ins. */
export type EventAttendanceView = Omit<EventStatsView, 'scansByResult' | 'byHour' | 'scansAvailable'>;

/** The REST shape of an event: the view without the tenant id the caller already knows. */
export const EventPresenter = {
  view: ({ tenantId: _tenantId, ...event }: EventView) => event,
};
