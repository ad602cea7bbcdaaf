import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { Kafka } from 'kafkajs';
import { kafkaReadinessCheck } from './managed-outbox';

/** An admin whose describeCluster fails `failures` times (a connection the broker closed), then answers. */
function kafkaWithAdmin(failures: number) {
  const calls = { connect: 0, disconnect: 0, describe: 0 };
  const admin = {
    connect: () => {
      calls.connect += 1;
      return Promise.resolve();
    },
    disconnect: () => {
      calls.disconnect += 1;
      return Promise.resolve();
    },
    describeCluster: () => {
      calls.describe += 1;
      return calls.describe <= failures ? Promise.reject(new Error('Connection closed')) : Promise.resolve({ brokers: [] });
    },
  };
  return { kafka: { admin: () => admin } as unknown as Kafka, calls };
}

describe('kafkaReadinessCheck', () => {
  it('keeps one admin connection across checks', async () => {
    const { kafka, calls } = kafkaWithAdmin(0);
    const check = kafkaReadinessCheck(kafka);
    await check();
    await check();
    assert.deepEqual(calls, { connect: 1, disconnect: 0, describe: 2 });
  });

  it('asks again on a new connection when the kept one was closed, and reports Kafka up', async () => {
    const { kafka, calls } = kafkaWithAdmin(1);
    await kafkaReadinessCheck(kafka)();
    assert.deepEqual(calls, { connect: 2, disconnect: 1, describe: 2 });
  });

  it('reports Kafka down when the new connection fails too', async () => {
    const { kafka } = kafkaWithAdmin(2);
    await assert.rejects(kafkaReadinessCheck(kafka)(), /Connection closed/);
  });
});
