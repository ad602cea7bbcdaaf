import '@passway/common/runtime/source-maps';
import 'reflect-metadata';
import { bootstrapService, runMain, serviceTokensOf } from '@passway/common';
import { ScansAppModule } from './app.module';
import { loadScansConfig } from './config';

runMain('scans', async () => {
  const config = loadScansConfig();
  await bootstrapService({
    name: 'scans',
    module: ScansAppModule,
    grpcUrl: config.SCANS_GRPC_URL,
    httpPort: config.SCANS_HTTP_PORT,
    logLevel: config.LOG_LEVEL,
    logFormat: config.LOG_FORMAT,
    serviceTokens: serviceTokensOf(config),
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  });
});
