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
export type EventHandler<T extends EventType = EventType> = (
  event: DomainEvent<T>,
  manager: EntityManager,
  message: KafkaMessage,
) => Promise<void | AfterCommit>;

/** One event of a batch, with the message that carried it. */
export interface ConsumedEvent<T extends EventType = EventType> {
  event: DomainEvent<T>;
  message: KafkaMessage;
}

/**
 * Applies a run of new events (in partition order, never seen before by this consumer) inside one
 * transaction: for high-volume streams, where one statement per batch beats one per event.
 */
export type EventBatchHandler<T extends EventType = EventType> = (
  events: ConsumedEvent<T>[],
  manager: EntityManager,
) => Promise<void | AfterCommit>;

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
  /**
   * Of those, the events worth a transaction; the others are acknowledged and skipped like other
   * types, without touching the database (e.g. the many scans that change nothing a consumer shows).
   */
  relevant?: (event: DomainEvent<T>) => boolean;
  /** One event at a time; or give handleBatch instead. */
  handle?: EventHandler<T>;
  /** A whole transaction's worth of events at once (with transactionBatchSize > 1); replaces handle. */
  handleBatch?: EventBatchHandler<T>;
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
  /**
   * For a consumer that may trail its events a little: the broker answers a fetch once this many
   * bytes are waiting or maxWaitMs has passed, whichever comes first. Under a stream of door scans
   * each fetch then carries tens of events instead of one or two: fewer requests for the broker,
   * fewer transactions here. Without it a fetch answers at the first event (minBytes 1) and an idle
   * consumer asks again every KAFKA_MAX_WAIT_MS.
   */
  fetchBatching?: { minBytes: number; maxWaitMs: number };
  /** How often the group's position is compared with the end of its topics (lag in time) until it has caught up. Default 500 ms. */
  lagProbeIntervalMs?: number;
  /**
   * The same once caught up. Default 5 s: the lag is then only exported as a metric, and each probe
   * costs the broker a metadata, two offset and one group-offset request per topic. A consumer whose
   * lag decides something at run time (the scans projection) probes as often as before.
   */
  caughtUpLagProbeIntervalMs?: number;
}

/**
 * Fetch batching for the consumers of door scans that may trail them by a quarter of a second (the
 * passes tally, wallet updates): about 35 scan events per fetch under load.
 */
