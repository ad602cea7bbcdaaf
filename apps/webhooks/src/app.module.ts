import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GrpcHealthController, HealthController, Readiness } from '@passway/common';
import { WEBHOOKS_CONFIG, WebhooksConfig, loadWebhooksConfig } from './config';
import { webhooksDataSourceOptions } from './database/webhooks-database';
import { MessagingModule } from './messaging/messaging.module';

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
    MessagingModule,
  ],
  controllers: [HealthController, GrpcHealthController],
})
export class WebhooksAppModule {}
