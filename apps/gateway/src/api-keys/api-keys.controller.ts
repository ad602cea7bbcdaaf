import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { KeyRevocations } from '../auth/key-revocations';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Access, ADMINS } from '../auth/route-access';
import { API_PREFIX } from '../config';
import { SuccessDto } from '../openapi/response-schemas';
import { ResponseCarriesSecret } from '../idempotency/idempotency-policy';
import { ApiKeySummaryDto, CreateApiKeyDto, IssuedApiKeyDto } from './api-key.dto';
import { ApiKeysService } from './api-keys.service';

@ApiTags('api-keys')
@ApiBearerAuth()
@Access({ roles: ADMINS, rateGroup: 'manage' })
@Controller(`${API_PREFIX}/api-keys`)
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly revocations: KeyRevocations,
  ) {}

  @Get()
  @ApiOkResponse({ type: [ApiKeySummaryDto], description: "The tenant's keys, newest first; never the key itself" })
  list(@CurrentPrincipal() principal: Principal) {
    return this.keys.list(principal.tenant.id, principal.eventIds);
  }

  @Post()
  @ResponseCarriesSecret()
  @ApiCreatedResponse({ type: IssuedApiKeyDto, description: 'The new key, shown once in `apiKey`' })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto) {
    const { tenantId: _tenantId, ...issued } = await this.keys.issue(
      principal.tenant.id,
      body.role,
      body.name ?? null,
      body.events ?? null,
      principal.eventIds,
    );
    return issued;
  }

  @Delete(':keyId')
  @ApiOkResponse({ type: SuccessDto, description: 'Revoked; every gateway drops the key at once' })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('keyId') keyId: string) {
    const { keyHash } = await this.keys.revoke(keyId, principal.tenant.id, principal.eventIds);
    await this.revocations.broadcast(keyHash);
    return { success: true };
  }
}
