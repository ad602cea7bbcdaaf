import { Injectable } from '@nestjs/common';
import {
  appendToOutbox,
  AttendeeView,
  BRANDING_KEYS,
  conflict,
  createEvent,
  CreateEventDto,
  EventAttendanceView,
  EventStatus,
  EventView,
  failedPrecondition,
  invalidArgument,
  isPgError,
  isUuid,
  ListAttendeesQueryDto,
  ListEventsQueryDto,
  notFound,
  Page,
  pageWindow,
  PG_UNIQUE_VIOLATION,
  UpdateEventDto,
} from '@passway/common';
import { EntityManager } from 'typeorm';
import { ScansRefresh } from '../door/scans-refresh';
import { EventScope } from './event-scope';
import { PASSES_SCHEMA } from '../database/passes-database';
import { PassEntity } from '../passes/entities/pass.entity';
import { effectiveStatus } from '../passes/pass-view.mapper';
import { PassesRepository } from '../passes/passes.repository';
import { holderValues, normaliseAttendeeFields } from './attendee-fields';
import { EventEntity } from './entities/event.entity';
import { toEventView } from './event-view';
import { EventsRepository } from './events.repository';
import { firstFreeSlug, slugify } from './slug';

const SLUG_ATTEMPTS = 5;

/** The fields of an event that PATCH can change, compared to report `changedFields` in event.updated. */
const EDITABLE = ['name', 'slug', 'startsAt', 'endsAt', 'venue', 'timezone', 'category', 'details', 'attendeeFields', 'branding'] as const;

