import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, eventually, TestTenant } from './support/e2e-env';
import { verifySignature, WebhookReceiver } from './support/webhook-receiver';

/**
 * The webhook intake logs every event for /triggers but creates deliveries only for (tenant, event)
 * pairs in its in-memory set of subscribed pairs, which a new subscription must invalidate at once.
 */
describe('webhook intake: tenants without a matching webhook are skipped, a new webhook is seen at once', () => {
  let tenant: TestTenant;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    tenant = await createTenant({ name: 'Intake Hooks' });
    receiver = await new WebhookReceiver().start();
  });

  afterAll(async () => {
    await receiver.stop();
    await closeGatewayDb();
  });

  const skippedSoFar = async () => {
    const text = await (await fetch(`http://127.0.0.1:${process.env.WEBHOOKS_HTTP_PORT}/metrics`)).text();
    return Number(/^passway_webhook_events_without_subscriber_total(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? NaN);
  };

  const scan = async (code: string): Promise<string> => {
    const response = await tenant.api.post('/scan', { code });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.success, true);
    return response.body.scan.id;
  };

  it('logs a scan of a tenant with no webhook without a delivery, then delivers the next scan once a webhook exists', async () => {
    const pass = (await tenant.api.post('/passes', { type: 'multi', name: 'Intake' })).body;
    const skippedBefore = await skippedSoFar();
    const before = await scan(pass.code);
    await eventually(async () => {
      const items = (await tenant.api.get('/triggers?event=pass.scanned')).body as { id: string }[];
      return items.some((item) => item.id === before) || undefined;
    });
    assert.ok((await skippedSoFar()) > skippedBefore, 'the scan was counted as having no subscriber');

    const hook = (await tenant.api.post('/webhooks', { event: 'pass.scanned', targetUrl: receiver.url('/intake') })).body;
    const after = await scan(pass.code);
    await receiver.waitFor(() => receiver.forPath('/intake').some((r) => r.json?.data?.id === after));
    const delivered = receiver.forPath('/intake');
    assert.ok(
      verifySignature(
        hook.secret,
        delivered.find((r) => r.json.data.id === after)!,
      ),
    );
    assert.deepEqual(
      delivered.map((r) => r.json.data.id),
      [after],
      'the scan from before the webhook existed is not delivered, the one after it is',
    );
  });
});
