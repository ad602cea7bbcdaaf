import { Controller, Get, Inject, OnModuleInit, Res } from '@nestjs/common';
import { Readiness } from '@passway/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { lastValueFrom, Observable, timeout } from 'rxjs';
import { Public } from '../auth/principal';
import { SERVICE_HEALTH, ServiceHealthClients } from '../rpc/service-clients.module';

interface HealthService {
  check(request: { service: string }): Observable<{ status: string }>;
}

/**
 * `GET /health` is 200 only when the gateway and every service it forwards to are ready;
 * `/health/live` and `/health/ready` (libs/common HealthController) are the probes of the gateway alone.
 */
@ApiTags('health')
@Public()
@Controller('health')
export class GatewayHealthController implements OnModuleInit {
  private services: Record<string, HealthService> = {};

  constructor(
    @Inject(SERVICE_HEALTH) private readonly clients: ServiceHealthClients,
    private readonly gatewayReadiness: Readiness,
  ) {}

  onModuleInit(): void {
    for (const [name, client] of Object.entries(this.clients)) this.services[name] = client.getService<HealthService>('Health');
  }

  @Get()
  @ApiOkResponse({ description: 'The gateway and every service it forwards to are ready' })
  @ApiServiceUnavailableResponse({ description: 'The gateway or a service is not ready: the same body names which' })
  async overall(@Res({ passthrough: true }) res: Response) {
    const gateway = await this.gatewayReadiness.report();
    const services = Object.fromEntries(
      await Promise.all(Object.entries(this.services).map(async ([name, health]) => [name, await serviceStatus(health)] as const)),
    );
    const ready = gateway.ready && Object.values(services).every((status) => status === 'SERVING');
    res.status(ready ? 200 : 503);
    // Public: statuses only. Error texts (internal host names) stay on /health/ready, which the Ingress does not route.
    const checks = Object.fromEntries(Object.entries(gateway.checks).map(([name, check]) => [name, check.ok ? 'ok' : 'failing']));
    return { status: ready ? 'ok' : 'unavailable', gateway: checks, services };
  }
}

async function serviceStatus(health: HealthService): Promise<string> {
  try {
    const reply = await lastValueFrom(health.check({ service: '' }).pipe(timeout(2_000)));
    return reply.status;
  } catch {
    return 'UNREACHABLE';
  }
}
