import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GrpcHealthController, Readiness, ServiceKafkaModule } from '@passway/common';
import { NOTIFICATIONS_CONFIG, NotificationsConfig, loadNotificationsConfig } from './config';
import { NOTIFICATIONS_SCHEMA, notificationsDataSourceOptions } from './database/notifications-database';
import { EmailsModule } from './emails/emails.module';
import { WalletModule } from './wallet/wallet.module';

@Global()
@Module({
  providers: [
    { provide: NOTIFICATIONS_CONFIG, useFactory: () => loadNotificationsConfig() },
    { provide: Readiness, useValue: new Readiness() },
  ],
  exports: [NOTIFICATIONS_CONFIG, Readiness],
})
class NotificationsCoreModule {}

@Module({
  imports: [
    NotificationsCoreModule,
    TypeOrmModule.forRootAsync({
      inject: [NOTIFICATIONS_CONFIG],
      useFactory: (config: NotificationsConfig) => notificationsDataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
    }),
    ServiceKafkaModule.forService('notifications', NOTIFICATIONS_CONFIG, { schema: NOTIFICATIONS_SCHEMA }),
    EmailsModule,
    WalletModule,
  ],
  controllers: [GrpcHealthController],
})
export class NotificationsAppModule {}
