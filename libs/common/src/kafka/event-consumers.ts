import { Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EventType } from '../events/event-types';
import { Readiness } from '../health/readiness';
import { ConsumerGroupSpec, consumerGroupId } from './consumer-groups';
import { EventConsumer, EventConsumerOptions } from './event-consumer';

/** What a service's consumer says about itself; the service's Kafka client, database, group prefix and readiness are filled in. */
export type ConsumerDeclaration<T extends EventType> = Omit<
  EventConsumerOptions<T>,
  'kafka' | 'dataSource' | 'schema' | 'groupId' | 'topics' | 'maxWaitTimeInMs' | 'readiness'
> & {
  /** The group, from CONSUMER_GROUPS: its id (after the service's prefix) and the topics it reads. */
  group: ConsumerGroupSpec;
};

/** The settings every consumer of one service shares. */
export interface ServiceConsumerSettings {
  kafka: Kafka;
  dataSource: DataSource;
  readiness: Readiness;
  /** The schema of the service's processed_events table. */
  schema: string;
  groupIdPrefix: string;
  maxWaitTimeInMs: number;
}

/**
 * Builds a service's EventConsumers from their declarations (provided by ServiceKafkaModule), so a
 * consumer class names only its group, its event types and its handler.
 */
@Injectable()
export class EventConsumers {
  constructor(private readonly settings: ServiceConsumerSettings) {}

  create<T extends EventType>({ group, ...declaration }: ConsumerDeclaration<T>): EventConsumer<T> {
    const { kafka, dataSource, readiness, schema, groupIdPrefix, maxWaitTimeInMs } = this.settings;
    return new EventConsumer<T>({
      ...declaration,
      kafka,
      dataSource,
      readiness,
      schema,
      groupId: consumerGroupId(groupIdPrefix, group),
      topics: [...group.topics],
      maxWaitTimeInMs,
    });
  }
}
