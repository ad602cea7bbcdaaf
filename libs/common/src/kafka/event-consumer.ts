import { Logger } from '@nestjs/common';
import { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { DomainEvent, MalformedEventError, parseEvent } from '../events/envelope';
import { topicFor } from '../events/topics';
import { EventType } from '../events/event-types';
import { RequestContext } from '../context/request-context';
import { metrics } from '../observability/metrics';
import { Readiness } from '../health/readiness';
import { ConsumerProgress } from './consumer-progress';

/** What to do once the effect is committed (e.g. queue a job); the service's sweeper covers a crash before it runs. */
export type AfterCommit = () => Promise<void>;

/** Applies an event inside the consumer's transaction; may return work to run after the commit. */
export type EventHandler<T extends EventType = EventType> = (event: DomainEvent<T>, manager: EntityManager, message: KafkaMessage) => Promise<void | AfterCommit>;

/** `types` are the event types this consumer acts on; its handler receives only those, with their data typed. */
export interface EventConsumerOptions<T extends EventType = EventType> {
  kafka: Kafka;
  dataSource: DataSource;
  /** Postgres schema holding this service's processed_events table. */
  schema: string;
  groupId: string;
  topics: string[];
  /** Event types this consumer acts on; others are acknowledged and skipped. */
  types: readonly T[];
  handle: EventHandler<T>;
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
 * processed_events rows are kept this long: longer than the topics' 7-day retention, so an event
 * redelivered from the log is still recognised; older rows can never match and are purged.
 */
export const PROCESSED_EVENT_RETENTION_MS = 8 * 24 * 60 * 60 * 1000;
const PURGE_INTERVAL_MS = 60 * 60 * 1000;
const PURGE_BATCH = 5_000;
/** How often a consumer looks for dead letters an operator asked to replay. */
const REPLAY_POLL_MS = 5_000;

/**
 * Failures that retrying cannot fix: bad data (PostgreSQL classes 22 and 23) or an event that is not
 * JSON. Anything else is retried for ever: connections, deadlocks, timeouts, and also TypeError and
 * RangeError, which are bugs in a handler. A bug holds its partition until the fix is deployed
 * (visible as consumer lag) rather than silently setting events aside.
 */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } })?.driverError?.code ?? (error as { code?: string })?.code;
  if (typeof code === 'string' && /^2[23]/.test(code)) return true;
  return error instanceof SyntaxError;
}

interface ParsedMessage<T extends EventType> {
  event: DomainEvent & DomainEvent<T>;
  message: KafkaMessage;
}

/**
 * An idempotent consumer: the event id is recorded in processed_events in the same transaction
 * as the handler's effect, so a redelivered event changes nothing; kafkajs commits the offset
 * only after eachMessage resolves, so a crash before commit redelivers rather than loses.
 */
export class EventConsumer<T extends EventType = EventType> {
  private readonly logger: Logger;
  private consumer: Consumer | undefined;
  private readonly types: ReadonlySet<EventType>;
  private readonly failedAttempts = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private progress: ConsumerProgress | undefined;

  constructor(private readonly options: EventConsumerOptions<T>) {
    this.logger = new Logger(`EventConsumer:${options.groupId}`);
    this.types = new Set<EventType>(options.types);
    options.readiness?.register(`consumer ${options.groupId}`, async () => {
      if (!this.progress?.hasCaughtUp) throw new Error('has not joined its group and caught up yet');
    });
  }

  private accepts(event: DomainEvent): event is DomainEvent & DomainEvent<T> {
    return this.types.has(event.type);
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
    this.startHousekeeping();
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
    for (const timer of this.timers.splice(0)) clearInterval(timer);
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
    const parsed = messages.map((message) => this.parse(message)).filter((entry): entry is ParsedMessage<T> => entry !== null);
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
    const { dataSource, groupId, handle } = this.options;
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
        if (!(await this.setAsideIfPoison(event, message, error))) throw error;
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
   * good. In one transaction it is recorded as processed without effect and kept, message and last
   * error, in the service's dead_letters table; it is counted (`passway_events_consumed_total`,
   * `outcome="dead_lettered"`) and logged by id and type only (the event carries personal data).
   * The partition moves on; `npm run cli -- dead-letters replay` puts it through the handler again.
   */
  private async setAsideIfPoison(event: DomainEvent, message: KafkaMessage, error: unknown): Promise<boolean> {
    if (!isPermanentFailure(error)) return false;
    const attempts = (this.failedAttempts.get(event.id) ?? 0) + 1;
    this.failedAttempts.set(event.id, attempts);
    if (attempts < POISON_ATTEMPTS) return false;
    this.failedAttempts.delete(event.id);
    const { schema, groupId } = this.options;
    const reason = String((error as Error)?.message ?? error).slice(0, 2000);
    await this.options.dataSource.transaction(async (manager) => {
      await this.markProcessed(manager, event.id);
      await manager.query(
        `INSERT INTO "${schema}".dead_letters (consumer, event_id, event_type, tenant_id, topic, message_key, message_value, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (consumer, event_id) DO UPDATE SET error = EXCLUDED.error, failed_at = now(), replay_requested_at = NULL, replayed_at = NULL`,
        [groupId, event.id, event.type, event.tenantId ?? null, topicFor(event.type), message.key?.toString() ?? null, message.value!.toString(), reason],
      );
    });
    this.logger.error({ msg: 'event dead-lettered after repeated permanent failures', eventId: event.id, type: event.type, tenantId: event.tenantId, error: reason });
    metrics.eventsConsumed.inc({ group: groupId, type: event.type, outcome: 'dead_lettered' });
    return true;
  }

