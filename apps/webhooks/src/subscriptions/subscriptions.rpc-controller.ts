import {
  CommandHandler,
  CreateWebhookDto,
  ListDeliveriesQueryDto,
  PageQueryDto,
  RetryDeliveryDto,
  RpcController,
  TenantCommand,
  validateInput,
} from '@passway/common';
import { DeliveriesService } from './deliveries.service';
import { SubscriptionsService } from './subscriptions.service';

@RpcController()
export class SubscriptionsRpcController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly deliveries: DeliveriesService,
  ) {}

  @CommandHandler('WebhooksService', 'ListWebhooks', 'tenant-wide')
  list({ tenantId, input }: TenantCommand) {
    return this.subscriptions.list(tenantId, validateInput(PageQueryDto, input ?? {}));
  }

  @CommandHandler('WebhooksService', 'CreateWebhook', 'tenant-wide')
  create({ tenantId, input }: TenantCommand) {
    return this.subscriptions.create(tenantId, validateInput(CreateWebhookDto, input));
  }

  @CommandHandler('WebhooksService', 'DeleteWebhook', 'tenant-wide')
  remove({ tenantId, id }: TenantCommand) {
    return this.subscriptions.remove(tenantId, id ?? '');
  }

  @CommandHandler('WebhooksService', 'ListDeliveries', 'tenant-wide')
  listDeliveries({ tenantId, id, input }: TenantCommand) {
    return this.deliveries.list(tenantId, id ?? '', validateInput(ListDeliveriesQueryDto, input ?? {}));
  }

  @CommandHandler('WebhooksService', 'RetryDelivery', 'tenant-wide')
  retryDelivery({ tenantId, id, input }: TenantCommand) {
    return this.deliveries.retry(tenantId, id ?? '', validateInput(RetryDeliveryDto, input).deliveryId);
  }
}
