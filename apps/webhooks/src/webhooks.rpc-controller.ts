import {
  CreateWebhookDto, CommandHandler, ListDeliveriesQueryDto, PageQueryDto, RetryDeliveryDto, TenantCommand, RpcController,
  TriggersQueryDto, validateInput,
} from '@passway/common';
import { DeliveriesService } from './subscriptions/deliveries.service';
import { SubscriptionsService } from './subscriptions/subscriptions.service';
import { TriggersService } from './triggers/triggers.service';

@RpcController()
export class WebhooksRpcController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly deliveries: DeliveriesService,
    private readonly triggers: TriggersService,
  ) {}

  @CommandHandler('WebhooksService', 'ListWebhooks')
  list({ tenantId, input }: TenantCommand) {
    return this.subscriptions.list(tenantId, validateInput(PageQueryDto, input ?? {}));
  }

  @CommandHandler('WebhooksService', 'CreateWebhook')
  create({ tenantId, input }: TenantCommand) {
    return this.subscriptions.create(tenantId, validateInput(CreateWebhookDto, input));
  }

  @CommandHandler('WebhooksService', 'DeleteWebhook')
  remove({ tenantId, id }: TenantCommand) {
    return this.subscriptions.remove(tenantId, id ?? '');
  }

  @CommandHandler('WebhooksService', 'ListDeliveries')
  listDeliveries({ tenantId, id, input }: TenantCommand) {
    return this.deliveries.list(tenantId, id ?? '', validateInput(ListDeliveriesQueryDto, input ?? {}));
  }

  @CommandHandler('WebhooksService', 'RetryDelivery')
  retryDelivery({ tenantId, id, input }: TenantCommand) {
    return this.deliveries.retry(tenantId, id ?? '', validateInput(RetryDeliveryDto, input).deliveryId);
  }

  @CommandHandler('WebhooksService', 'PollTriggers')
  pollTriggers({ tenantId, input }: TenantCommand) {
    return this.triggers.poll(tenantId, validateInput(TriggersQueryDto, input));
  }
}
