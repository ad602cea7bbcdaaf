import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CONSUMER_GROUPS, consumerGroupId, EventConsumer, KAFKA, Readiness } from '@passway/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { SCANS_CONFIG, ScansConfig } from '../config';
import { SCANS_SCHEMA } from '../database/scans-database';
import { AdmissionsRepository } from './admissions.repository';

type ProjectedEvent = 'pass.created' | 'pass.updated' | 'pass.status_changed' | 'event.created' | 'event.updated';

/** Projects the passes service's pass and event events into scans.admissions (every pass's scan rules) and scans.events. */
@Injectable()
export class AdmissionsProjectionConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: EventConsumer<ProjectedEvent>;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @InjectDataSource() dataSource: DataSource,
    @Inject(SCANS_CONFIG) config: ScansConfig,
    admissions: AdmissionsRepository,
    readiness: Readiness,
  ) {
    this.consumer = new EventConsumer({
      kafka,
      dataSource,
      schema: SCANS_SCHEMA,
      groupId: consumerGroupId(config.KAFKA_CLIENT_ID_PREFIX, CONSUMER_GROUPS.scansAdmissions),
      topics: [...CONSUMER_GROUPS.scansAdmissions.topics],
      types: ['pass.created', 'pass.updated', 'pass.status_changed', 'event.created', 'event.updated'],
      handle: async (event, manager) => {
        if (event.type === 'event.created' || event.type === 'event.updated') await admissions.applyEvent(event.data, manager);
        else await admissions.apply(event.data, manager);
      },
      maxWaitTimeInMs: config.KAFKA_MAX_WAIT_MS,
      readiness,
    });
  }

  /** How current the projection is: the consumer group's lag. */
  lagMs(): number {
    return this.consumer.lagMs();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
