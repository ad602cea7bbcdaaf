import { Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { KAFKA, ManagedOutbox, ServiceKafkaModule } from '@passway/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { PASSES_CONFIG, PassesConfig } from '../config';
import { PASSES_SCHEMA } from '../database/passes-database';

/** Kafka for the passes service, and the outbox relay that publishes its domain events. */
@Global()
@Module({
  imports: [ServiceKafkaModule.forService('passes', PASSES_CONFIG, { schema: PASSES_SCHEMA })],
  providers: [
    {
      provide: ManagedOutbox,
      inject: [KAFKA, getDataSourceToken(), PASSES_CONFIG],
      useFactory: (kafka: Kafka, dataSource: DataSource, config: PassesConfig) =>
        new ManagedOutbox(kafka, dataSource, PASSES_SCHEMA, config.DATABASE_URL),
    },
  ],
  exports: [ManagedOutbox],
})
export class MessagingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(ManagedOutbox) private readonly outbox: ManagedOutbox) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.outbox.stop();
  }
}
