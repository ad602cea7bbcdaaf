import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  CreatedWebhookView, CreateWebhookDto, DeliveryView, ListDeliveriesQueryDto, Page, PageQueryDto, setListHeaders,
  WebhookPresenter, WebhookView,
} from '@passway/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal, RequestId } from '../auth/principal';
import { ADMINS, Access } from '../auth/route-access';
import { API_PREFIX } from '../config';
import { WebhooksClient } from '../rpc/service-clients.module';

@Access({ roles: ADMINS, rateGroup: 'integrations' })
@Controller(`${API_PREFIX}/webhooks`)
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksClient) {}

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ) {
    const page = await this.webhooks.call<Page<WebhookView>>('ListWebhooks', { tenantId: principal.tenant.id, input: query }, requestId);
    setListHeaders(req, res, page.total, page.page, page.limit);
    return page.items.map(WebhookPresenter.view);
  }

  @Post()
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWebhookDto, @RequestId() requestId?: string) {
    const webhook = await this.webhooks.call<CreatedWebhookView>('CreateWebhook', { tenantId: principal.tenant.id, input: body }, requestId);
    return WebhookPresenter.created(webhook);
  }

  @Delete(':webhookId')
  async remove(@CurrentPrincipal() principal: Principal, @Param('webhookId') id: string, @RequestId() requestId?: string) {
    return this.webhooks.call<{ success: true }>('DeleteWebhook', { tenantId: principal.tenant.id, id }, requestId);
  }

  @Get(':webhookId/deliveries')
  async deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('webhookId') id: string,
    @Query() query: ListDeliveriesQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ) {
    const page = await this.webhooks.call<Page<DeliveryView>>(
      'ListDeliveries',
      { tenantId: principal.tenant.id, id, input: query },
      requestId,
    );
    setListHeaders(req, res, page.total, page.page, page.limit);
    return page.items;
  }

  @Post(':webhookId/deliveries/:deliveryId/retry')
  @HttpCode(202)
  async retry(
    @CurrentPrincipal() principal: Principal,
    @Param('webhookId') id: string,
    @Param('deliveryId') deliveryId: string,
    @RequestId() requestId?: string,
  ) {
    return this.webhooks.call<DeliveryView>('RetryDelivery', { tenantId: principal.tenant.id, id, input: { deliveryId } }, requestId);
  }
}
