import { Injectable } from '@nestjs/common';
import { DatabaseRepository } from '@passway/common';
import { EntityManager, Repository } from 'typeorm';
import { Plan, TenantEntity } from './entities/tenant.entity';

/** A tenant as the platform operators' console lists it (OperatorsService). */
export interface OrganizationRow {
  id: string;
  name: string;
  slug: string;
  plan: Plan;
  tokenBalance: number | null;
  tokensUsed: number;
  suspendedAt: Date | null;
  createdAt: Date;
  members: number;
}

/** The queries behind tenants (organisations, gateway.tenants). */
@Injectable()
export class TenantsRepository extends DatabaseRepository {
  private get tenants(): Repository<TenantEntity> {
    return this.dataSource.getRepository(TenantEntity);
  }

  insert(
    manager: EntityManager,
    tenant: { name: string; slug: string; plan: Plan; tokenBalance: number | null; rateLimitPerMinute: number | null },
  ): Promise<TenantEntity> {
    const repository = manager.getRepository(TenantEntity);
    return repository.save(repository.create(tenant));
  }

  findById(id: string): Promise<TenantEntity | null> {
    return this.tenants.findOneBy({ id });
  }

  /** The tenant; throws (TypeORM's EntityNotFoundError) when there is none. */
  get(id: string): Promise<TenantEntity> {
    return this.tenants.findOneByOrFail({ id });
  }

  findBySlug(slug: string): Promise<TenantEntity | null> {
    return this.tenants.findOneBy({ slug });
  }

  save(tenant: TenantEntity): Promise<TenantEntity> {
    return this.tenants.save(tenant);
  }

  /** Every tenant, oldest first. */
  list(): Promise<TenantEntity[]> {
    return this.tenants.find({ order: { createdAt: 'ASC' } });
  }

  /** Tenants whose name or slug contains `search` (all when null), newest first, at most 500. */
  organizations(search: string | null): Promise<OrganizationRow[]> {
    return this.dataSource.query<OrganizationRow[]>(
      `SELECT t.id, t.name, t.slug, t.plan, t.token_balance AS "tokenBalance", t.tokens_used AS "tokensUsed", t.suspended_at AS "suspendedAt", t.created_at AS "createdAt",
              (SELECT count(*)::int FROM gateway.memberships m WHERE m.tenant_id = t.id) AS members
         FROM gateway.tenants t
        WHERE $1::text IS NULL OR t.name ILIKE '%' || $1 || '%' OR t.slug ILIKE '%' || $1 || '%'
        ORDER BY t.created_at DESC LIMIT 500`,
      [search],
    );
  }

  async organization(id: string): Promise<OrganizationRow | null> {
    const rows = await this.dataSource.query<OrganizationRow[]>(
      `SELECT t.id, t.name, t.slug, t.plan, t.token_balance AS "tokenBalance", t.tokens_used AS "tokensUsed", t.suspended_at AS "suspendedAt", t.created_at AS "createdAt",
              (SELECT count(*)::int FROM gateway.memberships m WHERE m.tenant_id = t.id) AS members FROM gateway.tenants t WHERE t.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** How many tenants changed (0 or 1). */
  async setPlan(id: string, plan: Plan): Promise<number> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `UPDATE gateway.tenants SET plan = $2, updated_at = now() WHERE id = $1`,
      [id, plan],
    );
    return affected;
  }

  /** Suspends (keeping the first suspension's time) or resumes; how many tenants changed (0 or 1). */
  async setSuspended(id: string, suspended: boolean): Promise<number> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `UPDATE gateway.tenants SET suspended_at = CASE WHEN $2::boolean THEN COALESCE(suspended_at, now()) END, updated_at = now() WHERE id = $1`,
      [id, suspended],
    );
    return affected;
  }
}
