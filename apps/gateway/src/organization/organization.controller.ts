import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { PageQueryDto, pageWindow, setListHeaders } from '@passway/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Access, MANAGERS } from '../auth/route-access';
import { API_PREFIX, GATEWAY_CONFIG, GatewayConfig } from '../config';
import { perMinuteLimit } from '../rate-limit/rate-limit-policy';
import { OrganizationDto } from '../openapi/response-schemas';
import { TenantsService } from '../tenants/tenants.service';
import { LedgerEntry, TokenBalanceService } from '../tokens/token-balance.service';

/** Seed 001: "Tenant has a fixed webhook quota"; the webhooks service enforces the same figure. */
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
    const tenant = await this.tenants.get(principal.tenant.id);
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
