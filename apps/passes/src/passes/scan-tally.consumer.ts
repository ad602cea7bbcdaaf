import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CONSUMER_GROUPS, consumerGroupId, EventConsumer, KAFKA, Readiness } from '@passway/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { PASSES_CONFIG, PassesConfig } from '../config';
import { PASSES_SCHEMA } from '../database/passes-database';
import { PassesService } from './passes.service';

/** Keeps usagesCount and `used` current from the scans service's pass.scanned events. */
@Injectable()
export class ScanTallyConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: EventConsumer<'pass.scanned'>;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @InjectDataSource() dataSource: DataSource,
    @Inject(PASSES_CONFIG) config: PassesConfig,
    passes: PassesService,
    readiness: Readiness,
  ) {
    this.consumer = new EventConsumer({
      kafka,
      dataSource,
      schema: PASSES_SCHEMA,
      groupId: consumerGroupId(config.KAFKA_CLIENT_ID_PREFIX, CONSUMER_GROUPS.passesScanTally),
      topics: [...CONSUMER_GROUPS.passesScanTally.topics],
      types: ['pass.scanned'],
      handle: (event, manager) => passes.applyScan(manager, event.tenantId, event.data),
      maxWaitTimeInMs: config.KAFKA_MAX_WAIT_MS,
      // Events of one pass share a partition, so parallel partitions never race on one row; a
      // door's burst of scans is counted in a few transactions, not one commit per scan.
      partitionsConsumedConcurrently: 3,
      transactionBatchSize: 100,
      readiness,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
