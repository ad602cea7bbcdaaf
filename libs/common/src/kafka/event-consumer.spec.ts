import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { prepareDatabase } from '../database/database';
import { eventHeader } from '../events/envelope';
import { outboxTablesSql } from '../outbox/outbox-writer';
import { listDeadLetters, requestDeadLetterReplay, deadLettersTableSql } from './dead-letters';
import { EventConsumer, isPermanentFailure, PROCESSED_EVENT_RETENTION_MS } from './event-consumer';

const SCHEMA = 'consumer_spec';

describe('EventConsumer against PostgreSQL', () => {
  let dataSource: DataSource;
  let consumer: EventConsumer<'client.created'>;
  let transientFailures = 0;
  /** Once true, the handler accepts a nameless client (the "fix" deployed before a replay). */
  let repaired = false;

  beforeAll(async () => {
    const url = process.env.DATABASE_URL!;
    await prepareDatabase(url, SCHEMA);
    dataSource = await new DataSource({ type: 'postgres', url, schema: SCHEMA }).initialize();
    await dataSource.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await dataSource.query(`CREATE SCHEMA ${SCHEMA}`);
    for (const statement of [...outboxTablesSql(SCHEMA), ...deadLettersTableSql(SCHEMA)]) await dataSource.query(statement);
    await dataSource.query(`CREATE TABLE ${SCHEMA}.clients (id uuid PRIMARY KEY, name text NOT NULL)`);
    repaired = false;
    consumer = new EventConsumer({
      kafka: new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }),
      dataSource,
      schema: SCHEMA,
      groupId: 'consumer-spec',
      topics: [],
      types: ['client.created'],
      maxWaitTimeInMs: 100,
      handle: async (event, manager) => {
        const data: typeof event.data & { failTransiently?: boolean } = event.data;
        if (data.failTransiently && transientFailures++ < 5) throw new Error('connection terminated unexpectedly');
        await manager.query(`INSERT INTO ${SCHEMA}.clients (id, name) VALUES ($1, $2)`, [
          data.id,
          data.name ?? (repaired ? 'Unnamed' : null),
        ]);
      },
    });
  });

  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await dataSource.destroy();
  });

  // Raw envelopes: the data is partial or broken on purpose.
  const message = (data: object): KafkaMessage =>
    ({
      value: Buffer.from(JSON.stringify({ ...eventHeader('client.created', randomUUID()), data: { id: randomUUID(), ...data } })),
      offset: '0',
    }) as KafkaMessage;
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

  it('keeps a dead letter durably, with its error, and replays it through the handler when asked', async () => {
    const poison = message({ name: null });
    const eventId = JSON.parse(poison.value!.toString()).id;
    for (let attempt = 1; attempt < 3; attempt += 1) await assert.rejects(consumer.process(poison));
    assert.equal(await consumer.process(poison), false);
    const [letter] = (await listDeadLetters(dataSource, SCHEMA as never)).filter((d) => d.eventId === eventId);
    assert.ok(letter, 'a dead_letters row');
    assert.equal(letter.eventType, 'client.created');
    assert.match(letter.error, /null value/);
    assert.equal(letter.replayedAt, null);
    const before = await count();

    assert.equal(await consumer.replayRequested(), 0, 'nothing is replayed until an operator asks');
    assert.deepEqual(await requestDeadLetterReplay(dataSource, SCHEMA as never, [letter.id]), [letter.id]);
    assert.equal(await consumer.replayRequested(), 0, 'still failing: it stays a dead letter, with the new error');
    const [stillDead] = (await listDeadLetters(dataSource, SCHEMA as never)).filter((d) => d.eventId === eventId);
    assert.equal(stillDead.replayRequestedAt, null);

    repaired = true;
    const asked = await requestDeadLetterReplay(dataSource, SCHEMA as never, 'all');
    assert.ok(asked.includes(letter.id), "every dead letter not yet replayed (this one and the earlier test's)");
    assert.equal(await consumer.replayRequested(), asked.length);
    assert.equal(await count(), before + asked.length, 'each replay took effect once');
    assert.equal(await consumer.replayRequested(), 0);
    assert.equal(await consumer.process(poison), false, 'a redelivery is still a duplicate');
    const [replayed] = (await listDeadLetters(dataSource, SCHEMA as never)).filter((d) => d.eventId === eventId);
    assert.ok(replayed.replayedAt);
    repaired = false;
  });

  it('skips an event that is not relevant without a transaction: no processed_events row, no handler', async () => {
    let handled = 0;
    const picky = new EventConsumer({
      kafka: new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }),
      dataSource,
      schema: SCHEMA,
      groupId: 'consumer-spec-picky',
      topics: [],
      types: ['client.created'],
      relevant: (event) => event.data.name !== 'Irrelevant',
      maxWaitTimeInMs: 100,
      handle: () => {
        handled += 1;
        return Promise.resolve();
      },
    });
    const irrelevant = message({ name: 'Irrelevant' });
    assert.equal(await picky.process(irrelevant), false);
    const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.processed_events WHERE event_id = $1`, [
      JSON.parse(irrelevant.value!.toString()).id,
    ]);
    assert.equal(row.n, 0, 'nothing recorded for it');
    assert.equal(handled, 0);
    assert.equal(await picky.process(message({ name: 'Relevant' })), true);
    assert.equal(handled, 1);
  });

  it('purges its processed event ids once they are older than the retention, and only its own', async () => {
    const old = randomUUID();
    const fresh = randomUUID();
    const othersOld = randomUUID();
    await dataSource.query(
      `INSERT INTO ${SCHEMA}.processed_events (consumer, event_id, processed_at) VALUES
         ('consumer-spec', $1, now() - make_interval(secs => $4)), ('consumer-spec', $2, now()), ('another-consumer', $3, now() - make_interval(secs => $4))`,
      [old, fresh, othersOld, PROCESSED_EVENT_RETENTION_MS / 1000 + 3600],
    );
    assert.ok((await consumer.purgeProcessedEvents()) >= 1);
    const left: { event_id: string }[] = await dataSource.query(
      `SELECT event_id FROM ${SCHEMA}.processed_events WHERE event_id = ANY($1::uuid[])`,
      [[old, fresh, othersOld]],
    );
    assert.deepEqual(left.map((row) => row.event_id).sort(), [fresh, othersOld].sort());
  });

  it('keeps retrying failures that may pass (connections, deadlocks) rather than setting them aside', async () => {
    const flaky = message({ name: 'Flaky', failTransiently: true });
    for (let i = 0; i < 5; i += 1) await assert.rejects(consumer.process(flaky), /connection terminated/);
    assert.equal(await consumer.process(flaky), true);
  });

  it('classifies failures', () => {
    assert.ok(isPermanentFailure({ code: '23502' }));
    assert.ok(isPermanentFailure({ driverError: { code: '22P02' } }));
    assert.ok(!isPermanentFailure(new TypeError('x is undefined')), 'a bug, not bad data: retried until fixed');
    assert.ok(!isPermanentFailure(new RangeError('Invalid time value')));
    assert.ok(isPermanentFailure(new SyntaxError('Unexpected token')));
    assert.ok(!isPermanentFailure({ code: '40P01' }), 'deadlock');
    assert.ok(!isPermanentFailure(new Error('ECONNRESET')));
  });
});
