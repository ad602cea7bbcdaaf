import '@passway/common/runtime/source-maps';
import 'reflect-metadata';
import { bootstrapService, runMain, serviceTokensOf } from '@passway/common';
import { NotificationsAppModule } from './app.module';
import { EmailTransport } from './emails/email-transport';
import { loadNotificationsConfig } from './config';

runMain('notifications', async () => {
  const config = loadNotificationsConfig();
  await bootstrapService({
    name: 'notifications',
    module: NotificationsAppModule,
    grpcUrl: config.NOTIFICATIONS_GRPC_URL,
    httpPort: config.NOTIFICATIONS_HTTP_PORT,
    logLevel: config.LOG_LEVEL,
    logFormat: config.LOG_FORMAT,
    serviceTokens: serviceTokensOf(config),
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    describe: (app) => `emails go through ${app.get(EmailTransport).provider}`,
  });
});
