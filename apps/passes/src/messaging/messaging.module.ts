import { Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createKafka, kafkaReadinessCheck, ManagedOutbox, Readiness } from '@passway/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { PASSES_CONFIG, PassesConfig } from '../config';
import { PASSES_SCHEMA } from '../database/passes-database';

export const KAFKA = Symbol('KAFKA');

@Global()
@Module({
  providers: [
    {
      provide: KAFKA,
      inject: [PASSES_CONFIG],
      useFactory: (config: PassesConfig) =>
        createKafka({ brokers: [...config.KAFKA_BROKERS], clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-passes` }),
    },
    {
      provide: ManagedOutbox,
      inject: [KAFKA, getDataSourceToken(), PASSES_CONFIG],
      useFactory: (kafka: Kafka, dataSource: DataSource, config: PassesConfig) =>
        new ManagedOutbox(kafka, dataSource, PASSES_SCHEMA, config.DATABASE_URL),
    },
  ],
  exports: [KAFKA, ManagedOutbox],
})
export class MessagingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly outbox: ManagedOutbox,
    private readonly readiness: Readiness,
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.register('database', () => this.dataSource.query('SELECT 1'));
    this.readiness.register('kafka', kafkaReadinessCheck(this.kafka));
    await this.outbox.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.outbox.stop();
  }
}
