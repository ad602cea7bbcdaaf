import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Access, MANAGERS } from '../auth/route-access';
import { API_PREFIX, GATEWAY_CONFIG, GatewayConfig } from '../config';
import { perMinuteLimit } from '../rate-limit/rate-limit-policy';
import { OrganizationDto } from '../openapi/response-schemas';
import { TenantsService } from '../tenants/tenants.service';

/** Seed 001: "Tenant has a fixed webhook quota"; the webhooks service enforces the same figure. */
export const WEBHOOK_QUOTA = 25;

@ApiTags('organization')
@ApiBearerAuth()
@Access({ roles: MANAGERS, rateGroup: 'manage' })
@Controller(`${API_PREFIX}/organization`)
export class OrganizationController {
  constructor(
    private readonly tenants: TenantsService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

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
