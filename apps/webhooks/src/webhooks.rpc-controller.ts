import { GrpcMethod } from '@nestjs/microservices';
import {
  CreateWebhookDto, handleTenantWideCommand, ListDeliveriesQueryDto, PageQueryDto, RetryDeliveryDto, RpcCommand, RpcController,
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

  @GrpcMethod('WebhooksService', 'ListWebhooks')
  list(message: RpcCommand) {
    return handleTenantWideCommand(message, ({ tenantId, input }) => this.subscriptions.list(tenantId, validateInput(PageQueryDto, input ?? {})));
  }

  @GrpcMethod('WebhooksService', 'CreateWebhook')
  create(message: RpcCommand) {
    return handleTenantWideCommand(message, ({ tenantId, input }) => this.subscriptions.create(tenantId, validateInput(CreateWebhookDto, input)));
  }

  @GrpcMethod('WebhooksService', 'DeleteWebhook')
  remove(message: RpcCommand) {
    return handleTenantWideCommand(message, ({ tenantId, id }) => this.subscriptions.remove(tenantId, id ?? ''));
  }

  @GrpcMethod('WebhooksService', 'ListDeliveries')
  listDeliveries(message: RpcCommand) {
    return handleTenantWideCommand(message, ({ tenantId, id, input }) =>
      this.deliveries.list(tenantId, id ?? '', validateInput(ListDeliveriesQueryDto, input ?? {})),
    );
  }

  @GrpcMethod('WebhooksService', 'RetryDelivery')
  retryDelivery(message: RpcCommand) {
    return handleTenantWideCommand(message, ({ tenantId, id, input }) =>
      this.deliveries.retry(tenantId, id ?? '', validateInput(RetryDeliveryDto, input).deliveryId),
    );
  }

  @GrpcMethod('WebhooksService', 'PollTriggers')
  pollTriggers(message: RpcCommand) {
    return handleTenantWideCommand(message, ({ tenantId, input }) => this.triggers.poll(tenantId, validateInput(TriggersQueryDto, input)));
  }
}
