import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { TriggersQueryDto } from '@passway/common';
import { CurrentPrincipal, Principal, RequestId } from '../auth/principal';
import { Access, MANAGERS } from '../auth/route-access';
import { API_PREFIX } from '../config';
import { WebhooksClient } from '../rpc/service-clients.module';

/** The REST contract's polling fallback (Zapier): recent items of one event, newest first. */
@ApiTags('triggers')
@ApiBearerAuth()
@Access({ roles: MANAGERS, rateGroup: 'integrations', tenantWide: true })
@Controller(`${API_PREFIX}/triggers`)
export class TriggersController {
  constructor(private readonly webhooks: WebhooksClient) {}

  @Get()
  @ApiOkResponse({
    schema: { type: 'array', items: { type: 'object', additionalProperties: true } },
    description:
      'Newest first. pass.created: list-passes items + clientName, clientEmail, clientPhone; pass.scanned: flat scan records; ' +
      'pass.status_changed: passes with previousStatus and changedAt; client.created: clients; event.created, event.updated: events as GET /events/:id returns them',
  })
  async poll(@CurrentPrincipal() principal: Principal, @Query() query: TriggersQueryDto, @RequestId() requestId?: string) {
    return this.webhooks.call('PollTriggers', { tenantId: principal.tenant.id, input: query }, requestId);
  }
}
