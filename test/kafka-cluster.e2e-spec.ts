import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { eventually } from './support/e2e-env';
import { KafkaCluster, startKafkaCluster } from './support/kafka-cluster';

// The cluster helper of the reliability tests: three KRaft brokers in containers, reachable
// from the host, and a partition leader that can be killed while writes go on.
const inContainers = process.env.PASSWAY_INFRA === 'containers';

// Skipped (Jest reports it) when the servers are not containers (PASSWAY_INFRA=local).
(inContainers ? describe : describe.skip)('a three-broker Kafka cluster in containers', () => {
  let cluster: KafkaCluster;
  let kafka: Kafka;
  const topic = 'cluster-helper.check';

  beforeAll(async () => {
    cluster = await startKafkaCluster();
    kafka = new Kafka({
      clientId: 'cluster-helper-test',
      brokers: cluster.brokerList,
      logLevel: logLevel.NOTHING,
      retry: { retries: 20, initialRetryTime: 500, maxRetryTime: 5000 },
    });
  }, 600_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('replicates to all three brokers with min.insync.replicas 2 by default', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      assert.equal((await admin.describeCluster()).brokers.length, 3);
      // kafkajs's waitForLeaders asks one broker, which may not know the topic yet: poll instead.
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: false });
      // Every broker learns of the new topic from the controller, some a moment later than others.
      const partition = await eventually(
        async () => {
          const [found] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions;
          return found?.isr.length === 3 ? found : undefined;
        },
        60_000,
        250,
      );
      assert.deepEqual([...partition.replicas].sort(), [1, 2, 3]);
      // The broker asked may not host the topic yet either ("does not host this topic-partition"): ask again.
      const resources = await eventually(
        () =>
          admin
            .describeConfigs({ resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }], includeSynonyms: false })
            .then((described) => described.resources)
            .catch(() => undefined),
        60_000,
        250,
      );
      assert.equal(resources[0].configEntries[0].configValue, '2');
    } finally {
      await admin.disconnect();
    }
  });

  it('keeps every acknowledged write when the partition leader is killed, and takes the broker back', async () => {
    const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'before' }] });

    const leader = await cluster.leaderOf(topic);
    await cluster.kill(leader);
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'after' }] });
    const newLeader = await cluster.leaderOf(topic);
    assert.notEqual(newLeader, leader);
    await producer.disconnect();

    await cluster.start(leader);
    const consumer = kafka.consumer({ groupId: 'cluster-helper-test', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: ({ message }) => {
            values.push(String(message.value));
            if (values.length === 2) resolve();
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    assert.deepEqual(values, ['before', 'after']);
  });
});
