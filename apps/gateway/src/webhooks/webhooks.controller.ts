import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CreateWebhookDto, ListDeliveriesQueryDto, PageQueryDto, setListHeaders, WebhookPresenter } from '@passway/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal, RequestId } from '../auth/principal';
import { ADMINS, Access } from '../auth/route-access';
import { API_PREFIX } from '../config';
import { ResponseCarriesSecret } from '../idempotency/idempotency-policy';
import { WebhooksClient } from '../rpc/service-clients.module';
import { CreatedWebhookDto, DeliveryDto, WebhookDeletedDto, WebhookDto } from './webhook-response-schemas';

@ApiTags('webhooks')
@ApiBearerAuth()
@Access({ roles: ADMINS, rateGroup: 'integrations', tenantWide: true })
@Controller(`${API_PREFIX}/webhooks`)
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksClient) {}

  @Get()
  @ApiOkResponse({ type: [WebhookDto], description: 'Newest first; X-Total-Count and Link headers page through' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ) {
    const page = await this.webhooks.call('ListWebhooks', { tenantId: principal.tenant.id, input: query }, requestId);
    setListHeaders(req, res, page.total, page.page, page.limit);
    return page.items.map(WebhookPresenter.view);
  }

  @Post()
  @ResponseCarriesSecret()
  @ApiCreatedResponse({
    type: CreatedWebhookDto,
    description: '403 past the per-tenant webhook quota; 400 for a non-https or non-public targetUrl',
  })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWebhookDto, @RequestId() requestId?: string) {
    const webhook = await this.webhooks.call('CreateWebhook', { tenantId: principal.tenant.id, input: body }, requestId);
    return WebhookPresenter.created(webhook);
  }

  @Delete(':webhookId')
  @ApiOkResponse({ type: WebhookDeletedDto })
  async remove(@CurrentPrincipal() principal: Principal, @Param('webhookId') id: string, @RequestId() requestId?: string) {
    return this.webhooks.call('DeleteWebhook', { tenantId: principal.tenant.id, id }, requestId);
  }

  @Get(':webhookId/deliveries')
  @ApiOkResponse({ type: [DeliveryDto], description: 'Newest first, each with its attempts' })
  async deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('webhookId') id: string,
    @Query() query: ListDeliveriesQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ) {
    const page = await this.webhooks.call('ListDeliveries', { tenantId: principal.tenant.id, id, input: query }, requestId);
    setListHeaders(req, res, page.total, page.page, page.limit);
    return page.items;
  }

  @Post(':webhookId/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryDto, description: 'Queued again with the same webhook-id; 409 while queued or in flight' })
  async retry(
    @CurrentPrincipal() principal: Principal,
    @Param('webhookId') id: string,
    @Param('deliveryId') deliveryId: string,
    @RequestId() requestId?: string,
  ) {
    return this.webhooks.call('RetryDelivery', { tenantId: principal.tenant.id, id, input: { deliveryId } }, requestId);
  }
}
