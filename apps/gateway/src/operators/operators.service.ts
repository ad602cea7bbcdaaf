import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { invalidArgument, isUuid, notFound } from '@passway/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { SessionRow } from '../accounts/accounts.repository';
import { AuditLogService } from '../audit/audit-log.service';
import { TENANTS_CHANGED_CHANNEL } from '../auth/api-key-authenticator';
import { REDIS } from '../redis/redis.module';
import { Plan, PLANS } from '../tenants/entities/tenant.entity';
import { TokenBalanceService } from '../tokens/token-balance.service';

export interface OperatorOrganization {
  id: string;
  name: string;
  slug: string;
  plan: Plan;
  tokenBalance: number | null;
  tokensUsed: number;
  members: number;
  suspended: boolean;
  suspendedAt: string | null;
  createdAt: string;
}

/**
 * Platform operators (super admins): every organisation, its plan, its tokens, suspension.
 * Each change lands in that organisation's audit log, and every gateway drops its cached keys at once.
 */
@Injectable()
export class OperatorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenBalanceService,
    private readonly audit: AuditLogService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async list(search?: string): Promise<OperatorOrganization[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT t.id, t.name, t.slug, t.plan, t.token_balance AS "tokenBalance", t.tokens_used AS "tokensUsed", t.suspended_at AS "suspendedAt", t.created_at AS "createdAt",
              (SELECT count(*)::int FROM gateway.memberships m WHERE m.tenant_id = t.id) AS members
         FROM gateway.tenants t
        WHERE $1::text IS NULL OR t.name ILIKE '%' || $1 || '%' OR t.slug ILIKE '%' || $1 || '%'
        ORDER BY t.created_at DESC LIMIT 500`,
      [search?.trim() || null],
    );
    return rows.map(toOrganization);
  }

  async get(id: string): Promise<OperatorOrganization> {
    const rows: Record<string, unknown>[] = isUuid(id)
      ? await this.dataSource.query(
          `SELECT t.id, t.name, t.slug, t.plan, t.token_balance AS "tokenBalance", t.tokens_used AS "tokensUsed", t.suspended_at AS "suspendedAt", t.created_at AS "createdAt",
                  (SELECT count(*)::int FROM gateway.memberships m WHERE m.tenant_id = t.id) AS members FROM gateway.tenants t WHERE t.id = $1`,
          [id],
        )
      : [];
    if (!rows[0]) throw notFound('Organization');
    return toOrganization(rows[0]);
  }

  async changePlan(operator: SessionRow, id: string, plan: Plan, ip?: string): Promise<OperatorOrganization> {
    if (!PLANS.includes(plan)) throw invalidArgument(`plan must be one of ${PLANS.join(', ')}`);
    await this.update(id, `UPDATE gateway.tenants SET plan = $2, updated_at = now() WHERE id = $1`, [plan]);
    await this.record(operator, id, 'organization.change_plan', ip, { plan });
    return this.get(id);
  }

  async topUp(operator: SessionRow, id: string, tokens: number, ip?: string): Promise<OperatorOrganization> {
    await this.get(id);
    await this.tokens.topUp(id, tokens, `operator:${operator.user.id}`);
    await this.record(operator, id, 'organization.top_up', ip, { tokens });
    return this.get(id);
  }

  async setSuspended(operator: SessionRow, id: string, suspended: boolean, ip?: string): Promise<OperatorOrganization> {
    await this.update(
      id,
      `UPDATE gateway.tenants SET suspended_at = CASE WHEN $2::boolean THEN COALESCE(suspended_at, now()) END, updated_at = now() WHERE id = $1`,
      [suspended],
    );
    await this.record(operator, id, suspended ? 'organization.suspend' : 'organization.resume', ip);
    return this.get(id);
  }

  private async update(id: string, sql: string, params: unknown[]): Promise<void> {
    if (!isUuid(id)) throw notFound('Organization');
    const [, affected] = await this.dataSource.query<[unknown, number]>(sql, [id, ...params]);
    if (!affected) throw notFound('Organization');
    await this.redis.publish(TENANTS_CHANGED_CHANNEL, id).catch(() => undefined); // the key cache TTL covers a lost message
  }

  private record(operator: SessionRow, tenantId: string, action: string, ip?: string, details?: Record<string, unknown>): Promise<void> {
    return this.audit.recordAfter({
      tenantId,
      actor: { type: 'operator', id: operator.user.id, label: operator.user.email },
      action,
      resourceType: 'organization',
      resourceId: tenantId,
      ip,
      details,
    });
  }
}

function toOrganization(row: Record<string, unknown>): OperatorOrganization {
  const suspendedAt = row.suspendedAt as Date | null;
  return {
    id: row.id as string,
    name: row.name as string,
    slug: row.slug as string,
    plan: row.plan as Plan,
    tokenBalance: row.tokenBalance as number | null,
    tokensUsed: row.tokensUsed as number,
    members: row.members as number,
    suspended: suspendedAt !== null,
    suspendedAt: suspendedAt?.toISOString() ?? null,
    createdAt: (row.createdAt as Date).toISOString(),
  };
}
