import { Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import {
  CONSUMER_GROUPS, consumerGroupId, createKafka, EventConsumer, EventView, kafkaReadinessCheck, ManagedOutbox, PassView, Readiness,
} from '@passway/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AdmissionsRepository } from '../admissions/admissions.repository';
import { SCANS_CONFIG, ScansConfig } from '../config';
import { SCANS_SCHEMA } from '../database/scans-database';

export const KAFKA = Symbol('KAFKA');
export const ADMISSIONS_PROJECTION = Symbol('ADMISSIONS_PROJECTION');

@Global()
@Module({
  providers: [
    {
      provide: KAFKA,
      inject: [SCANS_CONFIG],
      useFactory: (config: ScansConfig) =>
        createKafka({ brokers: [...config.KAFKA_BROKERS], clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-scans`, security: config }),
    },
    {
      provide: ManagedOutbox,
      inject: [KAFKA, getDataSourceToken(), SCANS_CONFIG],
      useFactory: (kafka: Kafka, dataSource: DataSource, config: ScansConfig) =>
        new ManagedOutbox(kafka, dataSource, SCANS_SCHEMA, config.DATABASE_URL),
    },
    AdmissionsRepository,
    {
      // The passes service's pass and event events → scans.admissions (the scan rules of every pass) and scans.events.
      provide: ADMISSIONS_PROJECTION,
      inject: [KAFKA, getDataSourceToken(), SCANS_CONFIG, AdmissionsRepository, Readiness],
      useFactory: (kafka: Kafka, dataSource: DataSource, config: ScansConfig, admissions: AdmissionsRepository, readiness: Readiness) =>
        new EventConsumer({
          kafka,
          dataSource,
          schema: SCANS_SCHEMA,
          groupId: consumerGroupId(config.KAFKA_CLIENT_ID_PREFIX, CONSUMER_GROUPS.scansAdmissions),
          topics: [...CONSUMER_GROUPS.scansAdmissions.topics],
          types: ['pass.created', 'pass.updated', 'pass.status_changed', 'event.created', 'event.updated'],
          handle: async (event, manager) => {
            if (event.type === 'event.created' || event.type === 'event.updated') await admissions.applyEvent(event.data as EventView, manager);
            else await admissions.apply(event.data as PassView, manager);
          },
          maxWaitTimeInMs: config.KAFKA_MAX_WAIT_MS,
          readiness,
        }),
    },
  ],
  exports: [KAFKA, ManagedOutbox, AdmissionsRepository, ADMISSIONS_PROJECTION],
})
export class MessagingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly outbox: ManagedOutbox,
    @Inject(ADMISSIONS_PROJECTION) private readonly projection: EventConsumer,
    private readonly readiness: Readiness,
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.register('database', () => this.dataSource.query('SELECT 1'));
    this.readiness.monitor('kafka', kafkaReadinessCheck(this.kafka));
    await this.outbox.start();
    await this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
    await this.outbox.stop();
  }
}
