import { Global, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { HttpErrorFilter, PassLinkSigner, Readiness, StrictValidationPipe } from '@passway/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator';
import { ApiKeyGuard } from './auth/api-key.guard';
import { LocationsController, TemplatesController } from './catalog/catalog.controllers';
import { SelfCheckInController } from './checkin/self-check-in.controller';
import { SelfCheckInService } from './checkin/self-check-in.service';
import { ClientsController } from './clients/clients.controller';
import { GATEWAY_CONFIG, GatewayConfig, loadGatewayConfig } from './config';
import { gatewayDataSourceOptions } from './database/gateway-database';
import { EventsController } from './events/events.controller';
import { GatewayHealthController } from './health/gateway-health.controller';
import { PassEmailsController } from './holder/pass-emails.controller';
import { PublicPassController } from './holder/public-pass.controller';
import { OrganizationController } from './organization/organization.controller';
import { PassesController } from './passes/passes.controller';
import { GatewayPoliciesModule } from './policies/gateway-policies.module';
import { REDIS, RedisModule } from './redis/redis.module';
import { ServiceClientsModule } from './rpc/service-clients.module';
import { ScansController } from './scans/scans.controller';
import { TenantsService } from './tenants/tenants.service';
import { TriggersController } from './triggers/triggers.controller';
import { WebhooksController } from './webhooks/webhooks.controller';
import { PassKitWebServiceController } from './wallet/passkit-web-service.controller';
import { WalletPassesController } from './wallet/wallet-passes.controller';
import { WalletService } from './wallet/wallet.service';

@Global()
@Module({
  providers: [
    { provide: GATEWAY_CONFIG, useFactory: () => loadGatewayConfig() },
    { provide: Readiness, useValue: new Readiness() },
  ],
  exports: [GATEWAY_CONFIG, Readiness],
})
class GatewayCoreModule {}

@Module({
  imports: [
    GatewayCoreModule,
    TypeOrmModule.forRootAsync({
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => gatewayDataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
    }),
    RedisModule,
    ServiceClientsModule,
    GatewayPoliciesModule,
  ],
  controllers: [
    GatewayHealthController, PassesController, ClientsController, TemplatesController, LocationsController, ApiKeysController,
    OrganizationController, PassEmailsController, PublicPassController, EventsController, ScansController,
    WebhooksController, TriggersController, SelfCheckInController, WalletPassesController, PassKitWebServiceController,
  ],
  providers: [
    { provide: APP_FILTER, useClass: HttpErrorFilter },
    { provide: APP_PIPE, useClass: StrictValidationPipe },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    ApiKeyAuthenticator,
    {
      provide: PassLinkSigner,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => new PassLinkSigner(config.PASS_LINK_SECRET, config.PUBLIC_BASE_URL),
    },
    ApiKeysService,
    TenantsService,
    SelfCheckInService,
    WalletService,
  ],
})
export class GatewayAppModule implements OnApplicationBootstrap {
  constructor(
    private readonly readiness: Readiness,
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register('database', () => this.dataSource.query('SELECT 1'));
    this.readiness.register('redis', () => this.redis.ping());
  }
}
