import { Logger } from '@nestjs/common';
import { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { DomainEvent, MalformedEventError, parseEvent } from '../events/envelope';
import { EventType } from '../events/event-types';
import { RequestContext } from '../context/request-context';
import { metrics } from '../observability/metrics';

export type EventHandler = (event: DomainEvent, manager: EntityManager, message: KafkaMessage) => Promise<void>;

export interface EventConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  /** Postgres schema holding this service's processed_events table. */
  schema: string;
  groupId: string;
  topics: string[];
  /** Event types this consumer acts on; others are acknowledged and skipped. */
  types: readonly EventType[];
  handle: EventHandler;
  maxWaitTimeInMs: number;
  fromBeginning?: boolean;
}

/**
 * An idempotent consumer: the event id is recorded in processed_events in the same transaction
 * as the handler's effect, so a redelivered event changes nothing; kafkajs commits the offset
 * only after eachMessage resolves, so a crash before commit redelivers rather than loses.
 */
export class EventConsumer {
  private readonly logger: Logger;
  private consumer: Consumer | undefined;
  private readonly types: Set<string>;

  constructor(private readonly options: EventConsumerOptions) {
    this.logger = new Logger(`EventConsumer:${options.groupId}`);
    this.types = new Set(options.types);
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics, maxWaitTimeInMs } = this.options;
    this.consumer = kafka.consumer({
      groupId,
      maxWaitTimeInMs,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 300 },
    });
    const { END_BATCH_PROCESS } = this.consumer.events;
    this.consumer.on(END_BATCH_PROCESS, ({ payload }) => {
      metrics.consumerLag.set({ group: groupId, topic: payload.topic, partition: String(payload.partition) }, Number(payload.offsetLag));
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: true,
      eachMessage: async ({ message }) => {
        await this.process(message);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  /** Public for tests that feed a message without a broker round trip. */
  async process(message: KafkaMessage): Promise<boolean> {
    let event: DomainEvent;
    try {
      event = parseEvent(message.value);
    } catch (error) {
      if (error instanceof MalformedEventError) {
        this.logger.warn(`skipping malformed message at offset ${message.offset}: ${error.message}`);
        return false;
      }
      throw error;
    }
    if (!this.types.has(event.type)) return false;
    const { dataSource, schema, groupId, handle } = this.options;
    const requestId = message.headers?.['x-request-id']?.toString();
    const applied = await RequestContext.run({ requestId, tenantId: event.tenantId, eventId: event.id }, () =>
      dataSource.transaction(async (manager) => {
        const inserted: unknown[] = await manager.query(
          `INSERT INTO "${schema}".processed_events (consumer, event_id) VALUES ($1, $2)
           ON CONFLICT DO NOTHING RETURNING event_id`,
          [groupId, event.id],
        );
        if (inserted.length === 0) return false;
        await handle(event, manager, message);
        return true;
      }),
    );
    metrics.eventsConsumed.inc({ group: groupId, type: event.type, outcome: applied ? 'applied' : 'duplicate' });
    return applied;
  }
}
