import { Body, Controller, Get, Inject, Patch, Query, Req, Res } from '@nestjs/common';
import { PageQueryDto, pageWindow, setListHeaders } from '@passway/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import Redis from 'ioredis';
import { TENANTS_CHANGED_CHANNEL } from '../auth/api-key-authenticator';
import { AuthenticatedRequest, CurrentPrincipal, Principal } from '../auth/principal';
import { Access, ADMINS, MANAGERS } from '../auth/route-access';
import { API_PREFIX, GATEWAY_CONFIG, GatewayConfig } from '../config';
import { perMinuteLimit } from '../rate-limit/rate-limit-policy';
import { OrganizationDto } from '../openapi/response-schemas';
import { REDIS } from '../redis/redis.module';
import { TenantSummary, TenantsService } from '../tenants/tenants.service';
import { UpdateOrganizationDto } from './organization.dto';
import { LedgerEntry, TokenBalanceService } from '../tokens/token-balance.service';

/** The REST contract: "Tenant has a fixed webhook quota"; the webhooks service enforces the same figure. */
export const WEBHOOK_QUOTA = 25;

@ApiTags('organization')
@ApiBearerAuth()
@Access({ roles: MANAGERS, rateGroup: 'manage' })
@Controller(`${API_PREFIX}/organization`)
export class OrganizationController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly tokens: TokenBalanceService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** The token ledger, newest first: every change of balance with who, what, when and the balance after. */
  @Get('tokens')
  async ledger(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LedgerEntry[]> {
    const { page, limit, offset } = pageWindow(query);
    const [entries, total] = await Promise.all([
      this.tokens.ledger(principal.tenant.id, limit, offset),
      this.tokens.ledgerSize(principal.tenant.id),
    ]);
    setListHeaders(req, res, total, page, limit);
    return entries;
  }

  @Get()
  @ApiOkResponse({ type: OrganizationDto })
  async get(@CurrentPrincipal() principal: Principal): Promise<OrganizationDto> {
    return this.view(await this.tenants.get(principal.tenant.id));
  }

  /**
   * The organisation's settings an admin may change: its name (the slug stays, public links carry
   * it). Audit-logged as organization.update with the old and new name; every gateway drops its
   * cached keys of the organisation, so devices and keys see the new name at once.
   */
  @Patch()
  @Access({ roles: ADMINS, rateGroup: 'manage' })
  @ApiOkResponse({ type: OrganizationDto })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Body() body: UpdateOrganizationDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<OrganizationDto> {
    const { previous, tenant } = await this.tenants.rename(principal.tenant.id, body.name);
    await this.redis.publish(TENANTS_CHANGED_CHANNEL, tenant.id).catch(() => undefined); // the key cache TTL covers a lost message
    req.auditDetails = { previousName: previous, name: tenant.name };
    return this.view(tenant);
  }

  private view(tenant: TenantSummary): OrganizationDto {
    const defaults = { manage: this.config.RATE_LIMIT_MANAGE_PER_MINUTE, integrations: this.config.RATE_LIMIT_INTEGRATIONS_PER_MINUTE };
    return {
      id: tenant.id,
      name: tenant.name,
      slug: tenant.slug,
      plan: tenant.plan,
      tokenBalance: tenant.tokenBalance,
      tokensUsed: tenant.tokensUsed,
      limits: {
        rateLimits: {
          manage: { limit: perMinuteLimit('manage', tenant.rateLimitPerMinute, defaults), windowSeconds: 60 },
          integrations: { limit: perMinuteLimit('integrations', tenant.rateLimitPerMinute, defaults), windowSeconds: 60 },
        },
        webhookQuota: WEBHOOK_QUOTA,
      },
      createdAt: tenant.createdAt,
    };
  }
}
