import { Logger } from '@nestjs/common';
import { Message } from 'kafkajs';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { metrics } from '../observability/metrics';
import { outboxChannel } from './outbox-writer';

/** The part of a kafkajs Producer the relay needs. */
export interface OutboxPublisher {
  sendBatch(batch: { topicMessages: { topic: string; messages: Message[] }[]; acks?: number }): Promise<unknown>;
}

export interface OutboxRelayOptions {
  dataSource: DataSource;
  schema: string;
  publisher: OutboxPublisher;
  databaseUrl: string;
  batchSize?: number;
  /** Polling is the fallback when a NOTIFY is missed (e.g. the listener reconnecting). */
  pollIntervalMs?: number;
  /**
   * How long a NOTIFY waits before the relay drains: under load every committed scan notifies,
   * and the wake-ups within this window become one claim-publish-delete cycle. Default 5 ms.
   */
  lingerMs?: number;
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  /** The envelope's JSON as stored: published as is, never parsed here. */
  payload: string;
  headers: Record<string, string>;
}

/**
 * Errors Kafka gives for a message it will never take, whatever the retries: too large, invalid,
 * for a topic that cannot exist. Anything else (broker away, leader moving) is retried.
 */
export function isPermanentPublishFailure(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (
    let current = error as { retriable?: boolean; type?: string; name?: string; cause?: unknown; originalError?: unknown } | undefined;
    current && !seen.has(current);
  ) {
    seen.add(current);
    if (current.type && PERMANENT_KAFKA_ERRORS.has(current.type)) return true;
    current = (current.originalError ?? current.cause) as typeof current;
  }
  return false;
}
const PERMANENT_KAFKA_ERRORS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
  'CORRUPT_MESSAGE',
  'INVALID_REQUIRED_ACKS',
]);

/**
 * Moves committed outbox rows to Kafka. One relay of a schema publishes at a time (a transaction
 * advisory lock; another replica's relay finds it taken and leaves the work to it), so rows go out
 * in `seq` order and one pass's events keep their order in its partition however many replicas
 * run. A batch is published with the idempotent producer and awaited, and only then deleted in
 * the same transaction. Dying anywhere before COMMIT leaves the rows for the next run, which
 * re-publishes them: delivery is at least once, and consumers dedupe on the event id.
 *
 * A row Kafka will never take (too large, an invalid topic) would block the outbox for good: when
 * a batch fails for such a reason its rows are published one by one, and the offending row moves
 * to `<schema>.outbox_dead_letters` with the error (`passway_outbox_dead_lettered_total`), so the
 * rest keep moving. A retriable failure (Kafka away) keeps every row where it is.
 */
export class OutboxRelay {
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly lingerMs: number;
  private lingering: NodeJS.Timeout | undefined;
  private listener: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private draining: Promise<void> | undefined;
  private drainAgain = false;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.logger = new Logger(`OutboxRelay:${options.schema}`);
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.lingerMs = options.lingerMs ?? 5;
  }

  async start(): Promise<void> {
    this.running = true;
    this.stopped = false;
    await this.listen();
    this.schedulePoll();
    void this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = undefined;
    await this.draining;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  /** Publishes until the outbox is empty. Safe to call at any time; concurrent calls coalesce. */
  wake(): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (this.draining) {
      this.drainAgain = true;
      return this.draining;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.drainAgain && this.running) {
        this.drainAgain = false;
        this.wakeSoon();
      }
    });
    return this.draining;
  }

  /** A NOTIFY: drains after lingerMs, so that a burst of commits is published in one cycle. */
  private wakeSoon(): void {
    if (this.lingerMs <= 0) {
      void this.wake();
      return;
    }
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.lingering ??= setTimeout(() => {
      this.lingering = undefined;
      void this.wake();
    }, this.lingerMs);
  }

  /** One claim-publish-delete cycle; returns how many events it published. */
  async publishBatch(): Promise<number> {
    const { dataSource, schema, publisher } = this.options;
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [outboxChannel(schema)])) as {
        locked: boolean;
      }[];
      if (!locked) {
        await runner.commitTransaction();
        return 0; // another replica's relay is publishing; it drains what is there
      }
      const rows = (await runner.query(
        `SELECT id, topic, key, payload::text AS payload, headers FROM "${schema}".outbox
         ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      )) as OutboxRow[];
      if (rows.length === 0) {
        await runner.commitTransaction();
        return 0;
      }
      let published = rows;
      try {
        await publisher.sendBatch({ topicMessages: groupByTopic(rows), acks: -1 });
      } catch (error) {
        if (!isPermanentPublishFailure(error)) throw error;
        published = await this.publishOneByOne(rows, runner.manager);
      }
      await runner.query(`DELETE FROM "${schema}".outbox WHERE id = ANY($1::uuid[])`, [rows.map((row) => row.id)]);
      await runner.commitTransaction();
      metrics.outboxPublished.inc({ schema }, published.length);
      return rows.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * After a batch failed for a permanent reason: each row alone, in order. A row that fails for a
   * permanent reason is written to the dead-letter table (in the caller's transaction, which then
   * deletes every row of the batch from the outbox); any other failure aborts as usual.
   */
  private async publishOneByOne(rows: OutboxRow[], manager: EntityManager): Promise<OutboxRow[]> {
    const { schema, publisher } = this.options;
    const published: OutboxRow[] = [];
    for (const row of rows) {
      try {
        await publisher.sendBatch({ topicMessages: groupByTopic([row]), acks: -1 });
        published.push(row);
      } catch (error) {
        if (!isPermanentPublishFailure(error)) throw error;
        await manager.query(
          `INSERT INTO "${schema}".outbox_dead_letters (id, topic, key, payload, headers, error)
           SELECT id, topic, key, payload, headers, $2 FROM "${schema}".outbox WHERE id = $1 ON CONFLICT (id) DO NOTHING`,
          [row.id, (error as Error).message ?? String(error)],
        );
        metrics.outboxDeadLettered.inc({ schema });
        this.logger.error(
          `outbox row ${row.id} (topic ${row.topic}) can never be published and was set aside in ${schema}.outbox_dead_letters: ${(error as Error).message}`,
        );
      }
    }
    return published;
  }

  async backlog(): Promise<number> {
    const [row] = await this.options.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${this.options.schema}".outbox`);
    return row.n;
  }

  private async drain(): Promise<void> {
    try {
      while (this.running && (await this.publishBatch()) === this.batchSize);
    } catch (error) {
      this.logger.warn(`publishing failed, will retry: ${(error as Error).message}`);
    }
  }

  private schedulePoll(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.wake().finally(() => this.schedulePoll());
    }, this.pollIntervalMs);
    this.timer.unref();
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.options.databaseUrl });
    client.on('notification', () => this.wakeSoon());
    client.on('error', (error) => {
      this.logger.warn(`LISTEN connection lost (${error.message}); polling until it is back`);
      this.listener = undefined;
      void client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.listen().catch(() => undefined), 1_000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${outboxChannel(this.options.schema)}"`);
      this.listener = client;
    } catch (error) {
      this.logger.warn(`could not LISTEN (${(error as Error).message}); polling only`);
      await client.end().catch(() => undefined);
    }
  }
}

function groupByTopic(rows: OutboxRow[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const row of rows) {
    const messages = byTopic.get(row.topic) ?? [];
    messages.push({
      key: row.key,
      value: row.payload,
      headers: { ...row.headers, 'event-id': row.id },
    });
    byTopic.set(row.topic, messages);
  }
  return [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages }));
}
