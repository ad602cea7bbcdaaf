import { Injectable } from '@nestjs/common';
import {
  appendToOutbox,
  conflict,
  createEvent,
  CreatePassDto,
  DomainEvent,
  failedPrecondition,
  generatePassCode,
  invalidArgument,
  isPgError,
  isUuid,
  ListPassesQueryDto,
  notFound,
  Page,
  pageWindow,
  PassBranding,
  PassView,
  PG_UNIQUE_VIOLATION,
  PublicPassView,
  UpdatePassDto,
} from '@passway/common';
import { EntityManager } from 'typeorm';
import { TenantCatalogRepository } from '../catalog/tenant-catalog.repository';
import { ClientsRepository } from '../clients/clients.repository';
import { ClientsService } from '../clients/clients.service';
import { ClientEntity } from '../clients/entities/client.entity';
import { PASSES_SCHEMA } from '../database/passes-database';
import { assertRequiredAttendeeFields } from '../events/attendee-fields';
import { EventsRepository } from '../events/events.repository';
import { EventsService } from '../events/events.service';
import { LocationEntity } from '../locations/entities/location.entity';
import { LocationsRepository } from '../locations/locations.repository';
import { TemplateEntity } from '../templates/entities/template.entity';
import { TemplatesRepository } from '../templates/templates.repository';
import { ScansRefresh } from '../door/scans-refresh';
import { PassEntity, StoredPassStatus } from './entities/pass.entity';
import { EventScope, inScope } from '../events/event-scope';
import { effectiveStatus, PassViewMapper } from './pass-view.mapper';
import { PassesRepository } from './passes.repository';

const CODE_ATTEMPTS = 5;

@Injectable()
export class PassesService {
  constructor(
    private readonly passes: PassesRepository,
    private readonly clients: ClientsService,
    private readonly events: EventsService,
    private readonly clientsRepository: ClientsRepository,
    private readonly eventsRepository: EventsRepository,
    private readonly templatesRepository: TemplatesRepository,
    private readonly locationsRepository: LocationsRepository,
    private readonly views: PassViewMapper,
    private readonly door: ScansRefresh,
  ) {}

  async list(tenantId: string, query: ListPassesQueryDto, scope?: EventScope): Promise<Page<PassView>> {
    const { page, limit, offset } = pageWindow(query);
    const [rows, total] = await this.passes.list(tenantId, query, scope, offset, limit);
    return { items: rows.map((pass) => this.views.toView(pass, pass.client)), total, page, limit };
  }

  async get(tenantId: string, id: string, scope?: EventScope): Promise<PassView> {
    const pass = await this.find(tenantId, id, scope);
    return this.views.toView(pass, pass.client);
  }

  async getByCode(tenantId: string, code: string): Promise<PassView> {
    const pass = await this.passes.findWithClient({ code, tenantId });
    if (!pass) throw notFound('Pass');
    return this.views.toView(pass, pass.client);
  }

  /** The public pass page's view: found by code alone (the gateway has checked the signed link). */
  async getPublic(code: string): Promise<PublicPassView> {
    const pass = await this.passes.findWithClient({ code });
    if (!pass) throw notFound('Pass');
    return this.publicView(pass);
  }

  /** The holder portal's list: the tenant's passes whose client has this email (newest first, at most 100). */
  async listForHolder(tenantId: string, email: string): Promise<PublicPassView[]> {
    const passes = await this.passes.listForHolder(tenantId, email);
    return Promise.all(passes.map((pass) => this.publicView(pass)));
  }

  private async publicView(pass: PassEntity): Promise<PublicPassView> {
    const event = pass.eventId ? await this.eventsRepository.findOne(pass.tenantId, pass.eventId) : null;
    return {
      code: pass.code,
      name: pass.name,
      type: pass.type,
      status: effectiveStatus(pass),
      usagesCount: pass.usagesCount,
      maxUsages: pass.maxUsages,
      validFrom: pass.validFrom?.toISOString() ?? null,
      validUntil: pass.validUntil?.toISOString() ?? null,
      fields: pass.customFields.filter((field) => field.isPublic === true).map(({ key, value }) => ({ key, value })),
      branding: await this.passBranding(undefined, pass.tenantId, pass),
      holderName: pass.client?.name ?? null,
      event: event
        ? {
            name: event.name,
            startsAt: event.startsAt.toISOString(),
            endsAt: event.endsAt?.toISOString() ?? null,
            venue: event.venue,
            timezone: event.timezone ?? null,
          }
        : null,
    };
  }

