import { Global, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createKafka, kafkaReadinessCheck, Readiness } from '@passway/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { WEBHOOKS_CONFIG, WebhooksConfig } from '../config';

export const KAFKA = Symbol('KAFKA');

@Global()
@Module({
  providers: [
    {
      provide: KAFKA,
      inject: [WEBHOOKS_CONFIG],
      useFactory: (config: WebhooksConfig) =>
        createKafka({ brokers: [...config.KAFKA_BROKERS], clientId: `${config.KAFKA_CLIENT_ID_PREFIX}-webhooks` }),
    },
  ],
  exports: [KAFKA],
})
export class MessagingModule implements OnApplicationBootstrap {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly readiness: Readiness,
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register('database', () => this.dataSource.query('SELECT 1'));
    this.readiness.register('kafka', kafkaReadinessCheck(this.kafka));
  }
}
