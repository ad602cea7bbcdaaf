import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { DEV_WEBHOOK_SECRET_KEY } from '../apps/webhooks/src/config';
import { SecretBox } from '../apps/webhooks/src/signing/secret-box';
import { generateSigningSecret } from '../apps/webhooks/src/signing/standard-webhooks';
import { eventually, TestTenant } from './support/e2e-env';
import { IsolatedStack } from './support/isolated-stack';
import { verifySignature, WebhookReceiver } from './support/webhook-receiver';

describe('webhooks SSRF rules with WEBHOOK_ALLOW_PRIVATE_TARGETS off', () => {
  let isolated: IsolatedStack;
  let tenant: TestTenant;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    isolated = await IsolatedStack.start('wh_ssrf', {
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false',
      WEBHOOK_RETRY_DELAYS_MS: '200,400',
      WEBHOOK_DISABLE_AFTER_MS: '1000',
    });
    tenant = await isolated.createTenant('SSRF Tenant');
  });

  afterAll(async () => {
    await isolated?.stop();
    await receiver.stop();
  });

  it('refuses http and targets that are or resolve to loopback, private, link-local, CGNAT, unique-local or metadata addresses', async () => {
    const refused: [string, RegExp][] = [
      [receiver.url('/hook'), /https/],
      ['http://example.com/hook', /https/],
      [`https://127.0.0.1:${receiver.port}/hook`, /loopback, private/],
      [`https://localhost:${receiver.port}/hook`, /loopback, private/],
      ['https://10.1.2.3/hook', /loopback, private/],
      ['https://172.16.5.4/hook', /loopback, private/],
      ['https://192.168.0.10/hook', /loopback, private/],
      ['https://169.254.169.254/latest/meta-data/', /loopback, private/],
      ['https://100.100.100.200/hook', /loopback, private/],
      ['https://0.0.0.0/hook', /loopback, private/],
      ['https://[::1]/hook', /loopback, private/],
      ['https://[fd00:ec2::254]/hook', /loopback, private/],
      ['https://[::ffff:127.0.0.1]/hook', /loopback, private/],
      ['https://[fe80::1]/hook', /loopback, private/],
      ['https://user:pass@93.184.215.14/hook', /credentials/],
    ];
    for (const [targetUrl, message] of refused) {
      const response = await tenant.api.post('/webhooks', { event: 'pass.created', targetUrl });
      assert.equal(response.status, 400, `${targetUrl} → ${response.status} ${response.text}`);
      assert.match(response.body.error, message, targetUrl);
    }
    assert.deepEqual((await tenant.api.get('/webhooks')).body, []);
    const publicTarget = await tenant.api.post('/webhooks', { event: 'client.created', targetUrl: 'https://93.184.215.14/hook' });
    assert.equal(publicTarget.status, 201, publicTarget.text);
  });

  it('checks again at delivery against the resolved address (DNS rebinding), and disables a webhook failing for too long', async () => {
    // A subscription whose host was public when it was checked and now resolves to loopback.
    const id = 'wh_0123456789abcdef01234567';
    const secret = generateSigningSecret();
    const sealed = new SecretBox(Buffer.from(DEV_WEBHOOK_SECRET_KEY, 'base64')).seal(secret, id);
    await isolated.db.query(
      `INSERT INTO webhooks.subscriptions (id, tenant_id, event, target_url, secret_encrypted) VALUES ($1, $2, 'pass.created', $3, $4)`,
      [id, tenant.tenant.id, `https://localhost:${receiver.port}/rebound`, sealed],
    );
    await tenant.api.post('/passes', { type: 'single', name: 'Rebound' });
    const [failed] = await eventually(async () => {
      const entries = (await tenant.api.get(`/webhooks/${id}/deliveries`)).body;
      return entries[0]?.status === 'failed' ? entries : undefined;
    }, 15_000);
    assert.equal(failed.attemptCount, 3);
    assert.equal(failed.lastStatusCode, null);
    assert.match(failed.error, /^refused: .*loopback/);
    assert.equal(receiver.received.length, 0, 'no request left the service');

    // Failing for longer than WEBHOOK_DISABLE_AFTER_MS (1 s here) switches the webhook off.
    await new Promise((r) => setTimeout(r, 1_100));
    await tenant.api.post('/passes', { type: 'single', name: 'Still Failing' });
    const disabled = await eventually(async () => {
      const hook = (await tenant.api.get('/webhooks')).body.find((w: any) => w.id === id);
      return hook && hook.active === false ? hook : undefined;
    }, 15_000);
    assert.match(disabled.disabledReason, /disabled automatically: every delivery has failed since/);
    await tenant.api.post('/passes', { type: 'single', name: 'After Disable' });
    await new Promise((r) => setTimeout(r, 1_500));
    const deliveries = (await tenant.api.get(`/webhooks/${id}/deliveries`)).body;
    assert.ok(deliveries.length <= 2, 'a disabled webhook gets no new deliveries');
    const retry = await tenant.api.post(`/webhooks/${id}/deliveries/${failed.id}/retry`);
    assert.equal(retry.status, 400);
    assert.equal(receiver.received.length, 0);
  });
});

