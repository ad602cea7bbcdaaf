import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
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
import { DataSource, EntityManager } from 'typeorm';
import { escapeLike, ClientsService } from '../clients/clients.service';
import { ClientEntity } from '../clients/entities/client.entity';
import { PASSES_SCHEMA } from '../database/passes-database';
import { assertRequiredAttendeeFields } from '../events/attendee-fields';
import { EventsService } from '../events/events.service';
import { LocationEntity } from '../locations/entities/location.entity';
import { EventEntity } from '../events/entities/event.entity';
import { TemplateEntity } from '../templates/entities/template.entity';
import { ScansRefresh } from '../door/scans-refresh';
import { PassEntity, StoredPassStatus } from './entities/pass.entity';
import { EventScope, inScope } from '../events/event-scope';
import { effectiveStatus, PassViewMapper } from './pass-view.mapper';

const CODE_ATTEMPTS = 5;

@Injectable()
export class PassesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientsService,
    private readonly events: EventsService,
    private readonly views: PassViewMapper,
    private readonly door: ScansRefresh,
  ) {}

  async list(tenantId: string, query: ListPassesQueryDto, scope?: EventScope): Promise<Page<PassView>> {
    const { page, limit, offset } = pageWindow(query);
    const builder = this.dataSource
      .getRepository(PassEntity)
      .createQueryBuilder('pass')
      .leftJoinAndSelect('pass.client', 'client')
      .where('pass.tenantId = :tenantId', { tenantId });
    if (query.search) {
      builder.andWhere('(pass.name ILIKE :term OR pass.code ILIKE :term)', { term: `%${escapeLike(query.search)}%` });
    }
    if (query.eventId) builder.andWhere('pass.eventId = :eventId', { eventId: query.eventId });
    if (scope) builder.andWhere('pass.eventId = ANY(:scope)', { scope: [...scope] });
    switch (query.status) {
      case 'expired':
        builder.andWhere(`pass.status = 'active' AND pass.validUntil < now()`);
        break;
      case 'active':
        builder.andWhere(`pass.status = 'active' AND (pass.validUntil IS NULL OR pass.validUntil >= now())`);
        break;
      case 'used':
      case 'revoked':
        builder.andWhere('pass.status = :status', { status: query.status });
        break;
      case undefined:
        break;
    }
    const [rows, total] = await builder
      .orderBy('pass.createdAt', 'DESC')
      .addOrderBy('pass.id', 'DESC')
      .skip(offset)
      .take(limit)
      .getManyAndCount();
    return { items: rows.map((pass) => this.views.toView(pass, pass.client)), total, page, limit };
  }

  async get(tenantId: string, id: string, scope?: EventScope): Promise<PassView> {
    const pass = await this.find(this.dataSource.manager, tenantId, id, false, scope);
    return this.views.toView(pass, pass.client);
  }

  async getByCode(tenantId: string, code: string): Promise<PassView> {
    const pass = await this.dataSource.getRepository(PassEntity).findOne({ where: { code, tenantId }, relations: { client: true } });
    if (!pass) throw notFound('Pass');
    return this.views.toView(pass, pass.client);
  }

  /** The public pass page's view: found by code alone (the gateway has checked the signed link). */
  async getPublic(code: string): Promise<PublicPassView> {
    const pass = await this.dataSource.getRepository(PassEntity).findOne({ where: { code }, relations: { client: true } });
    if (!pass) throw notFound('Pass');
    return this.publicView(pass);
  }

  /** The holder portal's list: the tenant's passes whose client has this email (newest first, at most 100). */
  async listForHolder(tenantId: string, email: string): Promise<PublicPassView[]> {
    const passes = await this.dataSource
      .getRepository(PassEntity)
      .createQueryBuilder('pass')
      .innerJoinAndSelect('pass.client', 'client')
      .where('pass.tenantId = :tenantId', { tenantId })
      .andWhere('lower(client.email) = lower(:email)', { email })
      .orderBy('pass.createdAt', 'DESC')
      .addOrderBy('pass.id', 'DESC')
      .take(100)
      .getMany();
    return Promise.all(passes.map((pass) => this.publicView(pass)));
  }

  private async publicView(pass: PassEntity): Promise<PublicPassView> {
    const event = pass.eventId
      ? await this.dataSource.getRepository(EventEntity).findOneBy({ id: pass.eventId, tenantId: pass.tenantId })
      : null;
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
      branding: await passBranding(this.dataSource.manager, pass.tenantId, pass),
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
        return await this.dataSource.transaction(async (manager) => {
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
    return this.dataSource.transaction(async (manager) => {
      const pass = await this.find(manager, tenantId, id, true, scope);
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
      const saved = await manager.getRepository(PassEntity).save(pass);
      const view = this.views.toView(saved, saved.client);
      const events: DomainEvent[] = [createEvent('pass.updated', tenantId, view)];
      if (statusChanged) {
        const branding = await passBranding(manager, tenantId, saved);
        events.push(statusChangedEvent(view, previousStatus, saved.statusChangedAt!, branding));
      }
      await appendToOutbox(manager, PASSES_SCHEMA, saved.id, events);
      return view;
    });
  }

  /** activate / revoke: a 400 when the pass already has that status. */
  async changeStatus(tenantId: string, id: string, target: 'active' | 'revoked', scope?: EventScope): Promise<PassView> {
    const changed = await this.dataSource.transaction(async (manager) => {
      const pass = await this.find(manager, tenantId, id, true, scope);
      if (pass.status === target) {
        throw failedPrecondition(`Pass is already ${target === 'active' ? 'active' : 'revoked'}`, `already_${target}`);
      }
      const previousStatus = effectiveStatus(pass);
      this.setStatus(pass, target);
      const saved = await manager.getRepository(PassEntity).save(pass);
      const view = this.views.toView(saved, saved.client);
      const branding = await passBranding(manager, tenantId, saved);
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
    const [rows] = await manager.query<[{ id: string; tenant_id: string; type: string; status: StoredPassStatus }[], number]>(
      `UPDATE passes.passes p SET usages_count = s.usages_count, tally_version = s.tally_version, updated_at = now()
         FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::bigint[]) AS s (id, tenant_id, usages_count, tally_version)
        WHERE p.id = s.id AND p.tenant_id = s.tenant_id AND p.tally_version < s.tally_version
        RETURNING p.id, p.tenant_id, p.type, p.status`,
      [latest.map((c) => c.passId), latest.map((c) => c.tenantId), latest.map((c) => c.usagesCount), latest.map((c) => c.tallyVersion)],
    );
    for (const row of rows) {
      if (row.type !== 'single') continue;
      const change = newest.get(`${row.tenant_id} ${row.id}`)!;
      if (row.status === 'active' && change.passStatus === 'used') await this.changeTallyStatus(manager, row.tenant_id, row.id, 'used');
      else if (row.status === 'used' && change.passStatus === 'active')
        await this.changeTallyStatus(manager, row.tenant_id, row.id, 'active');
    }
  }

  private async changeTallyStatus(manager: EntityManager, tenantId: string, passId: string, status: 'used' | 'active'): Promise<void> {
    const pass = await this.find(manager, tenantId, passId, true);
    const previousStatus = effectiveStatus(pass);
    this.setStatus(pass, status);
    const saved = await manager.getRepository(PassEntity).save(pass);
    const view = this.views.toView(saved, saved.client);
    const branding = await passBranding(manager, tenantId, saved);
    await appendToOutbox(manager, PASSES_SCHEMA, saved.id, statusChangedEvent(view, previousStatus, saved.statusChangedAt!, branding));
  }

  /**
   * A create with a given id may be a retry of one whose answer was lost (the id comes from the
   * caller's Idempotency-Key): the pass it made is the answer. Creators of one id take turns, so a
   * retry racing its first attempt waits for it and finds its pass.
   */
  private async createdEarlier(manager: EntityManager, tenantId: string, passId: string, scope?: EventScope): Promise<PassView | null> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [passId]);
    const pass = await manager.getRepository(PassEntity).findOne({ where: { id: passId }, relations: { client: true } });
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
    if (input.templateId) await requireOwned(manager, TemplateEntity, tenantId, input.templateId, 'templateId', 'template');
    if (input.locationId) await requireOwned(manager, LocationEntity, tenantId, input.locationId, 'locationId', 'location');
    const repository = manager.getRepository(PassEntity);
    const pass = await repository.save(
      repository.create({
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
      }),
    );
    const view = this.views.toView(pass, client);
    const branding = await passBranding(manager, tenantId, pass);
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

  private async find(manager: EntityManager, tenantId: string, id: string, forUpdate = false, scope?: EventScope): Promise<PassEntity> {
    if (!isUuid(id)) throw notFound('Pass');
    const repository = manager.getRepository(PassEntity);
    const pass = forUpdate
      ? await repository.findOne({ where: { id, tenantId }, lock: { mode: 'pessimistic_write' } })
      : await repository.findOne({ where: { id, tenantId }, relations: { client: true } });
    if (!pass || !inScope(scope, pass.eventId)) throw notFound('Pass');
    if (forUpdate) {
      pass.client = pass.clientId ? await manager.getRepository(ClientEntity).findOneBy({ id: pass.clientId }) : null;
    }
    return pass;
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

/** The template's look, carried in pass events so notifications renders emails without reading this schema. */
/** The look of a pass's page and emails: its template's, else its event's, else none. */
async function passBranding(
  manager: EntityManager,
  tenantId: string,
  pass: Pick<PassEntity, 'templateId' | 'eventId'>,
): Promise<PassBranding | null> {
  if (pass.templateId) {
    const template = await manager.getRepository(TemplateEntity).findOneBy({ id: pass.templateId, tenantId });
    if (template) {
      const { name, primaryColor, backgroundColor, textColor, logoUrl } = template;
      return { name, primaryColor, backgroundColor, textColor, logoUrl };
    }
  }
  if (pass.eventId) {
    const event = await manager.getRepository(EventEntity).findOneBy({ id: pass.eventId, tenantId });
    if (event) {
      const { primaryColor = null, backgroundColor = null, textColor = null, logoUrl = null } = event.branding;
      return { name: event.name, primaryColor, backgroundColor, textColor, logoUrl };
    }
  }
  return null;
}

async function requireOwned(
  manager: EntityManager,
  entity: typeof TemplateEntity | typeof LocationEntity,
  tenantId: string,
  id: string,
  field: string,
  label: string,
): Promise<void> {
  const found = isUuid(id) && (await manager.getRepository(entity).existsBy({ id, tenantId }));
  if (!found) throw invalidArgument(`${field} does not name one of your ${label}s`, `unknown_${label}`);
}
