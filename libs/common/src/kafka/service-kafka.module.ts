import { DynamicModule, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Readiness } from '../health/readiness';
import { createKafka } from './kafka-client';
import { kafkaReadinessCheck } from './managed-outbox';
import { KafkaSecurityConfig } from './kafka-security';

/** The service's kafkajs client. */
export const KAFKA = Symbol('KAFKA');

interface KafkaConfig extends KafkaSecurityConfig {
  KAFKA_BROKERS: readonly string[];
  KAFKA_CLIENT_ID_PREFIX: string;
}

/**
 * A backend service's Kafka client. Readiness checks the service's database; Kafka is only
 * monitored (passway_dependency_up), so a Kafka blip never takes the service out of rotation.
 */
@Module({})
export class ServiceKafkaModule implements OnApplicationBootstrap {
  static forService(service: string, configToken: symbol): DynamicModule {
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
      ],
      exports: [KAFKA],
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
