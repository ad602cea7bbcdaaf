import { BRANDING_KEYS, BrandingView, EventView } from '@passway/common';
import { EventEntity } from './entities/event.entity';

export function toEventView(event: EventEntity): EventView {
  const branding = Object.fromEntries(BRANDING_KEYS.map((key) => [key, event.branding[key] ?? null])) as unknown as BrandingView;
  return {
    id: event.id,
    tenantId: event.tenantId,
    name: event.name,
    slug: event.slug,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt ? event.endsAt.toISOString() : null,
    venue: event.venue,
    timezone: event.timezone ?? null,
    category: event.category,
    details: event.details,
    attendeeFields: event.attendeeFields,
    branding,
    status: event.status,
    createdAt: event.createdAt.toISOString(),
    updatedAt: event.updatedAt.toISOString(),
  };
}
