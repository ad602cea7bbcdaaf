import '@passway/common/runtime/source-maps';
import 'reflect-metadata';
import { bootstrapService, runMain, serviceTokensOf } from '@passway/common';
import { WebhooksAppModule } from './app.module';
import { loadWebhooksConfig } from './config';

runMain('webhooks', async () => {
  const config = loadWebhooksConfig();
  await bootstrapService({
    name: 'webhooks',
    module: WebhooksAppModule,
    grpcUrl: config.WEBHOOKS_GRPC_URL,
    httpPort: config.WEBHOOKS_HTTP_PORT,
    logLevel: config.LOG_LEVEL,
    logFormat: config.LOG_FORMAT,
    serviceTokens: serviceTokensOf(config),
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  });
});
