import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Response } from 'express';
import { Readiness } from './readiness';

/** HTTP probes for Kubernetes and people: live = the process answers; ready = it may take work. */
@Controller('health')
export class HealthController {
  constructor(@Inject(Readiness) private readonly readiness: Readiness) {}

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const report = await this.readiness.report();
    res.status(report.ready ? 200 : 503);
    return { status: report.ready ? 'ok' : 'unavailable', checks: report.checks };
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
