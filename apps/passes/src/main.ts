import '@passway/common/runtime/source-maps';
import 'reflect-metadata';
import { bootstrapService, runMain, serviceTokensOf } from '@passway/common';
import { PassesAppModule } from './app.module';
import { loadPassesConfig } from './config';

runMain('passes', async () => {
  const config = loadPassesConfig();
  await bootstrapService({
    name: 'passes',
    module: PassesAppModule,
    grpcUrl: config.PASSES_GRPC_URL,
    httpPort: config.PASSES_HTTP_PORT,
    logLevel: config.LOG_LEVEL,
    logFormat: config.LOG_FORMAT,
    serviceTokens: serviceTokensOf(config),
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  });
});
