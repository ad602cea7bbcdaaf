import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CONSUMER_GROUPS, DomainEvent, EventConsumer, EventConsumers, SCAN_STREAM_FETCH } from '@passway/common';
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

  constructor(consumers: EventConsumers, passes: PassesService) {
    this.consumer = consumers.create({
      group: CONSUMER_GROUPS.passesScanTally,
      types: ['pass.scanned', 'pass.admission_undone'],
      handleBatch: (events, manager) =>
        passes.applyScans(
          manager,
          events.flatMap(({ event }) => tallyChangeOf(event)),
        ),
      // Events of one pass share a partition, so parallel partitions never race on one row; a
      // door's burst of scans is counted in a few statements, one per pass-batch, not one per scan.
      partitionsConsumedConcurrently: 3,
      transactionBatchSize: 500,
      fetchBatching: SCAN_STREAM_FETCH,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
