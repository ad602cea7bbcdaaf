import { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { scrapedGauge } from '../observability/metrics';
import { OutboxRelay } from '../outbox/outbox-relay';
import { createIdempotentProducer } from './kafka-client';

/** A service's idempotent producer and the relay that feeds it from the outbox, started and stopped together. */
export class ManagedOutbox {
  readonly producer: Producer;
  readonly relay: OutboxRelay;

  constructor(kafka: Kafka, dataSource: DataSource, schema: string, databaseUrl: string) {
    this.producer = createIdempotentProducer(kafka);
    this.relay = new OutboxRelay({ dataSource, schema, publisher: this.producer, databaseUrl });
    scrapedGauge('passway_outbox_backlog', 'Committed events not yet published', ['schema'], async (gauge) => {
      gauge.set({ schema }, await this.relay.backlog());
    });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.relay.start();
  }

  async stop(): Promise<void> {
    await this.relay.stop();
    await this.producer.disconnect();
  }
}

/**
 * Readiness check: the cluster answers a metadata request. The admin connection is kept between
 * checks; a broker closes it once idle past `connections.max.idle.ms`, and kafkajs does not retry
 * describeCluster, so a failed request is asked once more on a new connection before Kafka counts
 * as down.
 */
export function kafkaReadinessCheck(kafka: Kafka): () => Promise<void> {
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  const ask = async () => {
    connected ??= admin.connect().catch((error) => {
      connected = undefined;
      throw error;
    });
    await connected;
    await admin.describeCluster();
  };
  return async () => {
    try {
      await ask();
    } catch {
      connected = undefined;
      await admin.disconnect().catch(() => undefined);
      await ask();
    }
  };
}
