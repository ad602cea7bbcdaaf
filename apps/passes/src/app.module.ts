import { Global, Module } from '@nestjs/common';
import { ClientsModule } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GrpcHealthController, grpcClientOptions, PassLinkSigner, passLinkSignerOf, Readiness } from '@passway/common';
import { CatalogRpcController } from './catalog/catalog.rpc-controller';
import { ClientsRpcController } from './clients/clients.rpc-controller';
import { ClientsService } from './clients/clients.service';
import { PASSES_CONFIG, PassesConfig, loadPassesConfig } from './config';
import { passesDataSourceOptions } from './database/passes-database';
import { SCANS_GRPC, ScansRefresh } from './door/scans-refresh';
import { EventsRpcController } from './events/events.rpc-controller';
import { EventsService } from './events/events.service';
import { LocationsService } from './locations/locations.service';
import { MessagingModule } from './messaging/messaging.module';
import { PassViewMapper } from './passes/pass-view.mapper';
import { PassesRpcController } from './passes/passes.rpc-controller';
import { PassesService } from './passes/passes.service';
import { ScanTallyConsumer } from './passes/scan-tally.consumer';
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

@Module({
  imports: [
    PassesCoreModule,
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