@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly passes: PassesRepository,
    private readonly door: ScansRefresh,
  ) {}

  async list(tenantId: string, query: ListEventsQueryDto, scope?: EventScope): Promise<Page<EventView>> {
    const { page, limit, offset } = pageWindow(query);
    const [rows, total] = await this.events.list(tenantId, query, scope, offset, limit);
    return { items: rows.map(toEventView), total, page, limit };
  }

  async getBySlug(tenantId: string, slug: string): Promise<EventView> {
    const event = await this.events.findBySlug(tenantId, slug);
    if (!event) throw notFound('Event');
    return toEventView(event);
  }

  async get(tenantId: string, id: string): Promise<EventView> {
    return toEventView(await this.find(tenantId, id));
  }

  /** `eventId`, when given, is the id the gateway reserved a token under (docs/gateway-policies.md). */
  async create(tenantId: string, input: CreateEventDto, eventId?: string): Promise<EventView> {
    if (eventId !== undefined && !isUuid(eventId)) throw invalidArgument('event id must be a UUID', 'invalid_event_id');
    const attendeeFields = normaliseAttendeeFields(input.attendeeFields ?? []);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.events.transaction(async (manager) => {
          const earlier = eventId === undefined ? null : await this.createdEarlier(manager, tenantId, eventId);
          if (earlier) return earlier;
          const slug = input.slug ?? (await this.generateSlug(manager, tenantId, input.name));
          const event = await this.events.insert(manager, {
            ...(eventId ? { id: eventId } : {}),
            tenantId,
            name: input.name,
            slug,
            startsAt: new Date(input.startsAt),
            endsAt: input.endsAt ? new Date(input.endsAt) : null,
            venue: input.venue ?? null,
            timezone: input.timezone ?? null,
            category: input.category ?? null,
            details: input.details ?? null,
            attendeeFields,
            branding: compactBranding(input.branding ?? {}),
            status: 'active',
          });
          const view = toEventView(event);
          await appendToOutbox(manager, PASSES_SCHEMA, event.id, createEvent('event.created', tenantId, view));
          return view;
        });
      } catch (error) {
        if (!isPgError(error, PG_UNIQUE_VIOLATION)) throw error;
        if (input.slug) throw slugTaken(input.slug);
        if (attempt >= SLUG_ATTEMPTS) throw conflict('could not find a free slug for this name; give one', 'slug_taken');
        // A concurrent PATCH took the slug we picked: pick again.
      }
    }
  }

  async update(tenantId: string, id: string, input: UpdateEventDto): Promise<EventView> {
    try {
      return await this.events.transaction(async (manager) => {
        const event = await this.lock(manager, tenantId, id);
        const before = toEventView(event);
        if (input.name !== undefined) event.name = input.name;
        if (input.slug !== undefined) event.slug = input.slug;
        if (input.startsAt !== undefined) event.startsAt = new Date(input.startsAt);
        if (input.endsAt !== undefined) event.endsAt = input.endsAt === null ? null : new Date(input.endsAt);
        if (event.endsAt && event.endsAt < event.startsAt) {
          throw invalidArgument('endsAt must not be before startsAt', 'validation_failed');
        }
        if (input.venue !== undefined) event.venue = input.venue;
        if (input.timezone !== undefined) event.timezone = input.timezone;
        if (input.category !== undefined) event.category = input.category;
        if (input.details !== undefined) event.details = input.details;
        if (input.attendeeFields !== undefined) event.attendeeFields = normaliseAttendeeFields(input.attendeeFields);
        if (input.branding !== undefined) event.branding = compactBranding({ ...event.branding, ...input.branding });
        const candidate = toEventView(event);
        const changedFields = EDITABLE.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(candidate[field]));
        if (changedFields.length === 0) return before;
        const view = toEventView(await this.events.save(manager, event));
        await appendToOutbox(manager, PASSES_SCHEMA, event.id, updatedEvent(view, changedFields, before.status));
        return view;
      });
    } catch (error) {
      if (isPgError(error, PG_UNIQUE_VIOLATION) && input.slug) throw slugTaken(input.slug);
      throw error;
    }
  }

  /** suspend / resume: a 400 when the event already has that status, like pass activate/revoke. */
  async changeStatus(tenantId: string, id: string, target: EventStatus): Promise<EventView> {
    const changed = await this.events.transaction(async (manager) => {
      const event = await this.lock(manager, tenantId, id);
      if (event.status === target) {
        throw failedPrecondition(`Event is already ${target}`, target === 'active' ? 'already_active' : 'already_suspended');
      }
      const previousStatus = event.status;
      event.status = target;
      event.statusChangedAt = new Date();
      const view = toEventView(await this.events.save(manager, event));
      await appendToOutbox(manager, PASSES_SCHEMA, event.id, updatedEvent(view, ['status'], previousStatus));
      return view;
    });
    await this.door.event(tenantId, changed.id);
    return changed;
  }

  /**
   * Within the caller's transaction: the event a new pass will admit to. Holds a share lock until
   * the pass is committed, so a concurrent suspension cannot slip between the check and the insert.
   */
  async requireForNewAttendee(manager: EntityManager, tenantId: string, id: string): Promise<EventEntity> {
    const event = isUuid(id) ? await this.events.lockShared(manager, tenantId, id) : null;
    if (!event) throw invalidArgument('eventId does not name one of your events', 'unknown_event');
    if (event.status === 'suspended') throw failedPrecondition('Event is suspended: it takes no new attendees', 'event_suspended');
    return event;
  }

  /** The event of an existing pass, to check its holder again when its customFields change. */
  async findForPass(manager: EntityManager, tenantId: string, id: string): Promise<EventEntity> {
    return this.find(tenantId, id, manager);
  }

  /** Manual check-in: the event's passes whose holder name or email, pass name or code contains the search. */
  async attendees(tenantId: string, id: string, query: ListAttendeesQueryDto): Promise<Page<AttendeeView>> {
    const event = await this.find(tenantId, id);
    const { page, limit, offset } = pageWindow(query);
    const [rows, total] = await this.passes.listOfEvent(tenantId, event.id, query.search, offset, limit);
    const items = rows.map((pass): AttendeeView => ({
      id: pass.id,
      code: pass.code,
      name: pass.name,
      type: pass.type,
      status: effectiveStatus(pass),
      usagesCount: pass.usagesCount,
      maxUsages: pass.maxUsages,
      checkedIn: isCheckedIn(pass),
      holder: holderValues(event.attendeeFields, { client: pass.client ?? null, customFields: pass.customFields }),
      createdAt: pass.createdAt.toISOString(),
    }));
    return { items, total, page, limit };
  }

  /** What the passes service knows: attendees and check-ins; the gateway adds the scans service's breakdowns. */
  async stats(tenantId: string, id: string): Promise<EventAttendanceView> {
    const event = await this.find(tenantId, id);
    const { attendees, checkedIn } = await this.passes.attendance(tenantId, event.id);
    return {
      eventId: event.id,
      attendees,
      checkedIn,
      checkInRate: attendees === 0 ? 0 : Math.round((checkedIn / attendees) * 10_000) / 10_000,
    };
  }

  /** The name's slug, or the first free `-2`, `-3`… after it; serialised per tenant and base. */
  private async generateSlug(manager: EntityManager, tenantId: string, name: string): Promise<string> {
    const base = slugify(name);
    await this.events.lockSlugBase(manager, tenantId, base);
    return firstFreeSlug(base, new Set(await this.events.slugsFrom(manager, tenantId, base)));
  }

  /** A create with a given id may retry one whose answer was lost (see PassesService.createdEarlier). */
  private async createdEarlier(manager: EntityManager, tenantId: string, eventId: string): Promise<EventView | null> {
    await this.events.lockId(manager, eventId);
    const event = await this.events.findById(manager, eventId);
    if (!event) return null;
    if (event.tenantId !== tenantId) throw conflict('this event id is already taken', 'event_id_taken');
    return toEventView(event);
  }

  private async find(tenantId: string, id: string, manager?: EntityManager): Promise<EventEntity> {
    const event = isUuid(id) ? await this.events.findOne(tenantId, id, manager) : null;
    if (!event) throw notFound('Event');
    return event;
  }

  /** Within the caller's transaction: the event, locked for the rest of it. */
  private async lock(manager: EntityManager, tenantId: string, id: string): Promise<EventEntity> {
    const event = isUuid(id) ? await this.events.lock(manager, tenantId, id) : null;
    if (!event) throw notFound('Event');
    return event;
  }
}

export function isCheckedIn(pass: Pick<PassEntity, 'usagesCount' | 'status'>): boolean {
  return pass.usagesCount > 0 || pass.status === 'used';
}

function compactBranding(branding: { [K in (typeof BRANDING_KEYS)[number]]?: string | null }): EventEntity['branding'] {
  return Object.fromEntries(BRANDING_KEYS.filter((key) => branding[key] != null).map((key) => [key, branding[key]]));
}

export function updatedEvent(view: EventView, changedFields: string[], previousStatus: EventStatus) {
  return createEvent('event.updated', view.tenantId, { ...view, changedFields, previousStatus });
}

function slugTaken(slug: string) {
  return conflict(`slug "${slug}" is already used by another of your events`, 'slug_taken');
}
