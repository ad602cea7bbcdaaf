import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GrpcHealthController, HealthController, Readiness } from '@passway/common';
import { SCANS_CONFIG, ScansConfig, loadScansConfig } from './config';
import { scansDataSourceOptions } from './database/scans-database';
import { MessagingModule } from './messaging/messaging.module';

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
    MessagingModule,
  ],
  controllers: [HealthController, GrpcHealthController],
})
export class ScansAppModule {}
