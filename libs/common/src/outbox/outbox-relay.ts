import { Logger } from '@nestjs/common';
import { Message } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
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
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  headers: Record<string, string>;
}

/**
 * Moves committed outbox rows to Kafka. A batch is claimed with FOR UPDATE SKIP LOCKED (so
 * replicas share the work), published with the idempotent producer and awaited, and only then
 * deleted in the same transaction. Dying anywhere before COMMIT leaves the rows for the next run,
 * which re-publishes them: delivery is at least once, and consumers dedupe on the event id.
 */
export class OutboxRelay {
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
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
        void this.wake();
      }
    });
    return this.draining;
  }

  /** One claim-publish-delete cycle; returns how many events it published. */
  async publishBatch(): Promise<number> {
    const { dataSource, schema, publisher } = this.options;
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const rows: OutboxRow[] = await runner.query(
        `SELECT id, topic, key, payload, headers FROM "${schema}".outbox
         ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (rows.length === 0) {
        await runner.commitTransaction();
        return 0;
      }
      await publisher.sendBatch({ topicMessages: groupByTopic(rows), acks: -1 });
      await runner.query(`DELETE FROM "${schema}".outbox WHERE id = ANY($1::uuid[])`, [rows.map((row) => row.id)]);
      await runner.commitTransaction();
      metrics.outboxPublished.inc({ schema }, rows.length);
      return rows.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  async backlog(): Promise<number> {
    const [row] = await this.options.dataSource.query(`SELECT count(*)::int AS n FROM "${this.options.schema}".outbox`);
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
    client.on('notification', () => void this.wake());
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
      value: JSON.stringify(row.payload),
      headers: { ...row.headers, 'event-id': row.id },
    });
    byTopic.set(row.topic, messages);
  }
  return [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages }));
}
