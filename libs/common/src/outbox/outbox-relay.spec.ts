import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Kafka, KafkaMessage, logLevel, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EventCollector } from '../../../../test/support/event-collector';
import { prepareDatabase } from '../database/database';
import { createEvent } from '../events/envelope';
import { TOPICS } from '../events/topics';
import { EventConsumer } from '../kafka/event-consumer';
import { createIdempotentProducer } from '../kafka/kafka-client';
import { appendToOutbox, outboxDeadLetterTableSql, outboxTablesSql } from './outbox-writer';
import { OutboxPublisher, OutboxRelay } from './outbox-relay';

const SCHEMA = 'outbox_spec';

/** Well-formed events (the services consuming the real topic must be able to apply them). */
function clientCreated(tenantId: string, n: number) {
  const id = randomUUID();
  return createEvent('client.created', tenantId, {
    id,
    tenantId,
    name: `Outbox spec client ${n}`,
    email: null,
    phone: null,
    notes: null,
    createdAt: new Date().toISOString(),
  });
}
const databaseUrl = process.env.DATABASE_URL!;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

describe('OutboxRelay against PostgreSQL and Kafka', () => {
  let dataSource: DataSource;
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    await prepareDatabase(databaseUrl, SCHEMA);
    dataSource = await new DataSource({ type: 'postgres', url: databaseUrl, schema: SCHEMA }).initialize();
    await dataSource.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await dataSource.query(`CREATE SCHEMA ${SCHEMA}`);
    for (const statement of outboxTablesSql(SCHEMA)) await dataSource.query(statement);
    await dataSource.query(outboxDeadLetterTableSql(SCHEMA));
    await dataSource.query(`CREATE TABLE ${SCHEMA}.effects (event_id uuid NOT NULL, applied_at timestamptz DEFAULT now())`);
    kafka = new Kafka({ clientId: 'outbox-spec', brokers, logLevel: logLevel.NOTHING });
    producer = createIdempotentProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await dataSource.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await dataSource.destroy();
  });

  const newTenant = () => randomUUID();

  async function commitEvents(tenantId: string, count: number) {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const event = clientCreated(tenantId, i);
      await dataSource.transaction((manager) => appendToOutbox(manager, SCHEMA, event.data.id, event));
      ids.push(event.id);
    }
    return ids;
  }

  async function drain(relay: OutboxRelay) {
    let total = 0;
    for (let n = await relay.publishBatch(); n > 0; n = await relay.publishBatch()) total += n;
    return total;
  }

  const outboxSize = async () => (await dataSource.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox`))[0].n;

  it('publishes every committed change exactly once per run and nothing for a rolled-back one', async () => {
    const tenantId = newTenant();
    const collector = await new EventCollector([TOPICS.clientEvents.name], (e) => e.tenantId === tenantId, brokers).start();
    try {
      const committed = await commitEvents(tenantId, 7);
      const rolledBack = clientCreated(tenantId, -1);
      await assert.rejects(
        dataSource.transaction(async (manager) => {
          await appendToOutbox(manager, SCHEMA, randomUUID(), rolledBack);
          throw new Error('the change fails after writing its event');
        }),
        /the change fails/,
      );
      const relay = new OutboxRelay({ dataSource, schema: SCHEMA, publisher: producer, databaseUrl, batchSize: 3 });
      assert.equal(await drain(relay), 7);
      assert.equal(await outboxSize(), 0);
      await collector.waitFor((events) => events.length >= 7);
      await new Promise((r) => setTimeout(r, 500)); // would reveal a duplicate or the rolled-back event
      const seen = collector.events.map((e) => e.event.id);
      assert.deepEqual([...seen].sort(), [...committed].sort());
      assert.ok(!seen.includes(rolledBack.id));
      assert.equal(await drain(relay), 0, 'a second run publishes nothing');
    } finally {
      await collector.stop();
    }
  });

  it('re-publishes after dying between publish and mark, and an idempotent consumer applies each event once', async () => {
    const tenantId = newTenant();
    const collector = await new EventCollector([TOPICS.clientEvents.name], (e) => e.tenantId === tenantId, brokers).start();
    try {
      const ids = await commitEvents(tenantId, 4);
      const dyingPublisher: OutboxPublisher = {
        sendBatch: async (batch) => {
          await producer.sendBatch(batch);
          throw new Error('process killed after the broker acknowledged');
        },
      };
      const dying = new OutboxRelay({ dataSource, schema: SCHEMA, publisher: dyingPublisher, databaseUrl });
      await assert.rejects(dying.publishBatch(), /process killed/);
      assert.equal(await outboxSize(), 4, 'rows survive the crash');

      const restarted = new OutboxRelay({ dataSource, schema: SCHEMA, publisher: producer, databaseUrl });
      assert.equal(await drain(restarted), 4);
      await collector.waitFor((events) => events.length >= 8);
      assert.equal(collector.events.length, 8, 'each event was published twice');

      const consumer = new EventConsumer({
        kafka,
        dataSource,
        schema: SCHEMA,
        groupId: `outbox-spec-${tenantId}`,
        topics: [TOPICS.clientEvents.name],
        types: ['client.created'],
        maxWaitTimeInMs: 100,
        handle: async (event, manager) => {
          await manager.query(`INSERT INTO ${SCHEMA}.effects (event_id) VALUES ($1)`, [event.id]);
        },
      });
      for (const { event } of collector.events) {
        await consumer.process({ value: Buffer.from(JSON.stringify(event)), offset: '0' } as KafkaMessage);
      }
      const effects: { event_id: string }[] = await dataSource.query(
        `SELECT event_id FROM ${SCHEMA}.effects WHERE event_id = ANY($1::uuid[])`,
        [ids],
      );
      assert.deepEqual(effects.map((e) => e.event_id).sort(), [...ids].sort(), 'one effect per event despite duplicates');
    } finally {
      await collector.stop();
    }
  });

  it('wakes on NOTIFY without waiting for the poll interval', async () => {
    const tenantId = newTenant();
    const collector = await new EventCollector([TOPICS.clientEvents.name], (e) => e.tenantId === tenantId, brokers).start();
    const relay = new OutboxRelay({ dataSource, schema: SCHEMA, publisher: producer, databaseUrl, pollIntervalMs: 600_000 });
    await relay.start();
    try {
      const [id] = await commitEvents(tenantId, 1);
      const [published] = await collector.waitFor((events) => events.length === 1, 5_000);
      assert.equal(published.event.id, id);
    } finally {
      await relay.stop();
      await collector.stop();
    }
  });

  it('keeps the rows when the broker refuses, and publishes them once it accepts', async () => {
    const tenantId = newTenant();
    const ids = await commitEvents(tenantId, 2);
    const refusing: OutboxPublisher = { sendBatch: async () => Promise.reject(new Error('broker unavailable')) };
    await assert.rejects(new OutboxRelay({ dataSource, schema: SCHEMA, publisher: refusing, databaseUrl }).publishBatch(), /unavailable/);
    const remaining: { id: string }[] = await dataSource.query(`SELECT id FROM ${SCHEMA}.outbox WHERE id = ANY($1::uuid[])`, [ids]);
    assert.equal(remaining.length, 2);
    assert.equal(await drain(new OutboxRelay({ dataSource, schema: SCHEMA, publisher: producer, databaseUrl })), 2);
  });

  it('sets aside a row Kafka will never take, in the dead-letter table, and publishes the rest in order', async () => {
    const tenantId = newTenant();
    const [before] = await commitEvents(tenantId, 1);
    const poison = clientCreated(tenantId, 99);
    await dataSource.transaction((manager) => appendToOutbox(manager, SCHEMA, 'poison', poison));
    const [afterwards] = await commitEvents(tenantId, 1);
    const sent: string[] = [];
    const tooLarge = Object.assign(new Error('The request included a message larger than the max message size the server will accept'), {
      type: 'MESSAGE_TOO_LARGE',
      retriable: false,
    });
    const picky: OutboxPublisher = {
      sendBatch: ({ topicMessages }) => {
        const messages = topicMessages.flatMap((t) => t.messages);
        if (messages.some((m) => m.key === 'poison'))
          return Promise.reject(Object.assign(new Error('KafkaJSNonRetriableError'), { originalError: tooLarge }));
        sent.push(...messages.map((m) => String(m.headers!['event-id'])));
        return Promise.resolve([]);
      },
    };
    await drain(new OutboxRelay({ dataSource, schema: SCHEMA, publisher: picky, databaseUrl }));
    assert.deepEqual(
      sent.filter((id) => [before, afterwards].includes(id)),
      [before, afterwards],
    );
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox`);
    assert.equal(n, 0, 'the outbox moved on');
    const dead: { id: string; error: string }[] = await dataSource.query(`SELECT id, error FROM ${SCHEMA}.outbox_dead_letters`);
    assert.deepEqual(
      dead.map((row) => row.id),
      [poison.id],
    );
    assert.match(dead[0].error, /KafkaJSNonRetriableError/);
  });

  it('keeps every row when a failure is not permanent (Kafka away), poison or not', async () => {
    const tenantId = newTenant();
    await commitEvents(tenantId, 1);
    const away: OutboxPublisher = {
      sendBatch: async () => Promise.reject(Object.assign(new Error('Connection error'), { retriable: true })),
    };
    await assert.rejects(new OutboxRelay({ dataSource, schema: SCHEMA, publisher: away, databaseUrl }).publishBatch(), /Connection error/);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox`);
    assert.ok(n >= 1);
    await drain(new OutboxRelay({ dataSource, schema: SCHEMA, publisher: producer, databaseUrl }));
  });
});
