import { Global, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HttpErrorFilter, PassLinkSigner, passLinkSignerOf, Readiness, StrictValidationPipe } from '@passway/common';
import Redis from 'ioredis';
import { AccountMailer } from './accounts/account-mailer';
import { AccountsRepository } from './accounts/accounts.repository';
import { AccountsService } from './accounts/accounts.service';
import { AuthController } from './accounts/auth.controller';
import { PasswordHasher } from './accounts/password-hasher';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { AuditLogController } from './audit/audit-log.controller';
import { AuditLogRepository } from './audit/audit-log.repository';
import { AuditLogService } from './audit/audit-log.service';
import { AuditInterceptor } from './audit/audit.interceptor';
import { LiveScanFeed } from './live/live-scan-feed';
import { LiveController } from './live/live.controller';
import { OperatorsController } from './operators/operators.controller';
import { OperatorsService } from './operators/operators.service';
import { InvitationsController, MembersController } from './team/team.controller';
import { TeamRepository } from './team/team.repository';
import { TeamService } from './team/team.service';
import { SessionAuthenticator } from './auth/session-authenticator';
import { ApiKeysService } from './api-keys/api-keys.service';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator';
import { ApiKeyGuard } from './auth/api-key.guard';
import { LocationsController, TemplatesController } from './catalog/catalog.controllers';
import { SelfCheckInController } from './checkin/self-check-in.controller';
import { SelfCheckInService } from './checkin/self-check-in.service';
import { KeyRevocations } from './auth/key-revocations';
import { ClientsController } from './clients/clients.controller';
import { DeviceActivity } from './devices/device-activity';
import { DevicesController } from './devices/devices.controller';
import { DevicesRepository } from './devices/devices.repository';
import { DevicesService } from './devices/devices.service';
import { GATEWAY_CONFIG, GatewayConfig, loadGatewayConfig } from './config';
import { DatabaseHealthRepository } from './database/database-health.repository';
import { gatewayDataSourceOptions } from './database/gateway-database';
import { EventsController } from './events/events.controller';
import { GatewayHealthController } from './health/gateway-health.controller';
import { PassEmailsController } from './holder/pass-emails.controller';
import { BrandingImagesController, PublicImagesController } from './branding-images/branding-images.controller';
import { HolderPortalController } from './holder/portal/holder-portal.controller';
import { HolderPortalService } from './holder/portal/holder-portal.service';
import { PublicPassController } from './holder/public-pass.controller';
import { OrganizationController } from './organization/organization.controller';
import { PassesController } from './passes/passes.controller';
import { GatewayPoliciesModule } from './policies/gateway-policies.module';
import { REDIS, RedisModule } from './redis/redis.module';
import { ServiceClientsModule } from './rpc/service-clients.module';
import { ScansController } from './scans/scans.controller';
import { TenantsRepository } from './tenants/tenants.repository';
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
    GatewayHealthController,
    PassesController,
    ClientsController,
    TemplatesController,
    LocationsController,
    ApiKeysController,
    OrganizationController,
    PassEmailsController,
    // Before PublicPassController, whose /p/:code would take /p/portal/…
    HolderPortalController,
    BrandingImagesController,
    PublicImagesController,
    PublicPassController,
    EventsController,
    ScansController,
    WebhooksController,
    TriggersController,
    SelfCheckInController,
    AuthController,
    MembersController,
    InvitationsController,
    AuditLogController,
    OperatorsController,
    LiveController,
    DevicesController,
    WalletPassesController,
    PassKitWebServiceController,
  ],
  providers: [
    { provide: APP_FILTER, useClass: HttpErrorFilter },
    { provide: APP_PIPE, useClass: StrictValidationPipe },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    ApiKeyAuthenticator,
    {
      provide: PassLinkSigner,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => passLinkSignerOf(config),
    },
    DatabaseHealthRepository,
    ApiKeysRepository,
    ApiKeysService,
    KeyRevocations,
    DevicesRepository,
    DevicesService,
    DeviceActivity,
    TenantsRepository,
    TenantsService,
    SelfCheckInService,
    HolderPortalService,
    AccountsRepository,
    AccountsService,
    AccountMailer,
    PasswordHasher,
    AuditLogRepository,
    AuditLogService,
    SessionAuthenticator,
    TeamRepository,
    TeamService,
    OperatorsService,
    LiveScanFeed,
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
    WalletService,
  ],
})
export class GatewayAppModule implements OnApplicationBootstrap {
  constructor(
    private readonly readiness: Readiness,
    private readonly database: DatabaseHealthRepository,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register('database', () => this.database.ping());
    this.readiness.monitor('redis', () => this.redis.ping());
  }
}
