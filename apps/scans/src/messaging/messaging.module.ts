import { Global, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { KAFKA, ManagedOutbox, ServiceKafkaModule } from '@passway/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AdmissionsProjectionConsumer } from '../admissions/admissions-projection.consumer';
import { AdmissionsRepository } from '../admissions/admissions.repository';
import { SCANS_CONFIG, ScansConfig } from '../config';
import { SCANS_SCHEMA } from '../database/scans-database';

/** Kafka for the scans service: the outbox relay that publishes pass.scanned, and the admissions projection. */
@Global()
@Module({
  imports: [ServiceKafkaModule.forService('scans', SCANS_CONFIG, { schema: SCANS_SCHEMA })],
  providers: [
    {
      provide: ManagedOutbox,
      inject: [KAFKA, getDataSourceToken(), SCANS_CONFIG],
      useFactory: (kafka: Kafka, dataSource: DataSource, config: ScansConfig) =>
        new ManagedOutbox(kafka, dataSource, SCANS_SCHEMA, config.DATABASE_URL),
    },
    AdmissionsRepository,
    AdmissionsProjectionConsumer,
  ],
  exports: [ManagedOutbox, AdmissionsRepository, AdmissionsProjectionConsumer],
})
export class MessagingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly outbox: ManagedOutbox) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.outbox.stop();
  }
}
