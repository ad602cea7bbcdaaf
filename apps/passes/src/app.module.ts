import { Global, Module } from '@nestjs/common';
import { ClientsModule } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GrpcHealthController, grpcClientOptions, PassLinkSigner, passLinkSignerOf, Readiness } from '@passway/common';
import { CatalogRpcController } from './catalog/catalog.rpc-controller';
import { ClientsRepository } from './clients/clients.repository';
import { ClientsRpcController } from './clients/clients.rpc-controller';
import { ClientsService } from './clients/clients.service';
import { PASSES_CONFIG, PassesConfig, loadPassesConfig } from './config';
import { passesDataSourceOptions } from './database/passes-database';
import { SCANS_GRPC, ScansRefresh } from './door/scans-refresh';
import { EventsRepository } from './events/events.repository';
import { EventsRpcController } from './events/events.rpc-controller';
import { EventsService } from './events/events.service';
import { LocationsRepository } from './locations/locations.repository';
import { LocationsService } from './locations/locations.service';
import { MessagingModule } from './messaging/messaging.module';
import { PassViewMapper } from './passes/pass-view.mapper';
import { PassesRepository } from './passes/passes.repository';
import { PassesRpcController } from './passes/passes.rpc-controller';
import { PassesService } from './passes/passes.service';
import { ScanTallyConsumer } from './passes/scan-tally.consumer';
import { TemplatesRepository } from './templates/templates.repository';
import { TemplatesService } from './templates/templates.service';
import { WalletModule } from './wallet/wallet.module';

@Global()
@Module({
  providers: [
    { provide: PASSES_CONFIG, useFactory: () => loadPassesConfig() },
    { provide: Readiness, useValue: new Readiness() },
    {
      provide: PassLinkSigner,
      inject: [PASSES_CONFIG],
      useFactory: (config: PassesConfig) => passLinkSignerOf(config),
    },
  ],
  exports: [PASSES_CONFIG, Readiness, PassLinkSigner],
})
class PassesCoreModule {}

/** The repositories of this service's tables (docs/decisions.md), for the features here and the wallet module's. */
const REPOSITORIES = [PassesRepository, ClientsRepository, EventsRepository, TemplatesRepository, LocationsRepository];

@Global()
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
class PassesRepositoriesModule {}

@Module({
  imports: [
    PassesCoreModule,
    PassesRepositoriesModule,
    TypeOrmModule.forRootAsync({
      inject: [PASSES_CONFIG],
      useFactory: (config: PassesConfig) => passesDataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
    }),
    ClientsModule.registerAsync([
      { name: SCANS_GRPC, inject: [PASSES_CONFIG], useFactory: (config: PassesConfig) => grpcClientOptions(config.SCANS_GRPC_URL) },
    ]),
    MessagingModule,
    WalletModule,
  ],
  controllers: [GrpcHealthController, PassesRpcController, ClientsRpcController, CatalogRpcController, EventsRpcController],
  providers: [
    PassViewMapper,
    ScansRefresh,
    PassesService,
    ScanTallyConsumer,
    ClientsService,
    TemplatesService,
    LocationsService,
    EventsService,
  ],
})
export class PassesAppModule {}
