import { Injectable } from '@nestjs/common';
import { DatabaseRepository } from '@passway/common';
import { DeepPartial, EntityManager } from 'typeorm';
import { ClientEntity } from './entities/client.entity';

/** The queries behind clients. */
@Injectable()
export class ClientsRepository extends DatabaseRepository {
  /** One page of the tenant's clients, newest first, whose name, email or phone contains `search`; and how many there are. */
  list(tenantId: string, search: string | undefined, offset: number, limit: number): Promise<[ClientEntity[], number]> {
    const builder = this.dataSource
      .getRepository(ClientEntity)
      .createQueryBuilder('client')
      .where('client.tenantId = :tenantId', { tenantId });
    if (search) {
      builder.andWhere('(client.name ILIKE :term OR client.email ILIKE :term OR client.phone ILIKE :term)', {
        term: `%${escapeLike(search)}%`,
      });
    }
    return builder.orderBy('client.createdAt', 'DESC').addOrderBy('client.id', 'DESC').skip(offset).take(limit).getManyAndCount();
  }

  findOne(tenantId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<ClientEntity | null> {
    return manager.getRepository(ClientEntity).findOneBy({ id, tenantId });
  }

  /** By id alone: the client a pass already refers to. */
  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<ClientEntity | null> {
    return manager.getRepository(ClientEntity).findOneBy({ id });
  }

  /** Holds, until the transaction ends, the tenant's lock on a client name (any case). */
  async lockName(manager: EntityManager, tenantId: string, name: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`client-name:${tenantId}:${name.toLowerCase()}`]);
  }

  /** The oldest client of that name (any case), and of that email (any case) and phone when given. */
  oldestByName(
    manager: EntityManager,
    tenantId: string,
    name: string,
    contact: { email?: string; phone?: string },
  ): Promise<ClientEntity | null> {
    const builder = manager
      .getRepository(ClientEntity)
      .createQueryBuilder('client')
      .where('client.tenantId = :tenantId AND lower(client.name) = lower(:name)', { tenantId, name });
    if (contact.email !== undefined) builder.andWhere('lower(client.email) = lower(:email)', { email: contact.email });
    if (contact.phone !== undefined) builder.andWhere('client.phone = :phone', { phone: contact.phone });
    return builder.orderBy('client.createdAt', 'ASC').getOne();
  }

  insert(manager: EntityManager, values: DeepPartial<ClientEntity>): Promise<ClientEntity> {
    const repository = manager.getRepository(ClientEntity);
    return repository.save(repository.create(values));
  }
}

/** `term` with LIKE's wildcards and escape character escaped, to be matched literally. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
