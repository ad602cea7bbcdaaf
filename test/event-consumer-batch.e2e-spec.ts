import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { scansDataSourceOptions } from '../apps/scans/src/database/scans-database';
import { DomainEvent, eventHeader } from '../libs/common/src/events/envelope';
import type { EventType } from '../libs/common/src/events/event-types';
import { EventConsumer } from '../libs/common/src/kafka/event-consumer';

/** EventConsumer's batched transactions against the real processed_events table. */
describe('EventConsumer with transaction batches', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await new DataSource(scansDataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  /** A raw envelope: the consumer never looks into the data, so it is left out of the picture. */
  const rawEvent = (type: EventType, data: object = {}) => ({ ...eventHeader(type, randomUUID()), data });
  const message = (value: unknown, offset: number): KafkaMessage => ({
    key: null,
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    offset: String(offset),
    timestamp: '0',
    attributes: 0,
    headers: {},
  });

  function consumer(seen: DomainEvent[], failOn?: string) {
    return new EventConsumer({
      kafka: {} as Kafka,
      dataSource,
      schema: 'scans',
      groupId: `test-batch-${randomUUID()}`,
      topics: [],
      types: ['pass.scanned'],
      maxWaitTimeInMs: 100,
      transactionBatchSize: 10,
      handle: async (event, manager) => {
        await manager.query('SELECT 1');
        if (event.id === failOn) throw new Error('handler failed');
        seen.push(event);
      },
    });
  }

  it('applies each new event once, in order, skipping duplicates, other types and malformed messages', async () => {
    const seen: DomainEvent[] = [];
    const subject = consumer(seen);
    const a = rawEvent('pass.scanned', { n: 1 });
    const b = rawEvent('pass.scanned', { n: 2 });
    const other = rawEvent('pass.created');
    const batch = [message(a, 1), message(other, 2), message('not json', 3), message(b, 4), message(a, 5)];
    assert.equal(await subject.processMany(batch), 2);
    assert.deepEqual(
      seen.map((e) => e.id),
      [a.id, b.id],
    );
    assert.equal(await subject.processMany(batch), 0, 'a redelivered batch changes nothing');
    assert.equal(seen.length, 2);
  });

  it('rolls the whole chunk back when one handler fails, so the redelivery applies all of it', async () => {
    const seen: DomainEvent[] = [];
    const a = rawEvent('pass.scanned');
    const b = rawEvent('pass.scanned');
    const failing = consumer(seen, b.id);
    await assert.rejects(failing.processMany([message(a, 1), message(b, 2)]));
    const healthy = new EventConsumer({
      ...(failing as any).options,
      handle: (event: DomainEvent) => {
        seen.push(event);
        return Promise.resolve();
      },
    });
    assert.equal(await healthy.processMany([message(a, 1), message(b, 2)]), 2, 'nothing of the failed chunk was recorded');
    assert.deepEqual(
      seen.slice(-2).map((e) => e.id),
      [a.id, b.id],
    );
  });

  it("hands a batch handler each chunk's new events in one call, in order; a redelivery overlapping it gets only the unseen ones", async () => {
    const calls: string[][] = [];
    const subject = new EventConsumer({
      kafka: {} as Kafka,
      dataSource,
      schema: 'scans',
      groupId: `test-batch-handler-${randomUUID()}`,
      topics: [],
      types: ['pass.scanned'],
      maxWaitTimeInMs: 100,
      transactionBatchSize: 10,
      handleBatch: async (events, manager) => {
        await manager.query('SELECT 1');
        calls.push(events.map(({ event }) => event.id));
      },
    });
    const [a, b, c] = [rawEvent('pass.scanned'), rawEvent('pass.scanned'), rawEvent('pass.scanned')];
    assert.equal(await subject.processMany([message(a, 1), message(b, 2), message(a, 3)]), 2);
    assert.deepEqual(calls, [[a.id, b.id]]);
    // Kafka redelivers from the last committed offset: the seen events come again with a new one.
    assert.equal(await subject.processMany([message(a, 1), message(b, 2), message(c, 4)]), 1);
    assert.deepEqual(calls, [[a.id, b.id], [c.id]]);
    assert.equal(await subject.processMany([message(b, 2), message(c, 4)]), 0);
    assert.equal(calls.length, 2, 'a batch of events all seen before is not handed to the handler');
  });
});
