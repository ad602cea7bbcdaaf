import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { TOPICS } from '../../libs/common/src/events/topics';
import { Stack } from '../../tools/stack';
import { closeGatewayDb, eventually } from '../support/e2e-env';
import { faultTenant, faultWorld, FaultWorld, query, startFaultStack, startReplica, SETUP_BUDGET_MS } from '../support/fault-stack';
import { LocalKafka } from '../support/kafka-brokers';
import { readTopics } from '../support/topic-reader';

const VERSIONS = 6;

describe('fault 6: two relays and an oversized outbox row', () => {
  let kafka: LocalKafka;
  let world: FaultWorld;
  let stack: Stack;
  let replica: { stop(): Promise<void> } | undefined;

  beforeAll(async () => {
    kafka = await LocalKafka.start(1, 'poison');
    world = await faultWorld('outbox_poison', kafka);
    stack = await startFaultStack('outbox-poison', world);
    replica = await startReplica(stack, 'passes', 'outbox-poison');
  }, SETUP_BUDGET_MS);
  afterAll(async () => {
    await replica?.stop();
    await stack?.stop();
    await kafka?.stop();
    await closeGatewayDb();
  });

  it("the outbox keeps moving past a row Kafka refuses, and each pass's events keep their order", async () => {
    const { api, tenant } = await faultTenant(stack, world, 'Poison Row');
    const passes = [];
    for (let i = 0; i < 4; i += 1) passes.push((await api.post('/passes', { type: 'multi', maxUsages: 10, name: `P${i} v0` })).body);

    // A row larger than the broker takes (1 MB), committed ahead of everything below.
    const poisonId = randomUUID();
    const envelope = {
      id: poisonId,
      type: 'pass.updated',
      tenantId: tenant.id,
      occurredAt: new Date().toISOString(),
      version: 1,
      data: { blob: 'x'.repeat(1_500_000) },
    };
    await query(world, `INSERT INTO passes.outbox (id, topic, key, type, payload) VALUES ($1, $2, $3, 'pass.updated', $4)`, [
      poisonId,
      TOPICS.passEvents.name,
      passes[0].id,
      JSON.stringify(envelope),
    ]);

    // Each pass renamed v1 … v6 in order, the passes in parallel, while both replicas' relays run.
    await Promise.all(
      passes.map(async (pass, i) => {
        for (let v = 1; v <= VERSIONS; v += 1) {
          const response = await api.patch(`/passes/${pass.id}`, { name: `P${i} v${v}` });
          assert.equal(response.status, 200, response.text);
        }
      }),
    );

    await eventually(
      async () => {
        const [row] = await query<{ n: string }>(world, 'SELECT count(*) AS n FROM passes.outbox');
        return Number(row.n) === 0 ? true : undefined;
      },
      60_000,
      250,
    );
    const dead = await query<{ id: string; error: string }>(world, 'SELECT id, error FROM passes.outbox_dead_letters');
    assert.deepEqual(
      dead.map((row) => row.id),
      [poisonId],
      'the oversized row, and only it, set aside',
    );
    assert.match(dead[0].error, /large|size/i);

    const events = await readTopics(
      kafka.client(),
      [TOPICS.passEvents.name],
      (event) => event.tenantId === tenant.id && event.type === 'pass.updated',
    );
    passes.forEach((pass, i) => {
      const names = events.filter((e) => (e.data as { id: string }).id === pass.id).map((e) => (e.data as { name: string }).name);
      assert.deepEqual(
        names,
        Array.from({ length: VERSIONS }, (_, v) => `P${i} v${v + 1}`),
        `pass ${i}'s events in order`,
      );
    });
    // The consumers applied them in that order: the door's projection ends at the last name.
    for (const [i, pass] of passes.entries()) {
      await eventually(
        async () => {
          const [row] = await query<{ name: string }>(world, 'SELECT name FROM scans.admissions WHERE pass_id = $1', [pass.id]);
          return row?.name === `P${i} v${VERSIONS}` ? true : undefined;
        },
        30_000,
        250,
      );
    }
  });
});
