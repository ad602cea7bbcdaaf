import { Inject, Injectable } from '@nestjs/common';
import { invalidArgument, isUuid, notFound } from '@passway/common';
import Redis from 'ioredis';
import type { SessionRow } from '../accounts/accounts.repository';
import { AuditLogService } from '../audit/audit-log.service';
import { TENANTS_CHANGED_CHANNEL } from '../auth/api-key-authenticator';
import { REDIS } from '../redis/redis.module';
import { Plan, PLANS } from '../tenants/entities/tenant.entity';
import { OrganizationRow, TenantsRepository } from '../tenants/tenants.repository';
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
    private readonly tenants: TenantsRepository,
    private readonly tokens: TokenBalanceService,
    private readonly audit: AuditLogService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async list(search?: string): Promise<OperatorOrganization[]> {
    const rows = await this.tenants.organizations(search?.trim() || null);
    return rows.map(toOrganization);
  }

  async get(id: string): Promise<OperatorOrganization> {
    const row = isUuid(id) ? await this.tenants.organization(id) : null;
    if (!row) throw notFound('Organization');
    return toOrganization(row);
  }

  async changePlan(operator: SessionRow, id: string, plan: Plan, ip?: string): Promise<OperatorOrganization> {
    if (!PLANS.includes(plan)) throw invalidArgument(`plan must be one of ${PLANS.join(', ')}`);
    await this.update(id, () => this.tenants.setPlan(id, plan));
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
    await this.update(id, () => this.tenants.setSuspended(id, suspended));
    await this.record(operator, id, suspended ? 'organization.suspend' : 'organization.resume', ip);
    return this.get(id);
  }

  /** `write` answers how many organisations it changed. */
  private async update(id: string, write: () => Promise<number>): Promise<void> {
    if (!isUuid(id)) throw notFound('Organization');
    const affected = await write();
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

function toOrganization(row: OrganizationRow): OperatorOrganization {
  const suspendedAt = row.suspendedAt;
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    plan: row.plan,
    tokenBalance: row.tokenBalance,
    tokensUsed: row.tokensUsed,
    members: row.members,
    suspended: suspendedAt !== null,
    suspendedAt: suspendedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
