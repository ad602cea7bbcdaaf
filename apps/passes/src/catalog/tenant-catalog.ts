import { isUuid, notFound, Page, pageWindow, PageQueryDto } from '@passway/common';
import { DataSource, DeepPartial, FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';

interface TenantOwned extends ObjectLiteral {
  id: string;
  tenantId: string;
  createdAt: Date;
}

/** CRUD for the small tenant-owned records passes refer to (templates, locations). */
export abstract class TenantCatalog<TEntity extends TenantOwned, TView, TInput extends object> {
  protected constructor(
    protected readonly dataSource: DataSource,
    private readonly entity: new () => TEntity,
    private readonly label: string,
  ) {}

  protected abstract toView(entity: TEntity): TView;

  private get repository(): Repository<TEntity> {
    return this.dataSource.getRepository(this.entity);
  }

  async list(tenantId: string, query: PageQueryDto): Promise<Page<TView>> {
    const { page, limit, offset } = pageWindow(query);
    const [rows, total] = await this.repository.findAndCount({
      where: { tenantId } as FindOptionsWhere<TEntity>,
      order: { createdAt: 'DESC', id: 'DESC' } as never,
      skip: offset,
      take: limit,
    });
    return { items: rows.map((row) => this.toView(row)), total, page, limit };
  }

  async create(tenantId: string, input: TInput): Promise<TView> {
    const saved = await this.repository.save(this.repository.create({ ...input, tenantId } as unknown as DeepPartial<TEntity>));
    return this.toView(saved);
  }

  async get(tenantId: string, id: string): Promise<TView> {
    return this.toView(await this.find(tenantId, id));
  }

  async update(tenantId: string, id: string, input: Partial<TInput>): Promise<TView> {
    const existing = await this.find(tenantId, id);
    const saved = await this.repository.save(this.repository.merge(existing, input as DeepPartial<TEntity>));
    return this.toView(saved);
  }

  async remove(tenantId: string, id: string): Promise<{ success: true }> {
    await this.find(tenantId, id);
    await this.repository.delete({ id, tenantId } as FindOptionsWhere<TEntity>);
    return { success: true };
  }

  private async find(tenantId: string, id: string): Promise<TEntity> {
    const found = isUuid(id) ? await this.repository.findOneBy({ id, tenantId } as FindOptionsWhere<TEntity>) : null;
    if (!found) throw notFound(this.label);
    return found;
  }
}
