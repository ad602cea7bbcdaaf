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
  /** Partitions handled in parallel (kafkajs default 1); one partition's events stay in order either way. */
  partitionsConsumedConcurrently?: number;
  /**
   * Up to this many consecutive messages of a partition share one transaction (one
   * processed_events insert, one commit) instead of one each: for high-volume streams such as
   * pass.scanned. Handlers still run one event at a time, in order. Default 1.
   */
  transactionBatchSize?: number;
}

interface ParsedMessage {
  event: DomainEvent;
  message: KafkaMessage;
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
    const batchSize = this.options.transactionBatchSize ?? 1;
    const partitionsConsumedConcurrently = this.options.partitionsConsumedConcurrently ?? 1;
    if (batchSize <= 1) {
      await this.consumer.run({
        autoCommit: true,
        partitionsConsumedConcurrently,
        eachMessage: async ({ message }) => {
          await this.process(message);
        },
      });
      return;
    }
    await this.consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        for (let start = 0; start < batch.messages.length; start += batchSize) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(start, start + batchSize);
          await this.processMany(chunk);
          resolveOffset(chunk[chunk.length - 1].offset);
          await heartbeat();
        }
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  /**
   * Consecutive messages in one transaction: the new event ids are recorded with one insert, and
   * the handler runs for each of those, in order. Any failure rolls the whole chunk back and
   * kafkajs delivers it again. Returns how many events took effect.
   */
  async processMany(messages: KafkaMessage[]): Promise<number> {
    const parsed = messages.map((message) => this.parse(message)).filter((entry): entry is ParsedMessage => entry !== null);
    if (parsed.length === 0) return 0;
    const { dataSource, schema, groupId, handle } = this.options;
    return dataSource.transaction(async (manager) => {
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO "${schema}".processed_events (consumer, event_id)
         SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [groupId, [...new Set(parsed.map(({ event }) => event.id))]],
      );
      const fresh = new Set(inserted.map((row) => row.event_id));
      let applied = 0;
      for (const { event, message } of parsed) {
        if (!fresh.delete(event.id)) continue; // seen before, or twice in this chunk
        await handle(event, manager, message);
        applied += 1;
      }
      return applied;
    });
  }

  /** Public for tests that feed a message without a broker round trip. */
  async process(message: KafkaMessage): Promise<boolean> {
    const parsed = this.parse(message);
    if (!parsed) return false;
    const { event } = parsed;
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

  /** The event a message carries, or null when it is malformed or of a type this consumer ignores. */
  private parse(message: KafkaMessage): ParsedMessage | null {
    let event: DomainEvent;
    try {
      event = parseEvent(message.value);
    } catch (error) {
      if (error instanceof MalformedEventError) {
        this.logger.warn(`skipping malformed message at offset ${message.offset}: ${error.message}`);
        return null;
      }
      throw error;
    }
    return this.types.has(event.type) ? { event, message } : null;
  }
}
