import { isUuid, notFound, Page, pageWindow, PageQueryDto } from '@passway/common';
import { TenantCatalogRepository, TenantOwned } from './tenant-catalog.repository';

/** CRUD for the small tenant-owned records passes refer to (templates, locations). */
export abstract class TenantCatalog<TEntity extends TenantOwned, TView, TInput extends object> {
  protected constructor(
    protected readonly records: TenantCatalogRepository<TEntity>,
    private readonly label: string,
  ) {}

  protected abstract toView(entity: TEntity): TView;

  async list(tenantId: string, query: PageQueryDto): Promise<Page<TView>> {
    const { page, limit, offset } = pageWindow(query);
    const [rows, total] = await this.records.list(tenantId, offset, limit);
    return { items: rows.map((row) => this.toView(row)), total, page, limit };
  }

  async create(tenantId: string, input: TInput): Promise<TView> {
    const saved = await this.records.insert(tenantId, input);
    return this.toView(saved);
  }

  async get(tenantId: string, id: string): Promise<TView> {
    return this.toView(await this.find(tenantId, id));
  }

  async update(tenantId: string, id: string, input: Partial<TInput>): Promise<TView> {
    const existing = await this.find(tenantId, id);
    const saved = await this.records.update(existing, input);
    return this.toView(saved);
  }

  async remove(tenantId: string, id: string): Promise<{ success: true }> {
    await this.find(tenantId, id);
    await this.records.delete(tenantId, id);
    return { success: true };
  }

  private async find(tenantId: string, id: string): Promise<TEntity> {
    const found = isUuid(id) ? await this.records.findOne(tenantId, id) : null;
    if (!found) throw notFound(this.label);
    return found;
  }
}
