import { Module } from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config';
import { ApnsSender, LogApnsSender, NodeApnSender } from './apple-push/apns-sender';
import { WalletPushQueue } from './apple-push/wallet-push.queue';
import { WalletPusher } from './apple-push/wallet-pusher';
import { GoogleSyncQueue } from './google-sync/google-sync.queue';
import { GoogleSyncsRepository } from './google-sync/google-syncs.repository';
import { GoogleWalletClient } from './google-sync/google-wallet.client';
import { WalletChangeConsumer } from './wallet-change.consumer';
import { WalletRegistrationsRepository } from './wallet-registrations.repository';
import { WalletRegistrationsService } from './wallet-registrations.service';
import { WalletRpcController } from './wallet.rpc-controller';

export function createApnsSender(config: NotificationsConfig): ApnsSender {
  if (config.apnsProvider === 'log' || !config.apple) return new LogApnsSender();
  return new NodeApnSender(config.apple, config.APNS_ORIGIN, config.APNS_CA, config.WALLET_PUSH_TIMEOUT_MS);
}

/** "Notifies wallet apps": Apple device registrations and pushes (and Google Wallet object sync). */
@Module({
  controllers: [WalletRpcController],
  providers: [
    { provide: ApnsSender, inject: [NOTIFICATIONS_CONFIG], useFactory: createApnsSender },
    {
      provide: GoogleWalletClient,
      inject: [NOTIFICATIONS_CONFIG],
      useFactory: (config: NotificationsConfig) =>
        config.google ? new GoogleWalletClient(config.google, config.WALLET_PUSH_TIMEOUT_MS) : null,
    },
    GoogleSyncsRepository,
    GoogleSyncQueue,
    WalletRegistrationsRepository,
    WalletRegistrationsService,
    WalletPusher,
    WalletPushQueue,
    WalletChangeConsumer,
  ],
})
export class WalletModule {}
