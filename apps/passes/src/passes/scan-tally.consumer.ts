import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CONSUMER_GROUPS, consumerGroupId, DomainEvent, EventConsumer, KAFKA, Readiness } from '@passway/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { PASSES_CONFIG, PassesConfig } from '../config';
import { PASSES_SCHEMA } from '../database/passes-database';
import { PassesService, TallyChange } from './passes.service';

/** A successful scan or an undo changed the counter; a refused scan did not. */
function tallyChangeOf(event: DomainEvent<'pass.scanned' | 'pass.admission_undone'>): TallyChange[] {
  if (event.type === 'pass.scanned' && !event.data.success) return [];
  const { passId, usagesCount, passStatus, tallyVersion } = event.data;
  // pass.scanned from before the counter had a version: the version was the count.
  return [{ tenantId: event.tenantId, passId, usagesCount, passStatus, tallyVersion: tallyVersion ?? usagesCount }];
}

/** Keeps usagesCount and `used` current from the scans service's pass.scanned and pass.admission_undone events. */
@Injectable()
export class ScanTallyConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: EventConsumer<'pass.scanned' | 'pass.admission_undone'>;

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
      types: ['pass.scanned', 'pass.admission_undone'],
      handleBatch: (events, manager) =>
        passes.applyScans(
          manager,
          events.flatMap(({ event }) => tallyChangeOf(event)),
        ),
      maxWaitTimeInMs: config.KAFKA_MAX_WAIT_MS,
      // Events of one pass share a partition, so parallel partitions never race on one row; a
      // door's burst of scans is counted in a few statements, one per pass-batch, not one per scan.
      partitionsConsumedConcurrently: 3,
      transactionBatchSize: 500,
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
