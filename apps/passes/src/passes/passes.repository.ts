import { Injectable } from '@nestjs/common';
import { ListPassesQueryDto, DatabaseRepository } from '@passway/common';
import { DeepPartial, EntityManager, SelectQueryBuilder } from 'typeorm';
import { escapeLike } from '../clients/clients.repository';
import { EventScope } from '../events/event-scope';
import { PassEntity, StoredPassStatus } from './entities/pass.entity';

/** Which pass: by id or by code, within a tenant or (a signed link, a device, a retried create) any tenant's. */
export type PassKey = { id: string; tenantId?: string } | { code: string; tenantId?: string };

/** A pass's usage counter and its version, as a tally change sets them. */
export interface TallyUpdate {
  tenantId: string;
  passId: string;
  usagesCount: number;
  tallyVersion: number;
}

/** A pass whose counter a tally change moved. */
export interface TalliedPassRow {
  id: string;
  tenant_id: string;
  type: string;
  status: StoredPassStatus;
}

interface AttendanceRow {
  attendees: number;
  checked_in: number;
}

/** The queries behind passes. */
@Injectable()
export class PassesRepository extends DatabaseRepository {
  /** Passes with their clients: every pass (`left`), or only those with a client (`inner`). */
  private withClients(join: 'left' | 'inner' = 'left'): SelectQueryBuilder<PassEntity> {
    const builder = this.dataSource.getRepository(PassEntity).createQueryBuilder('pass');
    return join === 'left' ? builder.leftJoinAndSelect('pass.client', 'client') : builder.innerJoinAndSelect('pass.client', 'client');
  }

  /** One page of the tenant's passes with their clients, newest first, as the query filters them; and how many there are. */
  list(
    tenantId: string,
    query: Pick<ListPassesQueryDto, 'search' | 'eventId' | 'status'>,
    scope: EventScope | undefined,
    offset: number,
    limit: number,
  ): Promise<[PassEntity[], number]> {
    const builder = this.withClients().where('pass.tenantId = :tenantId', { tenantId });
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
    return builder.orderBy('pass.createdAt', 'DESC').addOrderBy('pass.id', 'DESC').skip(offset).take(limit).getManyAndCount();
  }

  /** The tenant's passes whose client has this email (any case), with their clients, newest first, at most 100. */
  listForHolder(tenantId: string, email: string): Promise<PassEntity[]> {
    return this.withClients('inner')
      .where('pass.tenantId = :tenantId', { tenantId })
      .andWhere('lower(client.email) = lower(:email)', { email })
      .orderBy('pass.createdAt', 'DESC')
      .addOrderBy('pass.id', 'DESC')
      .take(100)
      .getMany();
  }

  /**
   * One page of an event's passes with their clients, by holder name (nameless last), then oldest
   * first, whose holder name or email, code or name contains `search` (trimmed); and how many there are.
   */
  listOfEvent(
    tenantId: string,
    eventId: string,
    search: string | undefined,
    offset: number,
    limit: number,
  ): Promise<[PassEntity[], number]> {
    const builder = this.withClients().where('pass.tenantId = :tenantId AND pass.eventId = :eventId', { tenantId, eventId });
    if (search) {
      builder.andWhere('(client.name ILIKE :term OR client.email ILIKE :term OR pass.code ILIKE :term OR pass.name ILIKE :term)', {
        term: `%${escapeLike(search.trim())}%`,
      });
    }
    return builder
      .orderBy('client.name', 'ASC', 'NULLS LAST')
      .addOrderBy('pass.createdAt', 'ASC')
      .addOrderBy('pass.id', 'ASC')
      .offset(offset)
      .limit(limit)
      .getManyAndCount();
  }

  /** An event's passes, and those checked in (a use counted, or `used`). */
  async attendance(tenantId: string, eventId: string): Promise<{ attendees: number; checkedIn: number }> {
    const [row] = await this.dataSource.query<AttendanceRow[]>(
      `SELECT count(*)::int AS attendees,
              count(*) FILTER (WHERE usages_count > 0 OR status = 'used')::int AS checked_in
         FROM passes.passes WHERE tenant_id = $1 AND event_id = $2`,
      [tenantId, eventId],
    );
    return { attendees: row.attendees, checkedIn: row.checked_in };
  }

  findOne(key: PassKey, manager: EntityManager = this.dataSource.manager): Promise<PassEntity | null> {
    return manager.getRepository(PassEntity).findOneBy(key);
  }

  findWithClient(key: PassKey, manager: EntityManager = this.dataSource.manager): Promise<PassEntity | null> {
    return manager.getRepository(PassEntity).findOne({ where: key, relations: { client: true } });
  }

  /** The tenant's pass, locked (FOR UPDATE) for the rest of the transaction; without its client. */
  lock(manager: EntityManager, tenantId: string, id: string): Promise<PassEntity | null> {
    return manager.getRepository(PassEntity).findOne({ where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Holds, until the transaction ends, the lock that creators of one pass id take turns on. */
  async lockId(manager: EntityManager, passId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [passId]);
  }

  insert(manager: EntityManager, values: DeepPartial<PassEntity>): Promise<PassEntity> {
    const repository = manager.getRepository(PassEntity);
    return repository.save(repository.create(values));
  }

  save(manager: EntityManager, pass: PassEntity): Promise<PassEntity> {
    return manager.getRepository(PassEntity).save(pass);
  }

  /** Sets each pass's counter and its version, in one statement, where the version is newer than the stored one; the passes it changed. */
  async applyTallies(manager: EntityManager, updates: TallyUpdate[]): Promise<TalliedPassRow[]> {
    const [rows] = await manager.query<[TalliedPassRow[], number]>(
      `UPDATE passes.passes p SET usages_count = s.usages_count, tally_version = s.tally_version, updated_at = now()
         FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::bigint[]) AS s (id, tenant_id, usages_count, tally_version)
        WHERE p.id = s.id AND p.tenant_id = s.tenant_id AND p.tally_version < s.tally_version
        RETURNING p.id, p.tenant_id, p.type, p.status`,
      [updates.map((c) => c.passId), updates.map((c) => c.tenantId), updates.map((c) => c.usagesCount), updates.map((c) => c.tallyVersion)],
    );
    return rows;
  }
}