  /** `passId`, when given, is the id the gateway reserved a token under (see docs/gateway-policies.md). */
  async create(tenantId: string, input: CreatePassDto, passId?: string, scope?: EventScope): Promise<PassView> {
    if (!inScope(scope, input.eventId)) throw notFound('Event');
    if (passId !== undefined && !isUuid(passId)) throw invalidArgument('pass id must be a UUID', 'invalid_pass_id');
    if (input.type === 'single' && input.maxUsages != null && input.maxUsages !== 1) {
      throw invalidArgument('maxUsages applies to multi passes only', 'max_usages_single');
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.passes.transaction(async (manager) => {
          const earlier = passId === undefined ? null : await this.createdEarlier(manager, tenantId, passId, scope);
          return earlier ?? (await this.insert(manager, tenantId, input, passId));
        });
      } catch (error) {
        if (attempt < CODE_ATTEMPTS && isPgError(error, PG_UNIQUE_VIOLATION)) continue; // a code collision: draw again
        throw error;
      }
    }
  }

  async update(tenantId: string, id: string, input: UpdatePassDto, scope?: EventScope): Promise<PassView> {
    return this.passes.transaction(async (manager) => {
      const pass = await this.lock(manager, tenantId, id, scope);
      const previousStatus = effectiveStatus(pass);
      if (input.name !== undefined) pass.name = input.name;
      if (input.note !== undefined) pass.note = input.note;
      if (input.maxUsages !== undefined) {
        if (pass.type === 'single' && input.maxUsages !== null && input.maxUsages !== 1) {
          throw invalidArgument('maxUsages applies to multi passes only', 'max_usages_single');
        }
        pass.maxUsages = input.maxUsages;
      }
      if (input.validFrom !== undefined) pass.validFrom = input.validFrom === null ? null : new Date(input.validFrom);
      if (input.validUntil !== undefined) pass.validUntil = input.validUntil === null ? null : new Date(input.validUntil);
      if (pass.validFrom && pass.validUntil && pass.validFrom > pass.validUntil) {
        throw invalidArgument('validUntil must not be before validFrom', 'validation_failed');
      }
      if (input.customFields !== undefined) {
        pass.customFields = normaliseFields(input.customFields);
        if (pass.eventId) {
          const event = await this.events.findForPass(manager, tenantId, pass.eventId);
          assertRequiredAttendeeFields(event.attendeeFields, { client: pass.client ?? null, customFields: pass.customFields });
        }
      }
      const statusChanged = input.status !== undefined && input.status !== pass.status;
      if (statusChanged) this.setStatus(pass, input.status!);
      const saved = await this.passes.save(manager, pass);
      const view = this.views.toView(saved, saved.client);
      const events: DomainEvent[] = [createEvent('pass.updated', tenantId, view)];
      if (statusChanged) {
        const branding = await this.passBranding(manager, tenantId, saved);
        events.push(statusChangedEvent(view, previousStatus, saved.statusChangedAt!, branding));
      }
      await appendToOutbox(manager, PASSES_SCHEMA, saved.id, events);
      return view;
    });
  }

  /** activate / revoke: a 400 when the pass already has that status. */
  async changeStatus(tenantId: string, id: string, target: 'active' | 'revoked', scope?: EventScope): Promise<PassView> {
    const changed = await this.passes.transaction(async (manager) => {
      const pass = await this.lock(manager, tenantId, id, scope);
      if (pass.status === target) {
        throw failedPrecondition(`Pass is already ${target === 'active' ? 'active' : 'revoked'}`, `already_${target}`);
      }
      const previousStatus = effectiveStatus(pass);
      this.setStatus(pass, target);
      const saved = await this.passes.save(manager, pass);
      const view = this.views.toView(saved, saved.client);
      const branding = await this.passBranding(manager, tenantId, saved);
      await appendToOutbox(manager, PASSES_SCHEMA, saved.id, statusChangedEvent(view, previousStatus, saved.statusChangedAt!, branding));
      return view;
    });
    await this.door.pass(tenantId, changed.id);
    return changed;
  }

  /**
   * Changes of the scans service's usage counter (pass.scanned successes and pass.admission_undone,
   * consumed in `manager`'s transaction), in one statement: the scans service owns the live
   * counter, so each pass's usagesCount follows the change with the highest counter version
   * (`tallyVersion`, up at every redemption and undo), if that is newer than the stored one; stale
   * or repeated events change nothing. A single pass still active that the change left `used`
   * becomes used; a used single pass an undo left `active` becomes active again; each with its
   * pass.status_changed from this service's outbox.
   */
  async applyScans(manager: EntityManager, changes: TallyChange[]): Promise<void> {
    const newest = new Map<string, TallyChange>();
    for (const change of changes) {
      const key = `${change.tenantId} ${change.passId}`;
      const seen = newest.get(key);
      if (!seen || seen.tallyVersion < change.tallyVersion) newest.set(key, change);
    }
    if (newest.size === 0) return;
    const latest = [...newest.values()].sort((a, b) => (a.passId < b.passId ? -1 : 1));
    const rows = await this.passes.applyTallies(manager, latest);
    for (const row of rows) {
      if (row.type !== 'single') continue;
      const change = newest.get(`${row.tenant_id} ${row.id}`)!;
      if (row.status === 'active' && change.passStatus === 'used') await this.changeTallyStatus(manager, row.tenant_id, row.id, 'used');
      else if (row.status === 'used' && change.passStatus === 'active')
        await this.changeTallyStatus(manager, row.tenant_id, row.id, 'active');
    }
  }

  private async changeTallyStatus(manager: EntityManager, tenantId: string, passId: string, status: 'used' | 'active'): Promise<void> {
    const pass = await this.lock(manager, tenantId, passId);
    const previousStatus = effectiveStatus(pass);
    this.setStatus(pass, status);
    const saved = await this.passes.save(manager, pass);
    const view = this.views.toView(saved, saved.client);
    const branding = await this.passBranding(manager, tenantId, saved);
    await appendToOutbox(manager, PASSES_SCHEMA, saved.id, statusChangedEvent(view, previousStatus, saved.statusChangedAt!, branding));
  }

  /**
   * A create with a given id may be a retry of one whose answer was lost (the id comes from the
   * caller's Idempotency-Key): the pass it made is the answer. Creators of one id take turns, so a
   * retry racing its first attempt waits for it and finds its pass.
   */
  private async createdEarlier(manager: EntityManager, tenantId: string, passId: string, scope?: EventScope): Promise<PassView | null> {
    await this.passes.lockId(manager, passId);
    const pass = await this.passes.findWithClient({ id: passId }, manager);
    if (!pass) return null;
    if (pass.tenantId !== tenantId || !inScope(scope, pass.eventId)) throw conflict('this pass id is already taken', 'pass_id_taken');
    return this.views.toView(pass, pass.client);
  }

  private setStatus(pass: PassEntity, status: StoredPassStatus): void {
    pass.status = status;
    pass.statusChangedAt = new Date();
  }

  private async insert(manager: EntityManager, tenantId: string, input: CreatePassDto, passId?: string): Promise<PassView> {
    const event = input.eventId ? await this.events.requireForNewAttendee(manager, tenantId, input.eventId) : null;
    const client = await this.resolveClient(manager, tenantId, input);
    const customFields = normaliseFields(input.customFields ?? []);
    if (event) assertRequiredAttendeeFields(event.attendeeFields, { client, customFields });
    if (input.templateId) {
      await requireOwned(manager, this.templatesRepository, tenantId, input.templateId, 'templateId', 'template');
    }
    if (input.locationId) {
      await requireOwned(manager, this.locationsRepository, tenantId, input.locationId, 'locationId', 'location');
    }
    const pass = await this.passes.insert(manager, {
      ...(passId ? { id: passId } : {}),
      tenantId,
      code: generatePassCode(),
      name: input.name ?? null,
      note: input.note ?? null,
      type: input.type,
      status: 'active',
      usagesCount: 0,
      tallyVersion: 0,
      maxUsages: input.type === 'single' ? null : (input.maxUsages ?? null),
      validFrom: input.validFrom ? new Date(input.validFrom) : null,
      validUntil: input.validUntil ? new Date(input.validUntil) : null,
      customFields,
      clientId: client?.id ?? null,
      templateId: input.templateId ?? null,
      locationId: input.locationId ?? null,
      eventId: event?.id ?? null,
    });
    const view = this.views.toView(pass, client);
    const branding = await this.passBranding(manager, tenantId, pass);
    await appendToOutbox(manager, PASSES_SCHEMA, pass.id, createEvent('pass.created', tenantId, { ...view, branding }));
    return view;
  }

  private async resolveClient(manager: EntityManager, tenantId: string, input: CreatePassDto): Promise<ClientEntity | null> {
    if (input.clientId && input.clientName) {
      throw invalidArgument('give clientId or clientName, not both', 'client_ambiguous');
    }
    if ((input.clientEmail !== undefined || input.clientPhone !== undefined) && !input.clientName) {
      throw invalidArgument('clientEmail and clientPhone go with clientName', 'client_ambiguous');
    }
    if (input.clientId) return this.clients.requireForAttach(manager, tenantId, input.clientId);
    if (input.clientName) {
      return this.clients.findOrCreateByName(manager, tenantId, input.clientName.trim(), {
        email: input.clientEmail,
        phone: input.clientPhone?.trim(),
      });
    }
    return null;
  }

  private async find(tenantId: string, id: string, scope?: EventScope): Promise<PassEntity> {
    if (!isUuid(id)) throw notFound('Pass');
    const pass = await this.passes.findWithClient({ id, tenantId });
    if (!pass || !inScope(scope, pass.eventId)) throw notFound('Pass');
    return pass;
  }

  /** Within the caller's transaction: the pass, locked for the rest of it, and its client (read apart from the locked row). */
  private async lock(manager: EntityManager, tenantId: string, id: string, scope?: EventScope): Promise<PassEntity> {
    if (!isUuid(id)) throw notFound('Pass');
    const pass = await this.passes.lock(manager, tenantId, id);
    if (!pass || !inScope(scope, pass.eventId)) throw notFound('Pass');
    pass.client = pass.clientId ? await this.clientsRepository.findById(pass.clientId, manager) : null;
    return pass;
  }

  /** The template's look, carried in pass events so notifications renders emails without reading this schema. */
  /** The look of a pass's page and emails: its template's, else its event's, else none. */
  private async passBranding(
    manager: EntityManager | undefined,
    tenantId: string,
    pass: Pick<PassEntity, 'templateId' | 'eventId'>,
  ): Promise<PassBranding | null> {
    if (pass.templateId) {
      const template = await this.templatesRepository.findOne(tenantId, pass.templateId, manager);
      if (template) {
        const { name, primaryColor, backgroundColor, textColor, logoUrl } = template;
        return { name, primaryColor, backgroundColor, textColor, logoUrl };
      }
    }
    if (pass.eventId) {
      const event = await this.eventsRepository.findOne(tenantId, pass.eventId, manager);
      if (event) {
        const { primaryColor = null, backgroundColor = null, textColor = null, logoUrl = null } = event.branding;
        return { name: event.name, primaryColor, backgroundColor, textColor, logoUrl };
      }
    }
    return null;
  }
}

function normaliseFields(fields: { key: string; value: string; isPublic?: boolean }[]) {
  return fields.map(({ key, value, isPublic }) => ({ key, value, isPublic: isPublic ?? false }));
}

/** One change of a pass's usage counter, as the scans service published it. */
export interface TallyChange {
  tenantId: string;
  passId: string;
  usagesCount: number;
  tallyVersion: number;
  /** The pass's stored status after the change. */
  passStatus: string;
}

function statusChangedEvent(view: PassView, previousStatus: string, changedAt: Date, branding: PassBranding | null) {
  return createEvent('pass.status_changed', view.tenantId, {
    ...view,
    previousStatus: previousStatus as PassView['status'],
    changedAt: changedAt.toISOString(),
    branding,
  });
}

async function requireOwned(
  manager: EntityManager,
  records: TenantCatalogRepository<TemplateEntity> | TenantCatalogRepository<LocationEntity>,
  tenantId: string,
  id: string,
  field: string,
  label: string,
): Promise<void> {
  const found = isUuid(id) && (await records.exists(manager, tenantId, id));
  if (!found) throw invalidArgument(`${field} does not name one of your ${label}s`, `unknown_${label}`);
}
