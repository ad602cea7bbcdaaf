import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { prepareDatabase } from '../database/database';
import { createEvent } from '../events/envelope';
import { outboxTablesSql } from '../outbox/outbox-writer';
import { EventConsumer, isPermanentFailure } from './event-consumer';

const SCHEMA = 'consumer_spec';

describe('EventConsumer against PostgreSQL', () => {
  let dataSource: DataSource;
  let consumer: EventConsumer;
  let transientFailures = 0;

  beforeAll(async () => {
    const url = process.env.DATABASE_URL!;
    await prepareDatabase(url, SCHEMA);
    dataSource = await new DataSource({ type: 'postgres', url, schema: SCHEMA }).initialize();
    await dataSource.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await dataSource.query(`CREATE SCHEMA ${SCHEMA}`);
    for (const statement of outboxTablesSql(SCHEMA)) await dataSource.query(statement);
    await dataSource.query(`CREATE TABLE ${SCHEMA}.clients (id uuid PRIMARY KEY, name text NOT NULL)`);
    consumer = new EventConsumer({
      kafka: new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }),
      dataSource,
      schema: SCHEMA,
      groupId: 'consumer-spec',
      topics: [],
      types: ['client.created'],
      maxWaitTimeInMs: 100,
      handle: async (event, manager) => {
        const data = event.data as { id: string; name: string | null; failTransiently?: boolean };
        if (data.failTransiently && transientFailures++ < 5) throw new Error('connection terminated unexpectedly');
        await manager.query(`INSERT INTO ${SCHEMA}.clients (id, name) VALUES ($1, $2)`, [data.id, data.name]);
      },
    });
  });

  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await dataSource.destroy();
  });

  const message = (data: object): KafkaMessage =>
    ({ value: Buffer.from(JSON.stringify(createEvent('client.created', randomUUID(), { id: randomUUID(), ...data }))), offset: '0' }) as KafkaMessage;
  const count = async () => (await dataSource.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.clients`))[0].n;

  it('applies an event once, however often it is delivered', async () => {
    const delivery = message({ name: 'Once' });
    assert.equal(await consumer.process(delivery), true);
    assert.equal(await consumer.process(delivery), false);
    assert.equal(await count(), 1);
  });

  it('sets a poison event aside after repeated permanent failures, so its partition moves on', async () => {
    const poison = message({ name: null });
    await assert.rejects(consumer.process(poison), /null value/);
    await assert.rejects(consumer.process(poison), /null value/);
    assert.equal(await consumer.process(poison), false, 'third attempt: set aside');
    assert.equal(await consumer.process(poison), false, 'and never retried again');
    const eventId = JSON.parse(poison.value!.toString()).id;
    const [marked] = await dataSource.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.processed_events WHERE event_id = $1`, [eventId]);
    assert.equal(marked.n, 1);
    assert.equal(await consumer.process(message({ name: 'After' })), true, 'the next event applies');
  });

  it('keeps retrying failures that may pass (connections, deadlocks) rather than setting them aside', async () => {
    const flaky = message({ name: 'Flaky', failTransiently: true });
    for (let i = 0; i < 5; i += 1) await assert.rejects(consumer.process(flaky), /connection terminated/);
    assert.equal(await consumer.process(flaky), true);
  });

  it('classifies failures', () => {
    assert.ok(isPermanentFailure({ code: '23502' }));
    assert.ok(isPermanentFailure({ driverError: { code: '22P02' } }));
    assert.ok(isPermanentFailure(new TypeError('x is undefined')));
    assert.ok(!isPermanentFailure({ code: '40P01' }), 'deadlock');
    assert.ok(!isPermanentFailure(new Error('ECONNRESET')));
  });
});
