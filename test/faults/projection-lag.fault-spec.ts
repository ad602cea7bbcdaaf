import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Stack } from '../../tools/stack';
import { closeGatewayDb, eventually } from '../support/e2e-env';
import { faultTenant, faultWorld, FaultWorld, query, startFaultStack, SETUP_BUDGET_MS } from '../support/fault-stack';
import { LocalKafka } from '../support/kafka-brokers';

const LAG_BOUND_MS = 1_500;

/** The scans projection's lag as the scans service exports it (seconds, −1 while unknown). */
async function projectionLag(stack: Stack, world: FaultWorld): Promise<number> {
  const metrics = await (await fetch(stack.healthUrl('scans').replace('/health/ready', '/metrics'))).text();
  const line = metrics
    .split('\n')
    .find(
      (l) => l.startsWith('passway_consumer_lag_seconds{') && l.includes(`group="${world.env.KAFKA_CLIENT_ID_PREFIX}-scans-admissions"`),
    );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN;
}

describe('the scans projection lag bound', () => {
  let kafka: LocalKafka;
  let world: FaultWorld;
  let stack: Stack;

  beforeAll(async () => {
    kafka = await LocalKafka.start(1, 'lag');
    world = await faultWorld('projection_lag', kafka, { SCANS_PROJECTION_LAG_BOUND_MS: String(LAG_BOUND_MS) });
    stack = await startFaultStack('projection-lag', world);
  }, SETUP_BUDGET_MS);
  afterAll(async () => {
    await stack?.stop();
    await kafka?.stop();
    await closeGatewayDb();
  });

  it('past the bound, a scan is confirmed with the passes service, and refused as offline (not a 5xx) when that fails too', async () => {
    const { api } = await faultTenant(stack, world, 'Lag Bound');
    const revoked = (await api.post('/passes', { type: 'single', name: 'Revoked, but the projection missed it' })).body;
    const active = (await api.post('/passes', { type: 'multi', maxUsages: 100, name: 'Active' })).body;
    assert.equal((await api.post(`/passes/${revoked.id}/revoke`)).status, 200);
    assert.equal((await api.post('/scan', { code: revoked.code })).body.result, 'revoked');
    // The projection misses the revoke (as if its event were stuck somewhere), and Kafka goes away.
    await query(world, `UPDATE scans.admissions SET status = 'active' WHERE pass_id = $1`, [revoked.id]);
    await kafka.stopNode(1);
    await eventually(async () => ((await projectionLag(stack, world)) * 1000 > LAG_BOUND_MS ? true : undefined), 30_000, 200);

    const confirmed = await api.post('/scan', { code: revoked.code });
    assert.equal(confirmed.status, 200);
    assert.equal(confirmed.body.result, 'revoked', 'confirmed with the passes service, not admitted on the stale row');
    assert.equal((await api.post('/scan', { code: active.code })).body.result, 'success', 'a confirmed good pass is admitted');

    await stack.stopApp('passes');
    const offline = await api.post('/scan', { code: active.code });
    assert.equal(offline.status, 200, offline.text);
    assert.deepEqual([offline.body.success, offline.body.result], [false, 'offline']);
    assert.equal((await api.post('/scan', { code: revoked.code })).body.result, 'revoked', 'a refusal the projection knows of stands');

    // Back: Kafka and passes return, the lag falls under the bound, and the door admits from the projection again.
    await kafka.startNode(1);
    await stack.startApp('passes');
    await eventually(
      async () => {
        const lag = await projectionLag(stack, world);
        return lag >= 0 && lag * 1000 < LAG_BOUND_MS ? true : undefined;
      },
      60_000,
      250,
    );
    assert.equal((await api.post('/scan', { code: active.code })).body.result, 'success');
    const recorded = await query<{ result: string }>(world, `SELECT result FROM scans.scans WHERE pass_id = $1 ORDER BY recorded_at`, [
      active.id,
    ]);
    assert.deepEqual(
      recorded.map((r) => r.result),
      ['success', 'offline', 'success'],
    );
  });
});
