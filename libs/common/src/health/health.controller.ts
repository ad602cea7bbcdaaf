import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicRoute } from '../observability/metrics';
import { Readiness } from './readiness';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Kubernetes probes on every app, answered by @nestjs/terminus: live = the process answers;
 * ready = every check the app registered (its database, its consumers having caught up) passes
 * and the app is not shutting down; 503 with terminus's report otherwise. The monitored
 * dependencies (Kafka, Redis) are listed under `dependencies` and never make it 503.
 */
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(Readiness) private readonly readiness: Readiness,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  @Get('live')
  @ApiOkResponse({ description: 'The process answers' })
  @ApiServiceUnavailableResponse({ description: "terminus's report" })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOkResponse({ description: 'Every readiness check passes and the app is not shutting down' })
  @ApiServiceUnavailableResponse({ description: "A check fails, or the app is shutting down: terminus's report names which" })
  async ready(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    const checks: HealthIndicatorFunction[] = this.readiness.entries().map(
      ([name, check]) =>
        async () =>
          this.indicators
            .check(name)
            .attempt(async () => {
              await check();
            })
            .withTimeout(CHECK_TIMEOUT_MS),
    );
    checks.push(() => {
      const shutdown = this.indicators.check('shutdown');
      return this.readiness.isShuttingDown ? shutdown.down('shutting down') : shutdown.up();
    });
    const dependencies = this.readiness
      .dependencies()
      .then((results) =>
        Object.fromEntries(
          Object.entries(results).map(([name, result]) => [name, result.ok ? { status: 'up' } : { status: 'down', message: result.error }]),
        ),
      );
    try {
      return { ...(await this.health.check(checks)), dependencies: await dependencies };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return { ...(error.getResponse() as object), dependencies: await dependencies };
    }
  }
}

/** The standard gRPC health service, answered from the same readiness checks. */
@Controller()
export class GrpcHealthController {
  constructor(@Inject(Readiness) private readonly readiness: Readiness) {}

  @GrpcMethod('Health', 'Check')
  async check() {
    const report = await this.readiness.report();
    return { status: report.ready ? 'SERVING' : 'NOT_SERVING' };
  }
}