  private startHousekeeping(): void {
    const every = (ms: number, task: () => Promise<unknown>, what: string) => {
      const timer = setInterval(() => void task().catch((error) => this.logger.warn(`${what} failed: ${(error as Error).message}`)), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(PURGE_INTERVAL_MS, () => this.purgeProcessedEvents(), 'purging processed events');
    every(REPLAY_POLL_MS, () => this.replayRequested(), 'replaying dead letters');
  }

  /** Deletes this consumer's processed_events rows older than the retention, in batches. Returns how many. */
  async purgeProcessedEvents(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - PROCESSED_EVENT_RETENTION_MS);
    const { dataSource, schema, groupId } = this.options;
    let purged = 0;
    for (;;) {
      const [, count] = (await dataSource.query(
        `DELETE FROM "${schema}".processed_events WHERE (consumer, event_id) IN (
           SELECT consumer, event_id FROM "${schema}".processed_events WHERE consumer = $1 AND processed_at < $2 LIMIT ${PURGE_BATCH})`,
        [groupId, cutoff],
      )) as [unknown, number];
      purged += count;
      if (count < PURGE_BATCH) return purged;
    }
  }

  /**
   * Puts the dead letters an operator asked to replay through the handler again, each in one
   * transaction with its processed_events row, so it takes effect at most once. One that fails
   * again keeps its new error and waits for the next request. Returns how many took effect.
   */
  async replayRequested(): Promise<number> {
    const { dataSource, schema, groupId, handle } = this.options;
    const rows: { id: string; message_key: string | null; message_value: string }[] = await dataSource.query(
      `SELECT id, message_key, message_value FROM "${schema}".dead_letters
        WHERE consumer = $1 AND replay_requested_at IS NOT NULL AND replayed_at IS NULL ORDER BY id LIMIT 100`,
      [groupId],
    );
    let replayed = 0;
    for (const row of rows) {
      const message = { key: row.message_key === null ? null : Buffer.from(row.message_key), value: Buffer.from(row.message_value), headers: {}, offset: '-1', timestamp: '0', attributes: 0 } as KafkaMessage;
      let afterCommit: AfterCommit | undefined;
      try {
        const event = parseEvent(message.value);
        if (!this.accepts(event)) throw new MalformedEventError(`${event.type} is not a type this consumer takes`);
        await dataSource.transaction(async (manager) => {
          await manager.query(`DELETE FROM "${schema}".processed_events WHERE consumer = $1 AND event_id = $2`, [groupId, event.id]);
          await this.markProcessed(manager, event.id);
          afterCommit = (await handle(event, manager, message)) ?? undefined;
          await manager.query(`UPDATE "${schema}".dead_letters SET replayed_at = now() WHERE id = $1`, [row.id]);
        });
        metrics.eventsConsumed.inc({ group: groupId, type: event.type, outcome: 'replayed' });
        replayed += 1;
      } catch (error) {
        const reason = String((error as Error)?.message ?? error).slice(0, 2000);
        await dataSource.query(`UPDATE "${schema}".dead_letters SET replay_requested_at = NULL, error = $2 WHERE id = $1`, [row.id, reason]);
        this.logger.warn(`dead letter ${row.id} failed again on replay: ${reason}`);
        continue;
      }
      if (afterCommit) await this.runAfterCommit(afterCommit);
    }
    return replayed;
  }

  /** The event a message carries, or null when it is malformed or of a type this consumer ignores. */
  private parse(message: KafkaMessage): ParsedMessage<T> | null {
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
    return this.accepts(event) ? { event, message } : null;
  }
}