export const SCAN_STREAM_FETCH = { minBytes: 16_384, maxWaitMs: 250 } as const;

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
  private stopping = false;
  private recovery: NodeJS.Timeout | undefined;
  private readonly types: ReadonlySet<EventType>;
  private readonly failedAttempts = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private progress: ConsumerProgress | undefined;

  constructor(private readonly options: EventConsumerOptions<T>) {
    if (!options.handle === !options.handleBatch) throw new Error('an EventConsumer takes exactly one of handle and handleBatch');
    this.logger = new Logger(`EventConsumer:${options.groupId}`);
    this.types = new Set<EventType>(options.types);
    options.readiness?.register(`consumer ${options.groupId}`, () =>
      this.progress?.hasCaughtUp ? Promise.resolve() : Promise.reject(new Error('has not joined its group and caught up yet')),
    );
  }

  private accepts(event: DomainEvent): event is DomainEvent & DomainEvent<T> {
    if (!this.types.has(event.type)) return false;
    return this.options.relevant ? this.options.relevant(event as DomainEvent<T>) : true;
  }

  /** How far behind the group is, in milliseconds (Infinity until it has been seen caught up once). */
  lagMs(): number {
    return this.progress?.lagMs() ?? Number.POSITIVE_INFINITY;
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    this.stopping = false;
    const { lagProbeIntervalMs = 500, caughtUpLagProbeIntervalMs = 5_000 } = this.options;
    const progress = new ConsumerProgress(kafka, groupId, topics, lagProbeIntervalMs, caughtUpLagProbeIntervalMs);
    this.progress = progress;
    progress.start();
    await this.connectAndRun(progress);
    this.startHousekeeping();
  }

  private async connectAndRun(progress: ConsumerProgress): Promise<void> {
    const { kafka, groupId, topics, maxWaitTimeInMs } = this.options;
    const consumer = kafka.consumer({
      groupId,
      maxWaitTimeInMs: this.options.fetchBatching?.maxWaitMs ?? maxWaitTimeInMs,
      minBytes: this.options.fetchBatching?.minBytes ?? 1,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
      retry: { retries: 10, initialRetryTime: 300 },
    });
    this.consumer = consumer;
    const { END_BATCH_PROCESS, GROUP_JOIN, STOP, CRASH } = consumer.events;
    consumer.on(END_BATCH_PROCESS, ({ payload }) => {
      metrics.consumerLag.set({ group: groupId, topic: payload.topic, partition: String(payload.partition) }, Number(payload.offsetLag));
    });
    consumer.on(GROUP_JOIN, () => progress.markJoined());
    consumer.on(STOP, () => progress.markLeft());
    consumer.on(CRASH, ({ payload }) => {
      progress.markLeft();
      // kafkajs restarts itself after a retriable error only; after any other (a broker away long
      // enough that the group coordinator cannot be found) the consumer would stay stopped for good.
      if (!payload.restart && !this.stopping && this.consumer === consumer) this.recover(consumer, payload.error, 1);
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    const batchSize = this.options.transactionBatchSize ?? 1;
    const partitionsConsumedConcurrently = this.options.partitionsConsumedConcurrently ?? 1;
    if (batchSize <= 1) {
      await consumer.run({
        autoCommit: true,
        partitionsConsumedConcurrently,
        eachMessage: async ({ message }) => {
          await this.process(message);
        },
      });
      return;
    }
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { messages } = payload.batch;
        for (let start = 0; start < messages.length; start += batchSize) {
          if (!payload.isRunning() || payload.isStale()) return;
          const chunk = messages.slice(start, start + batchSize);
          await this.processMany(chunk);
          payload.resolveOffset(chunk[chunk.length - 1].offset);
          await payload.heartbeat();
        }
      },
    });
  }

  /** Starts a new consumer in place of one that stopped for good, backing off (1 s, doubling to 30 s) while Kafka is away. */
  private recover(crashed: Consumer, error: Error, attempt: number): void {
    const delayMs = Math.min(30_000, 1_000 * 2 ** (attempt - 1));
    this.logger.warn(`consumer stopped (${error.message}); starting it again in ${delayMs} ms`);
    this.recovery = setTimeout(() => {
      void (async () => {
        if (this.stopping) return;
        await crashed.disconnect().catch(() => undefined);
        try {
          await this.connectAndRun(this.progress!);
          this.logger.log('consumer started again');
        } catch (failure) {
          if (!this.stopping) this.recover(this.consumer ?? crashed, failure as Error, attempt + 1);
        }
      })();
    }, delayMs);
  }

  /** Leaves the group (so the next start need not wait for this member's session to expire). */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.recovery);
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
    const { dataSource, schema, groupId } = this.options;
    const afterCommits: AfterCommit[] = [];
    const freshEvents = await dataSource.transaction(async (manager) => {
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO "${schema}".processed_events (consumer, event_id)
         SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [groupId, [...new Set(parsed.map(({ event }) => event.id))]],
      );
      const fresh = new Set(inserted.map((row) => row.event_id));
      // Seen before, or twice in this chunk: only the first of each new id takes effect.
      const events = parsed.filter(({ event }) => fresh.delete(event.id));
      if (this.options.handleBatch) {
        if (events.length > 0) {
          const afterCommit = await this.options.handleBatch(events, manager);
          if (afterCommit) afterCommits.push(afterCommit);
        }
      } else {
        for (const { event, message } of events) {
          const afterCommit = await this.options.handle!(event, manager, message);
          if (afterCommit) afterCommits.push(afterCommit);
        }
      }
      return events;
    });
    this.countConsumed(parsed, freshEvents);
    for (const afterCommit of afterCommits) await this.runAfterCommit(afterCommit);
    return freshEvents.length;
  }

  private countConsumed(parsed: ParsedMessage<T>[], applied: ParsedMessage<T>[]): void {
    const counts = new Map<string, number>();
    const appliedSet = new Set(applied);
    for (const entry of parsed) {
      const key = `${entry.event.type}\u0000${appliedSet.has(entry) ? 'applied' : 'duplicate'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, count] of counts) {
      const [type, outcome] = key.split('\u0000');
      metrics.eventsConsumed.inc({ group: this.options.groupId, type, outcome }, count);
    }
  }

  /** The handler for one event, whichever form this consumer was given. */
  private async applyOne(event: DomainEvent<T>, manager: EntityManager, message: KafkaMessage): Promise<void | AfterCommit> {
    if (this.options.handleBatch) return this.options.handleBatch([{ event, message }], manager);
    return this.options.handle!(event, manager, message);
  }

  /** Public for tests that feed a message without a broker round trip. */
  async process(message: KafkaMessage): Promise<boolean> {
    const parsed = this.parse(message);
    if (!parsed) return false;
    const { event } = parsed;
    const { dataSource, groupId } = this.options;
    const requestId = message.headers?.['x-request-id']?.toString();
    return RequestContext.run({ requestId, tenantId: event.tenantId, eventId: event.id }, async () => {
      let applied: boolean;
      let afterCommit: AfterCommit | undefined;
      try {
        applied = await dataSource.transaction(async (manager) => {
          if (!(await this.markProcessed(manager, event.id))) return false;
          afterCommit = (await this.applyOne(event, manager, message)) ?? undefined;
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
        [
          groupId,
          event.id,
          event.type,
          event.tenantId ?? null,
          topicFor(event.type),
          message.key?.toString() ?? null,
          message.value!.toString(),
          reason,
        ],
      );
    });
    this.logger.error({
      msg: 'event dead-lettered after repeated permanent failures',
      eventId: event.id,
      type: event.type,
      tenantId: event.tenantId,
      error: reason,
    });
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
      const [, count] = await dataSource.query<[unknown, number]>(
        `DELETE FROM "${schema}".processed_events WHERE (consumer, event_id) IN (
           SELECT consumer, event_id FROM "${schema}".processed_events WHERE consumer = $1 AND processed_at < $2 LIMIT ${PURGE_BATCH})`,
        [groupId, cutoff],
      );
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
    const { dataSource, schema, groupId } = this.options;
    const rows: { id: string; message_key: string | null; message_value: string }[] = await dataSource.query(
      `SELECT id, message_key, message_value FROM "${schema}".dead_letters
        WHERE consumer = $1 AND replay_requested_at IS NOT NULL AND replayed_at IS NULL ORDER BY id LIMIT 100`,
      [groupId],
    );
    let replayed = 0;
    for (const row of rows) {
      const message = {
        key: row.message_key === null ? null : Buffer.from(row.message_key),
        value: Buffer.from(row.message_value),
        headers: {},
        offset: '-1',
        timestamp: '0',
        attributes: 0,
      } as KafkaMessage;
      let afterCommit: AfterCommit | undefined;
      try {
        const event = parseEvent(message.value);
        if (!this.accepts(event)) throw new MalformedEventError(`${event.type} is not a type this consumer takes`);
        await dataSource.transaction(async (manager) => {
          await manager.query(`DELETE FROM "${schema}".processed_events WHERE consumer = $1 AND event_id = $2`, [groupId, event.id]);
          await this.markProcessed(manager, event.id);
          afterCommit = (await this.applyOne(event, manager, message)) ?? undefined;
          await manager.query(`UPDATE "${schema}".dead_letters SET replayed_at = now() WHERE id = $1`, [row.id]);
        });
        metrics.eventsConsumed.inc({ group: groupId, type: event.type, outcome: 'replayed' });
        replayed += 1;
      } catch (error) {
        const reason = String((error as Error)?.message ?? error).slice(0, 2000);
        await dataSource.query(`UPDATE "${schema}".dead_letters SET replay_requested_at = NULL, error = $2 WHERE id = $1`, [
          row.id,
          reason,
        ]);
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