describe('webhooks service killed and restarted', () => {
  let isolated: IsolatedStack;
  let tenant: TestTenant;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    // Every answer takes a while, so the kill lands while deliveries are in flight.
    receiver.respondWith(() => ({ status: 200, delayMs: 150 }));
    isolated = await IsolatedStack.start('wh_crash', {
      WEBHOOK_RETRY_DELAYS_MS: '200,400,800',
      WEBHOOK_JOB_LOCK_MS: '2000',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_SWEEP_INTERVAL_MS: '500',
      WEBHOOK_CONCURRENCY: '2',
    });
    tenant = await isolated.createTenant('Crash Tenant');
  });

  afterAll(async () => {
    await isolated?.stop();
    await receiver.stop();
  });

  it('retries after a timeout (WEBHOOK_TIMEOUT_MS) and after a connection error', async () => {
    receiver.respondWith((request, count) => {
      if (request.path === '/slow') return { status: 200, delayMs: count === 1 ? 3_000 : 0 };
      return { status: 200, delayMs: 150 };
    });
    const slow = (await tenant.api.post('/webhooks', { event: 'client.created', targetUrl: receiver.url('/slow') })).body;
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const refused = (await tenant.api.post('/webhooks', { event: 'client.created', targetUrl: `http://127.0.0.1:${closedPort}/nobody` }))
      .body;
    await tenant.api.post('/clients', { name: 'Slow Poke' });

    const [slowDelivery] = await eventually(async () => {
      const entries = (await tenant.api.get(`/webhooks/${slow.id}/deliveries`)).body;
      return entries[0]?.status === 'succeeded' ? entries : undefined;
    }, 20_000);
    assert.equal(slowDelivery.attemptCount, 2);
    assert.equal(slowDelivery.attempts[0].statusCode, null);
    assert.equal(slowDelivery.attempts[0].error, 'timed out after 2000 ms');
    assert.ok(slowDelivery.attempts[0].durationMs >= 1_900);
    assert.equal(slowDelivery.attempts[1].statusCode, 200);
    const slowIds = receiver.forPath('/slow').map((r) => r.headers['webhook-id']);
    assert.equal(new Set(slowIds).size, 1);

    const [refusedDelivery] = await eventually(async () => {
      const entries = (await tenant.api.get(`/webhooks/${refused.id}/deliveries`)).body;
      return entries[0]?.status === 'failed' ? entries : undefined;
    }, 20_000);
    assert.equal(refusedDelivery.attemptCount, 4);
    assert.match(refusedDelivery.error, /^connection failed: .*ECONNREFUSED/);
    assert.equal(refusedDelivery.lastStatusCode, null);
    assert.equal((await tenant.api.delete(`/webhooks/${slow.id}`)).status, 200);
    assert.equal((await tenant.api.delete(`/webhooks/${refused.id}`)).status, 200);
    receiver.received.length = 0;
    receiver.respondWith(() => ({ status: 200, delayMs: 150 }));
  });

  /** What a subscriber that dedupes on webhook-id keeps: one message per webhook-id. */
  const distinctMessages = () => new Map(receiver.received.map((r) => [String(r.headers['webhook-id']), r]));

  it('loses nothing and sends nothing twice (per webhook-id) across a SIGKILL mid-delivery and a lost queue', async () => {
    const hook = (await tenant.api.post('/webhooks', { event: 'pass.created', targetUrl: receiver.url('/crash') })).body;
    const passIds: string[] = [];
    for (let i = 0; i < 15; i += 1) passIds.push((await tenant.api.post('/passes', { type: 'single', name: `Before ${i}` })).body.id);
    await receiver.waitFor((all) => all.length >= 3);
    await isolated.stack.stopApp('webhooks', 'SIGKILL');
    const receivedAtKill = distinctMessages().size;
    assert.ok(receivedAtKill < 15, 'the kill happened with deliveries outstanding');

    // While it is down: more events arrive, and Redis loses every queued job.
    for (let i = 0; i < 10; i += 1) passIds.push((await tenant.api.post('/passes', { type: 'single', name: `During ${i}` })).body.id);
    assert.ok((await isolated.wipeQueue()) > 0, 'there were queued jobs to lose');

    await isolated.stack.startApp('webhooks');
    // The API does not wait for the consumer to rejoin its group (the gateway's gRPC channel may take a moment to reconnect).
    await eventually(async () => ((await tenant.api.get(`/webhooks/${hook.id}/deliveries`)).status === 200 ? true : undefined), 20_000);
    await receiver.waitFor(() => new Set([...distinctMessages().values()].map((r) => r.json.data.id)).size >= passIds.length, 60_000);

    const byPass = new Map<string, Set<string>>();
    for (const [messageId, webhook] of distinctMessages()) {
      assert.ok(verifySignature(hook.secret, webhook));
      const set = byPass.get(webhook.json.data.id) ?? new Set();
      set.add(messageId);
      byPass.set(webhook.json.data.id, set);
    }
    assert.deepEqual([...byPass.keys()].sort(), [...passIds].sort(), 'every event was delivered');
    for (const [passId, messageIds] of byPass) assert.equal(messageIds.size, 1, `pass ${passId} arrived under one webhook-id`);

    const log = await eventually(async () => {
      const entries = (await tenant.api.get(`/webhooks/${hook.id}/deliveries?limit=100`)).body;
      return entries.length === passIds.length && entries.every((d: any) => d.status === 'succeeded') ? entries : undefined;
    }, 30_000);
    assert.equal(log.length, 25);
    const duplicates = receiver.received.length - distinctMessages().size;
    assert.ok(duplicates <= 2, `at most the deliveries in flight at the kill were repeated (got ${duplicates})`);
  });
});
