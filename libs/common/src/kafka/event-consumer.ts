import { Logger } from '@nestjs/common';
import { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { DomainEvent, MalformedEventError, parseEvent } from '../events/envelope';
import { EventType } from '../events/event-types';
import { RequestContext } from '../context/request-context';
import { metrics } from '../observability/metrics';
import { Readiness } from '../health/readiness';
import { ConsumerProgress } from './consumer-progress';

/** What to do once the effect is committed (e.g. queue a job); the service's sweeper covers a crash before it runs. */
export type AfterCommit = () => Promise<void>;

/** Applies an event inside the consumer's transaction; may return work to run after the commit. */
export type EventHandler = (event: DomainEvent, manager: EntityManager, message: KafkaMessage) => Promise<void | AfterCommit>;

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
  /**
   * The app's readiness: it then waits (once, at start) until this consumer holds its partitions
   * and its group has caught up, so an app never takes work on a projection that is behind.
   */
  readiness?: Readiness;
  /** How often the group's position is compared with the end of its topics (lag in time). Default 500 ms. */
  lagProbeIntervalMs?: number;
}

/** Attempts at an event whose failure will not go away by itself, before it is set aside. */
const POISON_ATTEMPTS = 3;

/**
 * Failures that retrying cannot fix: bad data (PostgreSQL classes 22 and 23) or a handler that
 * cannot read the event. Anything else (connections, deadlocks, timeouts) is retried for ever.
 */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } })?.driverError?.code ?? (error as { code?: string })?.code;
  if (typeof code === 'string' && /^2[23]/.test(code)) return true;
  return error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError;
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
  private readonly failedAttempts = new Map<string, number>();
  private progress: ConsumerProgress | undefined;

  constructor(private readonly options: EventConsumerOptions) {
    this.logger = new Logger(`EventConsumer:${options.groupId}`);
    this.types = new Set(options.types);
    options.readiness?.register(`consumer ${options.groupId}`, async () => {
      if (!this.progress?.hasCaughtUp) throw new Error('has not joined its group and caught up yet');
    });
  }

  /** How far behind the group is, in milliseconds (Infinity until it has been seen caught up once). */
  lagMs(): number {
    return this.progress?.lagMs() ?? Number.POSITIVE_INFINITY;
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
    const { END_BATCH_PROCESS, GROUP_JOIN, STOP, CRASH } = this.consumer.events;
    this.consumer.on(END_BATCH_PROCESS, ({ payload }) => {
      metrics.consumerLag.set({ group: groupId, topic: payload.topic, partition: String(payload.partition) }, Number(payload.offsetLag));
    });
    const progress = new ConsumerProgress(kafka, groupId, topics, this.options.lagProbeIntervalMs ?? 500);
    this.progress = progress;
    this.consumer.on(GROUP_JOIN, () => progress.markJoined());
    this.consumer.on(STOP, () => progress.markLeft());
    this.consumer.on(CRASH, () => progress.markLeft());
    progress.start();
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

  /** Leaves the group (so the next start need not wait for this member's session to expire). */
  async stop(): Promise<void> {
    await this.progress?.stop();
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  /**
   * Consecutive messages in one transaction: the new event ids are recorded with one insert, and
   * the handler runs for each of those, in order. Any failure rolls the whole chunk back and
   * kafkajs delivers it again. Returns how many events took effect.
   */
  async processMany(messages: KafkaMessage[]): Promise<number> {
    try {
      return await this.applyMany(messages);
    } catch (error) {
      if (messages.length === 1 || !isPermanentFailure(error)) throw error;
      // One bad event must not hold back the chunk: apply them one by one, setting the bad one aside.
      let applied = 0;
      for (const message of messages) if (await this.process(message)) applied += 1;
      return applied;
    }
  }

  private async applyMany(messages: KafkaMessage[]): Promise<number> {
    const parsed = messages.map((message) => this.parse(message)).filter((entry): entry is ParsedMessage => entry !== null);
    if (parsed.length === 0) return 0;
    const { dataSource, schema, groupId, handle } = this.options;
    const afterCommits: AfterCommit[] = [];
    const applied = await dataSource.transaction(async (manager) => {
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO "${schema}".processed_events (consumer, event_id)
         SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [groupId, [...new Set(parsed.map(({ event }) => event.id))]],
      );
      const fresh = new Set(inserted.map((row) => row.event_id));
      let applied = 0;
      for (const { event, message } of parsed) {
        if (!fresh.delete(event.id)) continue; // seen before, or twice in this chunk
        const afterCommit = await handle(event, manager, message);
        if (afterCommit) afterCommits.push(afterCommit);
        applied += 1;
      }
      return applied;
    });
    for (const afterCommit of afterCommits) await this.runAfterCommit(afterCommit);
    return applied;
  }

  /** Public for tests that feed a message without a broker round trip. */
  async process(message: KafkaMessage): Promise<boolean> {
    const parsed = this.parse(message);
    if (!parsed) return false;
    const { event } = parsed;
    const { dataSource, schema, groupId, handle } = this.options;
    const requestId = message.headers?.['x-request-id']?.toString();
    return RequestContext.run({ requestId, tenantId: event.tenantId, eventId: event.id }, async () => {
      let applied: boolean;
      let afterCommit: AfterCommit | undefined;
      try {
        applied = await dataSource.transaction(async (manager) => {
          if (!(await this.markProcessed(manager, event.id))) return false;
          afterCommit = (await handle(event, manager, message)) ?? undefined;
          return true;
        });
      } catch (error) {
        if (!(await this.setAsideIfPoison(event, error))) throw error;
        return false;
      }
      this.failedAttempts.delete(event.id);
      metrics.eventsConsumed.inc({ group: groupId, type: event.type, outcome: applied ? 'applied' : 'duplicate' });
      if (afterCommit) await this.runAfterCommit(afterCommit);
      return applied;
    });
  }

  private async runAfterCommit(afterCommit: AfterCommit): Promise<void> {
    try {
      await afterCommit();
    } catch (error) {
      this.logger.warn(`after-commit step failed (the service's sweeper will redo it): ${(error as Error).message}`);
    }
  }

  private async markProcessed(manager: EntityManager, eventId: string): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO "${this.options.schema}".processed_events (consumer, event_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [this.options.groupId, eventId],
    );
    return inserted.length > 0;
  }

  /**
   * A poison event (a permanent failure, POISON_ATTEMPTS times) would block its partition for
   * good. It is recorded as processed without effect, logged whole at error level and counted
   * (`outcome="dead_lettered"`), so an operator can repair and replay it; the partition moves on.
   */
  private async setAsideIfPoison(event: DomainEvent, error: unknown): Promise<boolean> {
    if (!isPermanentFailure(error)) return false;
    const attempts = (this.failedAttempts.get(event.id) ?? 0) + 1;
    this.failedAttempts.set(event.id, attempts);
    if (attempts < POISON_ATTEMPTS) return false;
    this.failedAttempts.delete(event.id);
    await this.options.dataSource.transaction((manager) => this.markProcessed(manager, event.id));
    this.logger.error({ msg: 'event set aside after repeated permanent failures', error: (error as Error)?.message, event });
    metrics.eventsConsumed.inc({ group: this.options.groupId, type: event.type, outcome: 'dead_lettered' });
    return true;
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
