import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ClientPresenter, CreateClientDto, ListClientsQueryDto, setListHeaders } from '@passway/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ClientDto } from '../openapi/response-schemas';
import { CurrentPrincipal, Principal, RequestId } from '../auth/principal';
import { API_PREFIX } from '../config';
import { Access, MANAGERS } from '../auth/route-access';
import { PassesClient } from '../rpc/service-clients.module';

@ApiTags('clients')
@ApiBearerAuth()
@Access({ roles: MANAGERS, rateGroup: 'manage', tenantWide: true })
@Controller(`${API_PREFIX}/clients`)
export class ClientsController {
  constructor(private readonly passes: PassesClient) {}

  @Get()
  @ApiOkResponse({ type: [ClientDto] })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListClientsQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ) {
    const page = await this.passes.call('ListClients', { tenantId: principal.tenant.id, input: query }, requestId);
    setListHeaders(req, res, page.total, page.page, page.limit);
    return page.items.map(ClientPresenter.view);
  }

  @Post()
  @ApiCreatedResponse({ type: ClientDto })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateClientDto, @RequestId() requestId?: string) {
    return ClientPresenter.view(await this.passes.call('CreateClient', { tenantId: principal.tenant.id, input: body }, requestId));
  }

  @Get(':clientId')
  @ApiOkResponse({ type: ClientDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('clientId') id: string, @RequestId() requestId?: string) {
    return ClientPresenter.view(await this.passes.call('GetClient', { tenantId: principal.tenant.id, id }, requestId));
  }
}
