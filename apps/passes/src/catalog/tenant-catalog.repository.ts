import { DatabaseRepository } from '@passway/common';
import { DataSource, DeepPartial, EntityManager, FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';

export interface TenantOwned extends ObjectLiteral {
  id: string;
  tenantId: string;
  createdAt: Date;
}

/** The queries behind the small tenant-owned records passes refer to (templates, locations). */
export abstract class TenantCatalogRepository<TEntity extends TenantOwned> extends DatabaseRepository {
  protected constructor(
    dataSource: DataSource,
    private readonly entity: new () => TEntity,
  ) {
    super(dataSource);
  }

  private repository(manager: EntityManager = this.dataSource.manager): Repository<TEntity> {
    return manager.getRepository(this.entity);
  }

  /** One page of the tenant's records, newest first, and how many there are. */
  list(tenantId: string, offset: number, limit: number): Promise<[TEntity[], number]> {
    return this.repository().findAndCount({
      where: { tenantId } as FindOptionsWhere<TEntity>,
      order: { createdAt: 'DESC', id: 'DESC' } as never,
      skip: offset,
      take: limit,
    });
  }

  insert(tenantId: string, input: object): Promise<TEntity> {
    const repository = this.repository();
    return repository.save(repository.create({ ...input, tenantId } as unknown as DeepPartial<TEntity>));
  }

  findOne(tenantId: string, id: string, manager?: EntityManager): Promise<TEntity | null> {
    return this.repository(manager).findOneBy({ id, tenantId } as FindOptionsWhere<TEntity>);
  }

  /** Within the caller's transaction: whether the tenant has a record of that id. */
  exists(manager: EntityManager, tenantId: string, id: string): Promise<boolean> {
    return this.repository(manager).existsBy({ id, tenantId } as FindOptionsWhere<TEntity>);
  }

  /** Writes `changes` over the record read before. */
  update(existing: TEntity, changes: object, manager?: EntityManager): Promise<TEntity> {
    const repository = this.repository(manager);
    return repository.save(repository.merge(existing, changes as DeepPartial<TEntity>));
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.repository().delete({ id, tenantId } as FindOptionsWhere<TEntity>);
  }
}
