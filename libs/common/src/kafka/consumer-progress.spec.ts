import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll, jest } from '@jest/globals';
import { Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import { ConsumerProgress } from './consumer-progress';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
/** Probes every 50 ms and keeps at most 4 snapshots pending before thinning them: a window well under the trail below. */
const PROBE_MS = 50;
const MAX_PENDING = 4;
/** The consumer applies each message once it is this old: it keeps pace with the writes, this far behind. */
const TRAIL_MS = 4_000;
const WRITE_EVERY_MS = 40;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('ConsumerProgress against Kafka, under writes that never stop', () => {
  const kafka = new Kafka({ clientId: 'consumer-progress-spec', brokers, logLevel: logLevel.NOTHING });
  const topic = `consumer-progress-spec-${randomUUID()}`;
  const groupId = `consumer-progress-spec-${randomUUID()}`;
  let producer: Producer;
  let consumer: Consumer | undefined;
  let progress: ConsumerProgress | undefined;
  let writing = true;
  let writer: Promise<void>;
  let written = 0;

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    // Writes that never stop, from before the consumer starts until the end of the test.
    writer = (async () => {
      while (writing) {
        written += 1;
        await producer.send({ topic, messages: [{ key: String(written % 7), value: String(Date.now()) }] });
        await sleep(WRITE_EVERY_MS);
      }
    })();
    await sleep(1_000);
  });

  afterAll(async () => {
    writing = false;
    await writer;
    await progress?.stop();
    await consumer?.disconnect();
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('counts a consumer that keeps pace a few seconds behind as caught up, and measures its lag', async () => {
    consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    progress = new ConsumerProgress(kafka, groupId, [topic], PROBE_MS, PROBE_MS, MAX_PENDING);
    const tracked = progress;
    consumer.on(consumer.events.GROUP_JOIN, () => tracked.markJoined());
    progress.start();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let applied = 0;
    await consumer.run({
      autoCommit: true,
      eachMessage: async (payload) => {
        const { message } = payload;
        const age = Date.now() - Number(message.value!.toString());
        if (age < TRAIL_MS) await sleep(TRAIL_MS - age);
        applied += 1;
        await payload.heartbeat();
      },
    });

    // Ready once everything there at the join is applied, although the group never gets closer than TRAIL_MS to the end.
    await until(() => (tracked.hasCaughtUp ? true : undefined), 30_000, 'the consumer to count as caught up');
    const lag = await until(
      () => {
        const ms = tracked.lagMs();
        return Number.isFinite(ms) ? ms : undefined;
      },
      10_000,
      'a finite lag',
    );
    assert.ok(lag >= TRAIL_MS - 1_000, `the lag shows the trail (${lag} ms)`);
    assert.ok(lag < TRAIL_MS + 10_000, `and only the trail (${lag} ms)`);
    assert.ok(written > applied, 'the writes went on while it was checked');
  });
});

describe('ConsumerProgress probe schedule', () => {
  it('probes at the joining interval until the group has caught up, then at the caught-up interval', async () => {
    jest.useFakeTimers();
    try {
      const kafka = { admin: () => ({}) } as unknown as Kafka;
      const progress = new ConsumerProgress(kafka, 'schedule-spec', ['topic'], 100, 5_000);
      let probes = 0;
      progress.probe = () => {
        probes += 1;
        // The third probe finds the group caught up since it joined.
        if (probes === 3) Object.assign(progress, { caughtUpSinceJoin: true });
        return Promise.resolve();
      };
      progress.start();
      await jest.advanceTimersByTimeAsync(0);
      assert.equal(probes, 1);
      await jest.advanceTimersByTimeAsync(200);
      assert.equal(probes, 3);
      await jest.advanceTimersByTimeAsync(4_900);
      assert.equal(probes, 3, 'no probe within the caught-up interval');
      await jest.advanceTimersByTimeAsync(100);
      assert.equal(probes, 4);
      await progress.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});
