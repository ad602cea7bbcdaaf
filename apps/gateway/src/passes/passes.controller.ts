import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CreatePassDto, ListPassesQueryDto, PassPresenter, setListHeaders, UpdatePassDto } from '@passway/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal, RequestId } from '../auth/principal';
import { API_PREFIX } from '../config';
import { Access, EVERYONE, MANAGERS } from '../auth/route-access';
import { PassDetailDto, PassCreatedDto, PassListItemDto, PassStatusChangeDto } from '../openapi/response-schemas';
import { PassesClient } from '../rpc/service-clients.module';
import { IdempotencyKey, RerunAfterUnknownOutcome } from '../idempotency/idempotency-policy';
import { TokenSpender } from '../tokens/token-spender';

@ApiTags('passes')
@ApiBearerAuth()
@Access({ roles: MANAGERS, rateGroup: 'manage' })
@Controller(`${API_PREFIX}/passes`)
export class PassesController {
  constructor(
    private readonly passes: PassesClient,
    private readonly tokens: TokenSpender,
  ) {}

  @Get()
  @ApiOkResponse({ type: [PassListItemDto], description: 'Newest first; X-Total-Count and Link headers page through' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListPassesQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ) {
    const page = await this.passes.call('ListPasses', { tenantId: principal.tenant.id, input: query }, requestId);
    setListHeaders(req, res, page.total, page.page, page.limit);
    return page.items.map(PassPresenter.listItem);
  }

  @Post()
  @RerunAfterUnknownOutcome()
  @ApiCreatedResponse({ type: PassCreatedDto, description: 'Uses one token of the tenant balance (403 "plan limit reached" at zero)' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreatePassDto,
    @RequestId() requestId?: string,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return PassPresenter.created(await this.tokens.issuePass(principal, body, requestId, idempotencyKey));
  }

  @Access({ roles: EVERYONE, rateGroup: 'manage' })
  @Get(':passId')
  @ApiOkResponse({ type: PassDetailDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('passId') id: string, @RequestId() requestId?: string) {
    return PassPresenter.detail(await this.passes.call('GetPass', { tenantId: principal.tenant.id, id }, requestId));
  }

  @Patch(':passId')
  @ApiOkResponse({ type: PassDetailDto })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('passId') id: string,
    @Body() body: UpdatePassDto,
    @RequestId() requestId?: string,
  ) {
    const pass = await this.passes.call('UpdatePass', { tenantId: principal.tenant.id, id, input: body }, requestId);
    return PassPresenter.detail(pass);
  }

  @Post(':passId/activate')
  @HttpCode(200)
  @ApiOkResponse({ type: PassStatusChangeDto })
  async activate(@CurrentPrincipal() principal: Principal, @Param('passId') id: string, @RequestId() requestId?: string) {
    const pass = await this.passes.call('ActivatePass', { tenantId: principal.tenant.id, id }, requestId);
    return PassPresenter.statusChange(pass);
  }

  @Post(':passId/revoke')
  @HttpCode(200)
  @ApiOkResponse({ type: PassStatusChangeDto })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('passId') id: string, @RequestId() requestId?: string) {
    const pass = await this.passes.call('RevokePass', { tenantId: principal.tenant.id, id }, requestId);
    return PassPresenter.statusChange(pass);
  }
}
