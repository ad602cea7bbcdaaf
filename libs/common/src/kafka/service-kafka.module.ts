import { DynamicModule, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Readiness } from '../health/readiness';
import { EventConsumers } from './event-consumers';
import { createKafka } from './kafka-client';
import { kafkaReadinessCheck } from './managed-outbox';
import { KafkaSecurityConfig } from './kafka-security';

/** The service's kafkajs client. */
export const KAFKA = Symbol('KAFKA');

interface KafkaConfig extends KafkaSecurityConfig {
  KAFKA_BROKERS: readonly string[];
  KAFKA_CLIENT_ID_PREFIX: string;
  KAFKA_MAX_WAIT_MS: number;
}

/**
 * A backend service's Kafka client, and its EventConsumers (processed_events in `schema`). Readiness
 * checks the service's database; Kafka is only monitored (passway_dependency_up), so a Kafka blip
 * never takes the service out of rotation.
 */
@Module({})
export class ServiceKafkaModule implements OnApplicationBootstrap {
  static forService(service: string, configToken: symbol, { schema }: { schema: string }): DynamicModule {
    return {
      module: ServiceKafkaModule,
      global: true,
      providers: [
        {
          provide: KAFKA,
          inject: [configToken],
          useFactory: (config: KafkaConfig) =>
            createKafka({ brokers: [...config.KAFKA_BROKERS], clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-${service}`, security: config }),
        },
        {
          provide: EventConsumers,
          inject: [KAFKA, getDataSourceToken(), Readiness, configToken],
          useFactory: (kafka: Kafka, dataSource: DataSource, readiness: Readiness, config: KafkaConfig) =>
            new EventConsumers({
              kafka,
              dataSource,
              readiness,
              schema,
              groupIdPrefix: config.KAFKA_CLIENT_ID_PREFIX,
              maxWaitTimeInMs: config.KAFKA_MAX_WAIT_MS,
            }),
        },
      ],
      exports: [KAFKA, EventConsumers],
    };
  }

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly readiness: Readiness,
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register('database', () => this.dataSource.query('SELECT 1'));
    this.readiness.monitor('kafka', kafkaReadinessCheck(this.kafka));
  }
}
