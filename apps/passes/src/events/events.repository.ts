import { Injectable } from '@nestjs/common';
import { EventStatus, DatabaseRepository } from '@passway/common';
import { DeepPartial, EntityManager } from 'typeorm';
import { escapeLike } from '../clients/clients.repository';
import { EventEntity } from './entities/event.entity';
import { EventScope } from './event-scope';

/** The queries behind events. */
@Injectable()
export class EventsRepository extends DatabaseRepository {
  /** One page of the tenant's events, newest first, whose name, slug or venue contains `search`; and how many there are. */
  list(
    tenantId: string,
    filter: { search?: string; status?: EventStatus },
    scope: EventScope | undefined,
    offset: number,
    limit: number,
  ): Promise<[EventEntity[], number]> {
    const builder = this.dataSource
      .getRepository(EventEntity)
      .createQueryBuilder('event')
      .where('event.tenantId = :tenantId', { tenantId });
    if (filter.search) {
      builder.andWhere('(event.name ILIKE :term OR event.slug ILIKE :term OR event.venue ILIKE :term)', {
        term: `%${escapeLike(filter.search)}%`,
      });
    }
    if (filter.status) builder.andWhere('event.status = :status', { status: filter.status });
    if (scope) builder.andWhere('event.id = ANY(:scope)', { scope: [...scope] });
    return builder.orderBy('event.createdAt', 'DESC').addOrderBy('event.id', 'DESC').offset(offset).limit(limit).getManyAndCount();
  }

  findBySlug(tenantId: string, slug: string): Promise<EventEntity | null> {
    return this.dataSource.getRepository(EventEntity).findOneBy({ tenantId, slug });
  }

  findOne(tenantId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<EventEntity | null> {
    return manager.getRepository(EventEntity).findOneBy({ id, tenantId });
  }

  /** By id alone, whichever tenant's it is. */
  findById(manager: EntityManager, id: string): Promise<EventEntity | null> {
    return manager.getRepository(EventEntity).findOneBy({ id });
  }

  /** The tenant's event, locked (FOR UPDATE) for the rest of the transaction. */
  lock(manager: EntityManager, tenantId: string, id: string): Promise<EventEntity | null> {
    return manager.getRepository(EventEntity).findOne({ where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The tenant's event, share-locked (FOR SHARE) for the rest of the transaction. */
  lockShared(manager: EntityManager, tenantId: string, id: string): Promise<EventEntity | null> {
    return manager.getRepository(EventEntity).findOne({ where: { id, tenantId }, lock: { mode: 'pessimistic_read' } });
  }

  /** Holds, until the transaction ends, the lock that creators of one event id take turns on. */
  async lockId(manager: EntityManager, eventId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [eventId]);
  }

  /** Holds, until the transaction ends, the tenant's lock on a slug base. */
  async lockSlugBase(manager: EntityManager, tenantId: string, base: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`event-slug:${tenantId}:${base}`]);
  }

  /** The tenant's slugs that are `base` or `base-<number>`. */
  async slugsFrom(manager: EntityManager, tenantId: string, base: string): Promise<string[]> {
    const rows = await manager.query<{ slug: string }[]>(
      `SELECT slug FROM passes.events WHERE tenant_id = $1 AND (slug = $2 OR slug ~ ('^' || $2 || '-[0-9]+$'))`,
      [tenantId, base],
    );
    return rows.map((row) => row.slug);
  }

  insert(manager: EntityManager, values: DeepPartial<EventEntity>): Promise<EventEntity> {
    const repository = manager.getRepository(EventEntity);
    return repository.save(repository.create(values));
  }

  save(manager: EntityManager, event: EventEntity): Promise<EventEntity> {
    return manager.getRepository(EventEntity).save(event);
  }
}
