import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { CONSUMED_EVENT_TYPES } from '../../apps/webhooks/src/events/event-intake';
import { TOPICS } from '../../libs/common/src/events/topics';
import { Stack } from '../../tools/stack';
import { closeGatewayDb, eventually } from '../support/e2e-env';
import {
  expectEveryEventOnce,
  faultTenant,
  faultWorld,
  FaultWorld,
  query,
  readinessOf,
  startFaultStack,
  SETUP_BUDGET_MS,
} from '../support/fault-stack';
import { LocalKafka } from '../support/kafka-brokers';
import { readTopics } from '../support/topic-reader';

/** A minute without Kafka; a shorter value only for trying the test out locally. */
const OUTAGE_MS = Number(process.env.FAULT_KAFKA_OUTAGE_MS ?? 60_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fault 1: Kafka stopped for 60 s under write and scan load', () => {
  let kafka: LocalKafka;
  let world: FaultWorld;
  let stack: Stack;

  beforeAll(async () => {
    kafka = await LocalKafka.start(1, 'outage');
    world = await faultWorld('kafka_outage', kafka);
    stack = await startFaultStack('kafka-outage', world);
  }, SETUP_BUDGET_MS);
  afterAll(async () => {
    await stack?.stop();
    await kafka?.stop();
    await closeGatewayDb();
  });

  it('writes and scans go on, every app stays ready, the outbox drains with nothing lost or doubled, and a revoke made meanwhile holds', async () => {
    const { api, tenant } = await faultTenant(stack, world, 'Kafka Outage');
    const scanned = [];
    for (let i = 0; i < 5; i += 1) scanned.push((await api.post('/passes', { type: 'multi', maxUsages: 10_000, name: `Door ${i}` })).body);
    const toRevoke = (await api.post('/passes', { type: 'single', name: 'Revoked while Kafka is away' })).body;
    const created: string[] = scanned.map((pass) => pass.id).concat(toRevoke.id);
    const successes = new Map<string, number>(scanned.map((pass) => [pass.id, 0]));
    const failures: string[] = [];

    await kafka.stopNode(1);
    const began = Date.now();
    let revoked = false;
    let lastReadinessCheck = 0;
    for (let i = 0; Date.now() - began < OUTAGE_MS; i += 1) {
      const pass = scanned[i % scanned.length];
      const [write, scan] = await Promise.all([
        api.post('/passes', { type: 'single', name: `During the outage ${i}` }),
        api.post('/scan', { code: pass.code }),
      ]);
      if (write.status === 201) created.push(write.body.id);
      else failures.push(`write ${i}: ${write.status} ${write.text}`);
      if (scan.status === 200 && scan.body.result === 'success') successes.set(pass.id, successes.get(pass.id)! + 1);
      else failures.push(`scan ${i}: ${scan.status} ${scan.text}`);
      if (!revoked && Date.now() - began > OUTAGE_MS / 3) {
        const revoke = await api.post(`/passes/${toRevoke.id}/revoke`);
        if (revoke.status !== 200) failures.push(`revoke: ${revoke.status} ${revoke.text}`);
        revoked = true;
      }
      if (Date.now() - lastReadinessCheck > 5_000) {
        lastReadinessCheck = Date.now();
        const readiness = await readinessOf(stack);
        for (const [app, status] of Object.entries(readiness))
          if (status !== 200) failures.push(`${app} not ready (${status}) after ${Date.now() - began} ms`);
      }
      await sleep(200);
    }
    assert.deepEqual(failures, [], 'nothing failed while Kafka was away');
    assert.ok(revoked);
    const waiting = await query<{ n: number }>(
      world,
      'SELECT (SELECT count(*) FROM passes.outbox) + (SELECT count(*) FROM scans.outbox) AS n',
    );
    assert.ok(Number(waiting[0].n) > 0, 'the outboxes held the events meanwhile');

    await kafka.startNode(1);
    await eventually(
      async () => {
        const [row] = await query<{ n: string }>(
          world,
          'SELECT (SELECT count(*) FROM passes.outbox) + (SELECT count(*) FROM scans.outbox) AS n',
        );
        return Number(row.n) === 0 ? true : undefined;
      },
      90_000,
      500,
    );
    const revokedScan = await api.post('/scan', { code: toRevoke.code });
    assert.equal(revokedScan.body.result, 'revoked');

    await expectEveryEventOnce({ kafka, world, api, tenantId: tenant.id, created, successes });
    // The webhooks consumer logged every event it takes, once (its log is keyed by event id).
    const events = await readTopics(
      kafka.client(),
      [TOPICS.passEvents.name, TOPICS.scanEvents.name],
      (event) => event.tenantId === tenant.id,
    );
    const logged = new Set(
      (await query<{ event_id: string }>(world, 'SELECT event_id FROM webhooks.event_log WHERE tenant_id = $1', [tenant.id])).map(
        (row) => row.event_id,
      ),
    );
    const consumed = new Set<string>(CONSUMED_EVENT_TYPES);
    assert.deepEqual(
      events.filter((e) => consumed.has(e.type) && !logged.has(e.id)).map((e) => e.type),
      [],
      'every event in the webhooks log',
    );
  });
});
