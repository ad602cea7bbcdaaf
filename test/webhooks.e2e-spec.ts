import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Client } from 'pg';
import { closeGatewayDb, createTenant, eventually, TestTenant } from './support/e2e-env';
import { verifySignature, WebhookReceiver } from './support/webhook-receiver';

const SEED_WEBHOOK_KEYS = ['active', 'createdAt', 'event', 'id', 'targetUrl'];
const SEED_LIST_PASS_KEYS = [
  'client',
  'code',
  'createdAt',
  'id',
  'maxUsages',
  'name',
  'publicUrl',
  'status',
  'type',
  'usagesCount',
  'validFrom',
  'validUntil',
];

describe('webhooks: subscriptions and signed deliveries', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Hooks' });
    globex = await createTenant({ name: 'Globex Hooks' });
    receiver = await new WebhookReceiver().start();
  });

  afterAll(async () => {
    await receiver.stop();
    await closeGatewayDb();
  });

  const subscribe = async (tenant: TestTenant, event: string, path: string) => {
    const response = await tenant.api.post('/webhooks', { event, targetUrl: receiver.url(path) });
    assert.equal(response.status, 201, response.text);
    return response.body as { id: string; secret: string; event: string; targetUrl: string; active: boolean; createdAt: string };
  };

  const deliveriesOf = async (tenant: TestTenant, webhookId: string) => {
    const response = await tenant.api.get(`/webhooks/${webhookId}/deliveries`);
    assert.equal(response.status, 200, response.text);
    return response.body as any[];
  };

  it('subscribes with the REST contract shape, returns the secret once, and lists without it', async () => {
    const created = await subscribe(acme, 'pass.scanned', '/shape');
    assert.deepEqual(Object.keys(created).sort(), [...SEED_WEBHOOK_KEYS, 'secret'].sort());
    assert.match(created.id, /^wh_/);
    assert.equal(created.event, 'pass.scanned');
    assert.equal(created.targetUrl, receiver.url('/shape'));
    assert.equal(created.active, true);
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    assert.ok(Buffer.from(created.secret.slice(6), 'base64').length >= 24);

    const list = await acme.api.get('/webhooks');
    assert.equal(list.status, 200);
    assert.ok(Array.isArray(list.body));
    const listed = list.body.find((w: any) => w.id === created.id);
    assert.deepEqual(Object.keys(listed).sort(), SEED_WEBHOOK_KEYS);
    assert.equal(list.headers.get('x-total-count'), String(list.body.length));
    assert.ok(!list.text.includes(created.secret));
  });

  it('refuses bad subscriptions with 400 and creates nothing', async () => {
    const tenant = await createTenant({ name: 'Bad Input Hooks' });
    for (const body of [
      {},
      { event: 'pass.created' },
      { targetUrl: receiver.url('/x') },
      { event: 'pass.deleted', targetUrl: receiver.url('/x') },
      { event: 'pass.updated', targetUrl: receiver.url('/x') },
      { event: 'pass.created', targetUrl: 'not a url' },
      { event: 'pass.created', targetUrl: 'ftp://example.com/hook' },
      { event: 'pass.created', targetUrl: '/relative/hook' },
      { event: 'pass.created', targetUrl: 42 },
      { event: 'pass.created', targetUrl: receiver.url('/x'), secret: 'mine' },
    ]) {
      const response = await tenant.api.post('/webhooks', body);
      assert.equal(response.status, 400, `${JSON.stringify(body)} → ${response.status} ${response.text}`);
      assert.equal(typeof response.body.error, 'string');
    }
    const malformed = await tenant.api.post('/webhooks', undefined, {
      rawBody: '{"event":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(malformed.status, 400);
    assert.deepEqual((await tenant.api.get('/webhooks')).body, []);
  });

  it('delivers pass.created signed per Standard Webhooks, in the REST shape, and logs the delivery', async () => {
    const hook = await subscribe(acme, 'pass.created', '/created');
    await subscribe(acme, 'client.created', '/clients-only');
    const pass = (await acme.api.post('/passes', { type: 'single', name: 'Signed', clientName: 'Dana Scully' })).body;
    const [delivery] = await receiver
      .waitFor(() => receiver.forPath('/created').some((r) => r.json?.data?.id === pass.id))
      .then(() => receiver.forPath('/created').filter((r) => r.json?.data?.id === pass.id));

    assert.equal(delivery.headers['content-type'], 'application/json');
    assert.match(String(delivery.headers['webhook-id']), /^msg_/);
    const timestamp = Number(delivery.headers['webhook-timestamp']);
    assert.ok(Math.abs(timestamp - Date.now() / 1000) < 60, 'webhook-timestamp is the attempt time in seconds');
    assert.match(String(delivery.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
    assert.ok(verifySignature(hook.secret, delivery), 'the signature verifies with the secret returned at subscription');
    assert.ok(
      !verifySignature(hook.secret, { ...delivery, body: delivery.body.replace('Signed', 'Forged') }),
      'a changed body does not verify',
    );

    assert.deepEqual(Object.keys(delivery.json).sort(), ['data', 'timestamp', 'type']);
    assert.equal(delivery.json.type, 'pass.created');
    assert.ok(!Number.isNaN(Date.parse(delivery.json.timestamp)));
    assert.deepEqual(Object.keys(delivery.json.data).sort(), [...SEED_LIST_PASS_KEYS, 'clientEmail', 'clientName', 'clientPhone'].sort());
    assert.equal(delivery.json.data.code, pass.code);
    assert.equal(delivery.json.data.clientName, 'Dana Scully');
    assert.ok(!('tenantId' in delivery.json.data));

    const clientHook = await eventually(() =>
      Promise.resolve(receiver.forPath('/clients-only').find((r) => r.json?.data?.name === 'Dana Scully')),
    );
    assert.equal(clientHook.json.type, 'client.created');
    assert.ok(!receiver.forPath('/clients-only').some((r) => r.json?.type !== 'client.created'), 'a subscription gets only its event');

    const log = await eventually(async () => {
      const entries = await deliveriesOf(acme, hook.id);
      return entries.find((d) => d.status === 'succeeded') ? entries : undefined;
    });
    assert.equal(log.length, 1);
    const [entry] = log;
    assert.equal(entry.messageId, delivery.headers['webhook-id']);
    assert.equal(entry.event, 'pass.created');
    assert.equal(entry.attemptCount, 1);
    assert.equal(entry.lastStatusCode, 200);
    assert.equal(typeof entry.durationMs, 'number');
    assert.equal(entry.error, null);
    assert.equal(entry.nextRetryAt, null);
    assert.equal(entry.attempts.length, 1);
    assert.equal(entry.attempts[0].statusCode, 200);
  });

  it('retries a failed delivery with backoff and the same webhook-id until it succeeds', async () => {
    receiver.respondWith((request, count) => (request.path === '/flaky' && count <= 2 ? 500 : 200));
    const hook = await subscribe(acme, 'client.created', '/flaky');
    await acme.api.post('/clients', { name: 'Flaky Fox' });
    const attempts = await receiver.waitFor(() => receiver.forPath('/flaky').length >= 3).then(() => receiver.forPath('/flaky'));
    assert.equal(attempts.length, 3);
    assert.equal(new Set(attempts.map((a) => a.headers['webhook-id'])).size, 1, 'one webhook-id across retries');
    for (const attempt of attempts) assert.ok(verifySignature(hook.secret, attempt));
    assert.ok(attempts[1].receivedAt - attempts[0].receivedAt >= 150, 'the first retry waits its backoff');
    assert.ok(attempts[2].receivedAt - attempts[1].receivedAt >= 300, 'the second retry waits longer');

    const [entry] = await eventually(async () => {
      const entries = await deliveriesOf(acme, hook.id);
      return entries[0]?.status === 'succeeded' ? entries : undefined;
    });
    assert.equal(entry.attemptCount, 3);
    assert.deepEqual(
      entry.attempts.map((a: any) => a.statusCode),
      [500, 500, 200],
    );
    assert.equal(entry.attempts[0].error, 'HTTP 500');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(receiver.forPath('/flaky').length, 3, 'nothing more after success');
  });

  it('gives up after the last retry, shows it in the log, and redelivers on a manual retry', async () => {
    let healthy = false;
    receiver.respondWith((request) => (request.path === '/down' && !healthy ? 503 : 200));
    const hook = await subscribe(acme, 'client.created', '/down');
    await acme.api.post('/clients', { name: 'Down Dog' });
    const [failed] = await eventually(async () => {
      const entries = await deliveriesOf(acme, hook.id);
      return entries[0]?.status === 'failed' ? entries : undefined;
    }, 15_000);
    assert.equal(failed.attemptCount, 4, 'one attempt plus three retries (WEBHOOK_RETRY_DELAYS_MS=200,400,800)');
    assert.equal(failed.lastStatusCode, 503);
    assert.equal(failed.error, 'HTTP 503');
    assert.equal(failed.nextRetryAt, null);
    assert.equal(receiver.forPath('/down').length, 4);

    healthy = true;
    const retried = await acme.api.post(`/webhooks/${hook.id}/deliveries/${failed.id}/retry`);
    assert.equal(retried.status, 202, retried.text);
    assert.equal(retried.body.id, failed.id);
    const [entry] = await eventually(async () => {
      const entries = await deliveriesOf(acme, hook.id);
      return entries[0]?.status === 'succeeded' ? entries : undefined;
    });
    assert.equal(entry.attemptCount, 5);
    assert.equal(entry.lastStatusCode, 200);
    const received = receiver.forPath('/down');
    assert.equal(received.length, 5);
    assert.equal(received[4].headers['webhook-id'], received[0].headers['webhook-id'], 'a manual retry keeps the webhook-id');

    const again = await acme.api.post(`/webhooks/${hook.id}/deliveries/00000000-0000-4000-8000-000000000000/retry`);
    assert.equal(again.status, 404);
    assert.equal((await acme.api.post(`/webhooks/${hook.id}/deliveries/not-an-id/retry`)).status, 404);
  });

  it('stops delivering once a webhook is deleted, including retries already scheduled', async () => {
    receiver.respondWith((request) => (request.path === '/deleted' ? 500 : 200));
    const hook = await subscribe(acme, 'client.created', '/deleted');
    await acme.api.post('/clients', { name: 'Gone Girl' });
    await receiver.waitFor(() => receiver.forPath('/deleted').length >= 1);
    const removed = await acme.api.delete(`/webhooks/${hook.id}`);
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body, { success: true });
    const seen = receiver.forPath('/deleted').length;
    await acme.api.post('/clients', { name: 'After Delete' });
    await new Promise((r) => setTimeout(r, 2_000));
    assert.ok(receiver.forPath('/deleted').length <= seen + 0, 'no attempt after deletion');
    assert.ok(!receiver.forPath('/deleted').some((r) => r.json?.data?.name === 'After Delete'));
    assert.ok(!(await acme.api.get('/webhooks')).body.some((w: any) => w.id === hook.id));
    assert.equal((await acme.api.delete(`/webhooks/${hook.id}`)).status, 404);
    assert.equal((await acme.api.get(`/webhooks/${hook.id}/deliveries`)).status, 404);
  });

  it("moves the intake's subscription version when the set of webhooks changes, and not with each delivery", async () => {
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const version = async () => BigInt((await db.query('SELECT version FROM webhooks.subscription_version')).rows[0].version);
    try {
      const before = await version();
      const hook = await subscribe(acme, 'client.created', '/versioned');
      const subscribed = await version();
      assert.ok(subscribed > before, 'a new webhook moves it');
      await acme.api.post('/clients', { name: 'Version Vera' });
      await eventually(async () => ((await deliveriesOf(acme, hook.id))[0]?.status === 'succeeded' ? true : undefined));
      assert.equal(await version(), subscribed, 'a delivery (which resets the failing streak) leaves it');
      assert.equal((await acme.api.delete(`/webhooks/${hook.id}`)).status, 200);
      assert.ok((await version()) > subscribed, 'a deletion moves it');
    } finally {
      await db.end();
    }
  });

  it('enforces the per-tenant quota with 403, and a deletion frees a slot', async () => {
    const tenant = await createTenant({ name: 'Quota Hooks' });
    const ids: string[] = [];
    for (let i = 0; i < 25; i += 1) {
      const response = await tenant.api.post('/webhooks', { event: 'pass.created', targetUrl: receiver.url(`/quota/${i}`) });
      assert.equal(response.status, 201, response.text);
      ids.push(response.body.id);
    }
    const over = await tenant.api.post('/webhooks', { event: 'pass.created', targetUrl: receiver.url('/quota/over') });
    assert.equal(over.status, 403);
    assert.match(over.body.error, /quota/i);
    assert.equal((await tenant.api.get('/webhooks?limit=100')).body.length, 25);
    assert.equal((await tenant.api.delete(`/webhooks/${ids[0]}`)).status, 200);
    assert.equal((await tenant.api.post('/webhooks', { event: 'pass.created', targetUrl: receiver.url('/quota/again') })).status, 201);
  });

  it("hides another tenant's webhooks and deliveries: 404 everywhere", async () => {
    const hook = await subscribe(acme, 'client.created', '/private');
    await acme.api.post('/clients', { name: 'Private Person' });
    const [delivery] = await eventually(async () => {
      const entries = await deliveriesOf(acme, hook.id);
      return entries.length ? entries : undefined;
    });
    assert.equal((await globex.api.get(`/webhooks/${hook.id}/deliveries`)).status, 404);
    assert.equal((await globex.api.post(`/webhooks/${hook.id}/deliveries/${delivery.id}/retry`)).status, 404);
    assert.equal((await globex.api.delete(`/webhooks/${hook.id}`)).status, 404);
    assert.ok(!(await globex.api.get('/webhooks')).body.some((w: any) => w.id === hook.id));
    const globexHook = await subscribe(globex, 'client.created', '/globex');
    assert.equal((await acme.api.post(`/webhooks/${globexHook.id}/deliveries/${delivery.id}/retry`)).status, 404);
    assert.equal((await acme.api.delete('/webhooks/wh_nope')).status, 404);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(
      !receiver.forPath('/globex').some((r) => r.json?.data?.name === 'Private Person'),
      "a tenant's events never reach another tenant's webhook",
    );
  });
  it('reports delivery metrics on the webhooks service /metrics', async () => {
    const response = await fetch(`http://127.0.0.1:${process.env.WEBHOOKS_HTTP_PORT}/metrics`);
    assert.equal(response.status, 200);
    const text = await response.text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
    assert.ok(
      value(/^passway_webhook_attempts_total\{[^}]*outcome="succeeded"[^}]*status_class="2xx"[^}]*\} (\d+)/m) >= 1,
      'successful attempts',
    );
    assert.ok(
      value(/^passway_webhook_attempts_total\{[^}]*outcome="retrying"[^}]*status_class="5xx"[^}]*\} (\d+)/m) >= 1,
      'retried attempts',
    );
    assert.ok(value(/^passway_webhook_attempts_total\{[^}]*outcome="failed"[^}]*\} (\d+)/m) >= 1, 'given-up attempts');
    assert.match(text, /^passway_webhook_event_to_first_attempt_seconds_count\{[^}]*\} [1-9]/m);
    assert.match(text, /^passway_queue_jobs\{[^}]*queue="webhook-deliveries"/m);
    assert.match(text, /^passway_webhook_unsettled_deliveries\{[^}]*status="retrying"/m);
  });
});
