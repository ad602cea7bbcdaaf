import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { PassLinkSigner } from '../libs/common/src/passes/pass-link';
import { Stack } from '../tools/stack';
import { ApiClient } from './support/api-client';
import { closeGatewayDb, createTenant, eventually, isolatedEnv, startDedicatedStack } from './support/e2e-env';
import { FakeApnsControl } from './support/fake-apns';
import { walletTestIdentity } from './support/pkpass';
import { projectedAdmission } from './support/scans-projection';

const WALLET_DEVICES = 30;

/**
 * One dedicated stack whose apps are stopped one after the other: notifications killed mid-push
 * (then started again), passes (started again), passes once more, then scans. It has a database and consumer groups of its own (isolatedEnv), so
 * only its own passes service can bring usagesCount up to date: a catch-up seen here is the
 * restarted service consuming what it missed.
 */
describe('a service that is down', () => {
  let stack: Stack;
  let databaseUrl: string;
  let api: ApiClient;
  let apns: FakeApnsControl;

  beforeAll(async () => {
    const isolated = await isolatedEnv('services_down');
    databaseUrl = isolated.DATABASE_URL!;
    // Wallet pushes five devices at a time, so a kill lands between waves of one push round.
    stack = await startDedicatedStack('services-down', { ...isolated, WALLET_PUSH_FANOUT: '5', WALLET_PUSH_LEASE_MS: '2000' });
    api = (await createTenant({ name: 'Down Time' }, stack.gatewayUrl, databaseUrl)).api;
    apns = FakeApnsControl.fromEnv();
  });
  afterAll(async () => {
    await apns?.release();
    await stack?.stop();
    await closeGatewayDb();
  });

  // notifications is SIGKILLed in the middle of pushing one change to many devices: the pushes APNs
  // answered are recorded and never sent again; those in flight (unanswered) and those not yet sent
  // go out after the restart, once each.
  it('loses no wallet push and sends none twice when notifications dies mid-push', async () => {
    const identity = walletTestIdentity();
    const signer = new PassLinkSigner(
      { id: process.env.PASS_LINK_KEY_ID ?? 'k1', secret: process.env.PASS_LINK_SECRET! },
      stack.gatewayUrl,
    );
    const pass = await api.post('/passes', { type: 'single', name: 'Crash course' });
    assert.equal(pass.status, 201, pass.text);
    const tokens = Array.from({ length: WALLET_DEVICES }, () => randomBytes(32).toString('hex'));
    for (const [index, token] of tokens.entries()) {
      const response = await fetch(
        `${stack.gatewayUrl}/wallet/v1/devices/crash-${index}-${token.slice(0, 8)}/registrations/${identity.passTypeId}/${pass.body.id}`,
        {
          method: 'POST',
          headers: { authorization: `ApplePass ${signer.walletToken(pass.body.id)}`, 'content-type': 'application/json' },
          body: JSON.stringify({ pushToken: token }),
        },
      );
      assert.equal(response.status, 201);
    }

    const acceptedFor = async () => {
      const pushes = (await apns.pushes()).filter((push) => tokens.includes(push.token) && push.accepted);
      return new Map(tokens.map((token) => [token, pushes.filter((push) => push.token === token).length]));
    };

    await apns.holdAfter(10);
    assert.equal((await api.post(`/passes/${pass.body.id}/revoke`)).status, 200);
    // Ten answered, the next wave held unanswered: now the process dies.
    await eventually(async () => ((await apns.held()) >= 5 ? true : undefined), 30_000);
    await stack.stopApp('notifications', 'SIGKILL');
    const before = await acceptedFor();
    assert.equal([...before.values()].filter((count) => count === 1).length, 10);
    // The stand-in learns of the dead connection a moment later (its held pushes end as it does);
    // releasing before then would answer them as if the dead sender had heard back.
    await eventually(async () => ((await apns.held()) === 0 ? true : undefined), 30_000);
    await apns.release();

    await stack.startApp('notifications');
    const after = await eventually(async () => {
      const counts = await acceptedFor();
      return [...counts.values()].every((count) => count >= 1) ? counts : undefined;
    }, 60_000);
    // A later change down the same path: once its pushes are in, nothing more of the first can come.
    assert.equal((await api.post(`/passes/${pass.body.id}/activate`)).status, 200);
    const final = await eventually(async () => {
      const counts = await acceptedFor();
      return [...counts.values()].every((count) => count >= 2) ? counts : undefined;
    }, 60_000);
    assert.deepEqual(
      [...after.values()].filter((count) => count !== 1),
      [],
      'every device got the revoke exactly once',
    );
    assert.deepEqual(
      [...final.values()].filter((count) => count !== 2),
      [],
      'and the reactivation exactly once',
    );
  });

  it('makes /health 503 and its routes a JSON 503, and recovers when it is back', async () => {
    assert.equal((await api.post('/passes', { type: 'single' })).status, 201);
    for (const app of ['passes', 'scans', 'webhooks', 'notifications', 'gateway'] as const) {
      const ready = await fetch(stack.healthUrl(app));
      const report: any = await ready.json();
      assert.equal(ready.status, 200, app);
      assert.equal(report.status, 'ok', app);
      assert.equal(report.info.database.status, 'up', `${app} checks its database`);
      assert.equal(report.info.shutdown.status, 'up');
      // Kafka and Redis are reported, never gating: a blip in either must not empty every Service.
      assert.equal(report.info.kafka, undefined, `${app} is not made unready by Kafka`);
      assert.equal(report.info.redis, undefined, `${app} is not made unready by Redis`);
      if (app !== 'gateway') assert.equal(report.dependencies.kafka.status, 'up', `${app} reports Kafka`);
      if (app !== 'passes' && app !== 'scans') assert.equal(report.dependencies.redis.status, 'up', `${app} reports Redis`);
      if (app !== 'gateway') {
        const consumers = Object.keys(report.info).filter((name) => name.startsWith('consumer '));
        assert.ok(consumers.length > 0, `${app} waits for its consumers`);
      }
    }
    await stack.stopApp('passes');
    const health = await api.get('/health');
    assert.equal(health.status, 503);
    assert.equal(health.body.services.passes, 'UNREACHABLE');
    const refused = await api.post('/passes', { type: 'single' });
    assert.equal(refused.status, 503);
    assert.match(refused.body.error, /passes service is unavailable/);
    await stack.startApp('passes');
    // The gateway's channel reconnects with backoff (at most 2 s), so recovery is prompt but not instant.
    await eventually(async () => ((await api.get('/health')).status === 200 ? true : undefined), 10_000, 200);
    assert.equal((await api.post('/passes', { type: 'single' })).status, 201);
  });

  it('lets the door redeem known passes from the projection while passes is down; usagesCount catches up when it returns', async () => {
    const single = (await api.post('/passes', { type: 'single', name: 'Offline door' })).body;
    const multi = (await api.post('/passes', { type: 'multi', maxUsages: 10 })).body;
    for (const pass of [single, multi]) {
      await eventually(async () => ((await projectedAdmission(pass.id, databaseUrl)) ? true : undefined));
    }

    await stack.stopApp('passes');
    assert.equal((await api.get(`/passes/${single.id}`)).status, 503, 'the passes service is really down');

    const first = await api.post('/scan', { code: single.code });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.result, 'success');
    assert.equal((await api.post('/scan', { code: single.code })).body.result, 'already_used');
    const multiResults = [];
    for (let i = 0; i < 3; i += 1) multiResults.push((await api.post('/scan', { code: multi.code })).body.result);
    assert.deepEqual(multiResults, ['success', 'success', 'success']);
    const history = await api.get(`/passes/${multi.id}/scans`);
    assert.equal(history.status, 200);
    assert.equal(history.body.length, 3);

    // A code the projection has never seen needs the passes service: a clear 503, not a 404.
    const unknown = await api.post('/scan', { code: 'ZZZZZZZZZZZZZZZZ' });
    assert.equal(unknown.status, 503);
    assert.equal(typeof unknown.body.error, 'string');

    await stack.startApp('passes');
    const caughtUp = await eventually(async () => {
      const [s, m] = await Promise.all([api.get(`/passes/${single.id}`), api.get(`/passes/${multi.id}`)]);
      return s.body.status === 'used' && m.body.usagesCount === 3 ? [s.body, m.body] : undefined;
    }, 30_000);
    assert.equal(caughtUp[0].usagesCount, 1);
    assert.equal(caughtUp[1].status, 'active');
  });

  it('leaves GET /events/:id/stats a 200 while scans is down: attendee counts, empty breakdowns, scansAvailable: false; 404s still come from passes', async () => {
    const event = (await api.post('/events', { name: 'Dark Door', startsAt: '2031-05-01T18:00:00Z' })).body;
    const pass = (await api.post('/passes', { type: 'single', eventId: event.id, clientName: 'Guest' })).body;
    // Projected first: this test is about stats, not the read-through to a just-restarted passes service.
    await eventually(async () => ((await projectedAdmission(pass.id, databaseUrl)) ? true : undefined));
    const scanned = await api.post('/scan', { code: pass.code });
    assert.equal(scanned.body.result, 'success', scanned.text);
    const up = (await api.get(`/events/${event.id}/stats`)).body;
    assert.deepEqual([up.scansByResult, up.scansAvailable, up.byHour.length], [{ success: 1 }, true, 1]);

    await stack.stopApp('scans');
    assert.equal((await api.post('/scan', { code: pass.code })).status, 503, 'the scans service is really down');
    const down = await api.get(`/events/${event.id}/stats`);
    assert.equal(down.status, 200, down.text);
    assert.deepEqual(
      { ...down.body, checkedIn: undefined, checkInRate: undefined },
      {
        eventId: event.id,
        attendees: 1,
        checkedIn: undefined,
        checkInRate: undefined,
        scansByResult: {},
        byHour: [],
        scansAvailable: false,
      },
    );
    assert.equal((await api.get('/events/00000000-0000-4000-8000-000000000000/stats')).status, 404);
  });
});
