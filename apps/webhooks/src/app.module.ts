import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GrpcHealthController, Readiness, ServiceKafkaModule } from '@passway/common';
import { WEBHOOKS_CONFIG, WebhooksConfig, loadWebhooksConfig } from './config';
import { WEBHOOKS_SCHEMA, webhooksDataSourceOptions } from './database/webhooks-database';
import { DeliveryQueue } from './delivery/delivery-queue';
import { DeliverySweeper } from './delivery/delivery-sweeper';
import { DeliveryWorker } from './delivery/delivery-worker';
import { HttpSender } from './delivery/http-sender';
import { RetrySchedule } from './delivery/retry-schedule';
import { EventIntake } from './events/event-intake';
import { EventLogRepository } from './events/event-log.repository';
import { LogRetention } from './events/log-retention';
import { SecretBox } from './signing/secret-box';
import { DeliveriesRepository } from './subscriptions/deliveries.repository';
import { DeliveriesService } from './subscriptions/deliveries.service';
import { SubscriptionsRepository } from './subscriptions/subscriptions.repository';
import { SubscriptionsService } from './subscriptions/subscriptions.service';
import { TargetGuard } from './targets/target-guard';
import { TriggersService } from './triggers/triggers.service';
import { SubscriptionsRpcController } from './subscriptions/subscriptions.rpc-controller';
import { TriggersRpcController } from './triggers/triggers.rpc-controller';

@Global()
@Module({
  providers: [
    { provide: WEBHOOKS_CONFIG, useFactory: () => loadWebhooksConfig() },
    { provide: Readiness, useValue: new Readiness() },
  ],
  exports: [WEBHOOKS_CONFIG, Readiness],
})
class WebhooksCoreModule {}

@Module({
  imports: [
    WebhooksCoreModule,
    TypeOrmModule.forRootAsync({
      inject: [WEBHOOKS_CONFIG],
      useFactory: (config: WebhooksConfig) => webhooksDataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
    }),
    ServiceKafkaModule.forService('webhooks', WEBHOOKS_CONFIG, { schema: WEBHOOKS_SCHEMA }),
  ],
  controllers: [GrpcHealthController, SubscriptionsRpcController, TriggersRpcController],
  providers: [
    { provide: SecretBox, inject: [WEBHOOKS_CONFIG], useFactory: (config: WebhooksConfig) => new SecretBox(config.WEBHOOK_SECRET_KEY) },
    {
      provide: TargetGuard,
      inject: [WEBHOOKS_CONFIG],
      useFactory: (config: WebhooksConfig) => new TargetGuard(config.WEBHOOK_ALLOW_PRIVATE_TARGETS),
    },
    {
      provide: HttpSender,
      inject: [TargetGuard, WEBHOOKS_CONFIG],
      useFactory: (guard: TargetGuard, config: WebhooksConfig) => new HttpSender(guard, config.WEBHOOK_TIMEOUT_MS),
    },
    {
      provide: RetrySchedule,
      inject: [WEBHOOKS_CONFIG],
      useFactory: (config: WebhooksConfig) => new RetrySchedule(config.WEBHOOK_RETRY_DELAYS_MS),
    },
    SubscriptionsRepository,
    DeliveriesRepository,
    EventLogRepository,
    DeliveryQueue,
    DeliveryWorker,
    DeliverySweeper,
    EventIntake,
    LogRetention,
    SubscriptionsService,
    DeliveriesService,
    TriggersService,
  ],
})
export class WebhooksAppModule {}
