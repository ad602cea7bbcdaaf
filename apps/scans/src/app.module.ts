import { Global, Module } from '@nestjs/common';
import { ClientGrpc, ClientsModule } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GrpcHealthController, grpcClientOptions, Readiness, ServiceClient, serviceTokensOf } from '@passway/common';

import { AdmissionFeedRepository } from './admissions/admission-feed.repository';
import { AdmissionFeedRpcController } from './admissions/admission-feed.rpc-controller';
import { AdmissionFeedService } from './admissions/admission-feed.service';
import { PassDirectory } from './admissions/pass-directory';
import { ProjectionRefresh } from './admissions/projection-refresh';
import { SCANS_CONFIG, ScansConfig, loadScansConfig } from './config';
import { SCANS_POOL, ScanStatementPool, scansDataSourceOptions } from './database/scans-database';
import { ScanHistoryService } from './history/scan-history.service';
import { ScanRecordsRepository } from './history/scan-records.repository';
import { MessagingModule } from './messaging/messaging.module';
import { RedemptionRepository } from './redemption/redemption.repository';
import { RedemptionService } from './redemption/redemption.service';
import { UndoRepository } from './redemption/undo.repository';
import { UndoService } from './redemption/undo.service';
import { ProjectionRefreshRpcController } from './admissions/projection-refresh.rpc-controller';
import { ScanHistoryRpcController } from './history/scan-history.rpc-controller';
import { RedemptionRpcController } from './redemption/redemption.rpc-controller';

const PASSES_GRPC = 'PASSES_GRPC';

@Global()
@Module({
  providers: [
    { provide: SCANS_CONFIG, useFactory: () => loadScansConfig() },
    { provide: Readiness, useValue: new Readiness() },
  ],
  exports: [SCANS_CONFIG, Readiness],
})
class ScansCoreModule {}

@Module({
  imports: [
    ScansCoreModule,
    TypeOrmModule.forRootAsync({
      inject: [SCANS_CONFIG],
      useFactory: (config: ScansConfig) => scansDataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
    }),
    ClientsModule.registerAsync([
      { name: PASSES_GRPC, inject: [SCANS_CONFIG], useFactory: (config: ScansConfig) => grpcClientOptions(config.PASSES_GRPC_URL) },
    ]),
    MessagingModule,
  ],
  controllers: [
    GrpcHealthController,
    RedemptionRpcController,
    ScanHistoryRpcController,
    ProjectionRefreshRpcController,
    AdmissionFeedRpcController,
  ],
  providers: [
    {
      provide: SCANS_POOL,
      inject: [SCANS_CONFIG],
      useFactory: (config: ScansConfig) => new ScanStatementPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
    },
    {
      provide: PassDirectory,
      inject: [PASSES_GRPC, SCANS_CONFIG],
      useFactory: (grpc: ClientGrpc, config: ScansConfig) =>
        new PassDirectory(new ServiceClient('passes', grpc, 'PassesService', serviceTokensOf(config), config.PASSES_LOOKUP_DEADLINE_MS)),
    },
    ScanRecordsRepository,
    ProjectionRefresh,
    RedemptionRepository,
    RedemptionService,
    UndoRepository,
    UndoService,
    ScanHistoryService,
    AdmissionFeedRepository,
    AdmissionFeedService,
  ],
})
export class ScansAppModule {}
