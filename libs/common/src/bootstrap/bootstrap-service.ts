import { INestApplication, Logger, Module, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from '../health/health.controller';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from '../config/config';
import { Readiness } from '../health/readiness';
import { closeConnectionsWhenDraining, handleShutdownSignals } from '../lifecycle/graceful-shutdown';
import { AppLogLevel, createAppLogger, LogFormat } from '../logging/logger';
import { httpMetricsMiddleware, initMetrics, MetricsController } from '../observability/metrics';
import { grpcServerOptions } from '../rpc/grpc-options';
import { ServiceCallGuard } from '../rpc/service-call.guard';
import { ServiceTokens } from '../rpc/service-token';

export interface ServiceBootstrap {
  name: string;
  module: Type<unknown>;
  grpcUrl?: string;
  /** Verifies the service token of every gRPC call. */
  serviceTokens: ServiceTokens;
  httpPort: number;
  logLevel: AppLogLevel;
  logFormat: LogFormat;
  shutdownGraceMs: number;
  /** What else the one "ready" line should say (e.g. where emails go). */
  describe?: (app: INestApplication) => string;
}

/** The app's module plus what every Passway process serves: `/metrics`, `/health/live`, `/health/ready`. */
export function withObservability(appModule: Type<unknown>, name: string): Type<unknown> {
  initMetrics(name);
  @Module({ imports: [appModule, TerminusModule], controllers: [MetricsController, HealthController] })
  class ObservedAppModule {}
  return ObservedAppModule;
}

/** Starts a backend service: gRPC commands (if any) plus an HTTP port for health and metrics. */
export async function bootstrapService(options: ServiceBootstrap): Promise<INestApplication> {
  const logger = createAppLogger(options.name, options.logLevel, { format: options.logFormat });
  const app = await NestFactory.create(withObservability(options.module, options.name), { logger, bufferLogs: true });
  app.use(httpMetricsMiddleware);
  app.use(closeConnectionsWhenDraining(app.get(Readiness)));
  if (options.grpcUrl) {
    // Global guards must be in place before the microservice binds its handlers, which connecting does;
    // the guard passes HTTP requests (health, metrics) through.
    app.useGlobalGuards(new ServiceCallGuard(options.serviceTokens));
    app.connectMicroservice(grpcServerOptions(options.grpcUrl), { inheritAppConfig: true });
  }
  handleShutdownSignals(app, app.get(Readiness), options.shutdownGraceMs);
  await app.startAllMicroservices();
  await app.listen(options.httpPort, '0.0.0.0');
  const extra = options.describe ? `; ${options.describe(app)}` : '';
  logger.log(`${options.name} ready: http :${options.httpPort}${options.grpcUrl ? `, grpc ${options.grpcUrl}` : ''}${extra}`);
  return app;
}

/** Runs an app's main, turning configuration errors into one clear message and exit code 78 (EX_CONFIG). */
export function runMain(name: string, main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exit(78);
    }
    new Logger(name).error(`failed to start: ${error instanceof Error && error.stack ? error.stack : String(error)}`);
    process.exit(1);
  });
}
