import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { TOPICS } from '../../libs/common/src/events/topics';
import { Stack } from '../../tools/stack';
import { closeGatewayDb, eventually } from '../support/e2e-env';
import { faultTenant, faultWorld, FaultWorld, query, readinessOf, startFaultStack, SETUP_BUDGET_MS } from '../support/fault-stack';
import { LocalKafka } from '../support/kafka-brokers';
import { duplicateIds, readTopicMessages } from '../support/topic-reader';

const LOAD_MS = 25_000;
const KILL_AT_MS = 8_000;

describe('fault 2: a three-broker cluster loses a partition leader under scan load', () => {
  let kafka: LocalKafka;
  let world: FaultWorld;
  let stack: Stack;

  beforeAll(async () => {
    kafka = await LocalKafka.start(3, 'cluster');
    world = await faultWorld('kafka_cluster', kafka);
    stack = await startFaultStack('kafka-cluster', world);
  }, SETUP_BUDGET_MS);
  afterAll(async () => {
    await stack?.stop();
    await kafka?.stop();
    await closeGatewayDb();
  });

  it('no pass.scanned is lost or doubled, and the consumers and the relay carry on', async () => {
    const { api, tenant } = await faultTenant(stack, world, 'Leader Lost');
    const doors: { id: string; code: string }[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await api.post('/passes', { type: 'multi', maxUsages: 10_000, name: `Door ${i}` });
      assert.equal(response.status, 201, response.text);
      doors.push(response.body);
    }
    // The broker to kill leads the partition of the first door's events (replication factor 3, min.insync.replicas 2).
    await eventually(
      async () => (Number((await query<{ n: string }>(world, 'SELECT count(*) AS n FROM passes.outbox'))[0].n) === 0 ? true : undefined),
      60_000,
      250,
    );
    const created = await readTopicMessages(
      kafka.client(),
      [TOPICS.passEvents.name],
      (e) => e.tenantId === tenant.id && e.type === 'pass.created',
    );
    assert.equal(created.length, doors.length, 'a pass.created for every door');
    const partition = created.find(({ event }) => (event.data as { id: string }).id === doors[0].id)!.partition;
    const leader = await kafka.leaderOf(TOPICS.passEvents.name, partition);

    const successes = new Map<string, number>(doors.map((d) => [d.id, 0]));
    const failures: string[] = [];
    const began = Date.now();
    let killed = false;
    for (let i = 0; Date.now() - began < LOAD_MS; i += 1) {
      if (!killed && Date.now() - began >= KILL_AT_MS) {
        killed = true;
        await kafka.stopNode(leader, 'SIGKILL');
      }
      const door = doors[i % doors.length];
      const scan = await api.post('/scan', { code: door.code });
      if (scan.status === 200 && scan.body.result === 'success') successes.set(door.id, successes.get(door.id)! + 1);
      else failures.push(`scan ${i}: ${scan.status} ${scan.text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(failures, [], 'every scan succeeded');
    assert.notEqual(await kafka.leaderOf(TOPICS.passEvents.name, partition), leader, 'the partition has a new leader');
    assert.deepEqual(Object.values(await readinessOf(stack)), [200, 200, 200, 200, 200]);

    // The consumers carry on: the passes service's tally reaches every scan (it counts them from pass.scanned).
    for (const door of doors) {
      await eventually(
        async () => ((await api.get(`/passes/${door.id}`)).body.usagesCount === successes.get(door.id) ? true : undefined),
        60_000,
        250,
      );
    }
    const scanned = (
      await readTopicMessages(kafka.client(), [TOPICS.scanEvents.name], (e) => e.tenantId === tenant.id && e.type === 'pass.scanned')
    ).map(({ event }) => event);
    assert.deepEqual(duplicateIds(scanned), [], 'no pass.scanned doubled');
    assert.equal(
      scanned.length,
      [...successes.values()].reduce((a, b) => a + b, 0),
      'no pass.scanned lost',
    );
  });
});
