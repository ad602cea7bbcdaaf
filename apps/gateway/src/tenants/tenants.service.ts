import { Injectable } from '@nestjs/common';
import { invalidArgument, isPgError, isUuid, notFound, PG_UNIQUE_VIOLATION } from '@passway/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { TokenBalanceRepository } from '../tokens/token-balance.repository';
import { Plan, PLANS, TenantEntity } from './entities/tenant.entity';
import { TenantsRepository } from './tenants.repository';

export interface CreateTenantInput {
  name: string;
  plan?: Plan;
  /** undefined/null = unlimited */
  tokens?: number | null;
  rateLimitPerMinute?: number | null;
}

export interface TenantSummary {
  id: string;
  name: string;
  slug: string;
  plan: Plan;
  tokenBalance: number | null;
  tokensUsed: number;
  rateLimitPerMinute: number | null;
  createdAt: string;
}

@Injectable()
export class TenantsService {
  constructor(
    private readonly repository: TenantsRepository,
    private readonly ledger: TokenBalanceRepository,
  ) {}

  /** A tenant, in a transaction of the caller's (sign-up creates its owner in the same one). */
  async create(input: CreateTenantInput, manager?: EntityManager): Promise<TenantSummary> {
    const name = input.name?.trim();
    if (!name || name.length > 200) throw invalidArgument('name must be 1 to 200 characters');
    const plan = input.plan ?? 'pro';
    if (!PLANS.includes(plan)) throw invalidArgument(`plan must be one of ${PLANS.join(', ')}`);
    assertOptionalCount(input.tokens, 'tokens', 0);
    assertOptionalCount(input.rateLimitPerMinute, 'rate limit', 1);
    const base = slugify(name);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
      try {
        const tenant = await this.repository.transaction(async (tx) => {
          const saved = await this.repository.insert(tx, {
            name,
            slug,
            plan,
            tokenBalance: input.tokens ?? null,
            rateLimitPerMinute: input.rateLimitPerMinute ?? null,
          });
          if (saved.tokenBalance !== null) {
            await this.ledger.insertEntry(tx, {
              tenantId: saved.id,
              delta: saved.tokenBalance,
              balanceAfter: saved.tokenBalance,
              reason: 'opening_balance',
              actor: 'cli',
            });
          }
          return saved;
        }, manager);
        return toSummary(tenant);
      } catch (error) {
        if (!isPgError(error, PG_UNIQUE_VIOLATION)) throw error;
      }
    }
    throw invalidArgument('could not find a free slug for that name');
  }

  async get(id: string): Promise<TenantSummary> {
    const tenant = isUuid(id) ? await this.repository.findById(id) : null;
    if (!tenant) throw notFound('Tenant');
    return toSummary(tenant);
  }

  /** The tenant behind a public URL's organization slug, if any. */
  async findBySlug(slug: string): Promise<TenantSummary | null> {
    const tenant = /^[a-z0-9-]{1,64}$/.test(slug) ? await this.repository.findBySlug(slug) : null;
    return tenant ? toSummary(tenant) : null;
  }

  /** Renames an organisation (its slug stays: public links carry it). */
  async rename(id: string, name: string): Promise<{ previous: string; tenant: TenantSummary }> {
    const tenant = isUuid(id) ? await this.repository.findById(id) : null;
    if (!tenant) throw notFound('Tenant');
    const previous = tenant.name;
    tenant.name = name;
    return { previous, tenant: toSummary(await this.repository.save(tenant)) };
  }

  async list(): Promise<TenantSummary[]> {
    const tenants = await this.repository.list();
    return tenants.map(toSummary);
  }
}

export function toSummary(tenant: TenantEntity): TenantSummary {
  return {
    id: tenant.id,
    name: tenant.name,
    slug: tenant.slug,
    plan: tenant.plan,
    tokenBalance: tenant.tokenBalance,
    tokensUsed: tenant.tokensUsed,
    rateLimitPerMinute: tenant.rateLimitPerMinute,
    createdAt: tenant.createdAt.toISOString(),
  };
}

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return slug || 'tenant';
}

function assertOptionalCount(value: number | null | undefined, label: string, min: number): void {
  if (value === undefined || value === null) return;
  if (!Number.isInteger(value) || value < min || value > 1_000_000_000) {
    throw invalidArgument(`${label} must be a whole number of at least ${min}`);
  }
}
