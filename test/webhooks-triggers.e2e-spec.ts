import assert from 'node:assert/strict';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { createEvent } from '../libs/common/src/events/envelope';
import { PassScannedValue } from '../libs/common/src/events/pass-scanned/pass-scanned.event';
import { TOPICS } from '../libs/common/src/events/topics';
import { closeGatewayDb, createTenant, eventually, TestTenant } from './support/e2e-env';
import { verifySignature, WebhookReceiver } from './support/webhook-receiver';

const LIST_PASS_KEYS = [
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
const CLIENT_KEYS = ['createdAt', 'email', 'id', 'name', 'notes', 'phone'];

describe('triggers polling and per-event payloads', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let receiver: WebhookReceiver;
  let producer: Producer;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Triggers' });
    globex = await createTenant({ name: 'Globex Triggers' });
    receiver = await new WebhookReceiver().start();
    const kafka = new Kafka({
      clientId: 'e2e-scans-stand-in',
      brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await receiver.stop();
    await closeGatewayDb();
  });

  const poll = (tenant: TestTenant, query: string) => tenant.api.get(`/triggers?${query}`);

  /** Stands in for the scans service: a well-formed pass.scanned envelope on the scan-events topic. */
  async function publishScan(tenantId: string, pass: { id: string; code: string; name: string | null }, scannedAt: Date) {
    const scan = {
      id: `00000000-0000-4000-8000-${String(Date.now()).slice(-12).padStart(12, '0')}`,
      passId: pass.id,
      code: pass.code,
      passName: pass.name,
      holderName: null,
      passType: 'single',
      success: true,
      result: 'success',
      usagesCount: 1,
      maxUsages: null,
      passStatus: 'used',
      scannedAt: scannedAt.toISOString(),
      channel: 'online',
      method: 'qr_scan',
      eventId: null,
    } satisfies PassScannedValue;
    const data: PassScannedValue & { tenantId: string } = { ...scan, tenantId };
    const event = createEvent('pass.scanned', tenantId, data, scannedAt);
    await producer.send({
      topic: TOPICS.scanEvents.name,
      messages: [{ key: pass.id, value: JSON.stringify(event), headers: { 'event-id': event.id } }],
    });
    return scan;
  }

  it('pass.created: list-passes items plus clientName, clientEmail, clientPhone, newest first', async () => {
    const client = (await acme.api.post('/clients', { name: 'Fox Mulder', email: 'fox@example.com', phone: '+15550101' })).body;
    const first = (await acme.api.post('/passes', { type: 'single', name: 'First', clientId: client.id })).body;
    const second = (await acme.api.post('/passes', { type: 'multi', name: 'Second', maxUsages: 3 })).body;
    const items = await eventually(async () => {
      const response = await poll(acme, 'event=pass.created');
      assert.equal(response.status, 200);
      return response.body.length >= 2 ? response.body : undefined;
    });
    assert.deepEqual(
      items.map((i: any) => i.id),
      [second.id, first.id],
    );
    assert.deepEqual(Object.keys(items[1]).sort(), [...LIST_PASS_KEYS, 'clientEmail', 'clientName', 'clientPhone'].sort());
    assert.equal(items[1].clientName, 'Fox Mulder');
    assert.equal(items[1].clientEmail, 'fox@example.com');
    assert.equal(items[1].clientPhone, '+15550101');
    assert.deepEqual(items[1].client, { name: 'Fox Mulder', email: 'fox@example.com' });
    assert.equal(items[0].clientName, null);
    assert.equal(items[0].maxUsages, 3);
    assert.deepEqual(
      (await poll(acme, 'event=pass.created&limit=1')).body.map((i: any) => i.id),
      [second.id],
    );
  });

  it('client.created: the client record', async () => {
    const client = (await acme.api.post('/clients', { name: 'Walter Skinner', notes: 'AD' })).body;
    const items = await eventually(async () => {
      const body = (await poll(acme, 'event=client.created')).body;
      return body.some((i: any) => i.id === client.id) ? body : undefined;
    });
    const item = items.find((i: any) => i.id === client.id);
    assert.deepEqual(Object.keys(item).sort(), CLIENT_KEYS);
    assert.deepEqual(item, client);
  });

  it('pass.status_changed: the pass with changedAt, and webhooks carry the same data', async () => {
    const hook = (await acme.api.post('/webhooks', { event: 'pass.status_changed', targetUrl: receiver.url('/status') })).body;
    const pass = (await acme.api.post('/passes', { type: 'single', name: 'To Revoke' })).body;
    assert.equal((await acme.api.post(`/passes/${pass.id}/revoke`)).status, 200);
    const items = await eventually(async () => {
      const body = (await poll(acme, 'event=pass.status_changed')).body;
      return body.some((i: any) => i.id === pass.id) ? body : undefined;
    });
    const item = items.find((i: any) => i.id === pass.id);
    const detail = (await acme.api.get(`/passes/${pass.id}`)).body;
    assert.deepEqual(
      Object.keys(item).sort(),
      [...Object.keys(detail), 'changedAt', 'previousStatus'].sort(),
      'GET /passes/:id plus changedAt',
    );
    assert.deepEqual(
      { ...item, changedAt: undefined, previousStatus: undefined },
      { ...detail, changedAt: undefined, previousStatus: undefined },
    );
    assert.equal(item.status, 'revoked');
    assert.equal(item.previousStatus, 'active');
    assert.ok(!Number.isNaN(Date.parse(item.changedAt)));

    const [delivered] = await receiver.waitFor(() => receiver.forPath('/status').length >= 1).then(() => receiver.forPath('/status'));
    assert.ok(verifySignature(hook.secret, delivered));
    assert.equal(delivered.json.type, 'pass.status_changed');
    assert.deepEqual(delivered.json.data, item, 'webhook data and trigger item are the same shape');
  });

  it('pass.scanned: flat scan records, polled and delivered', async () => {
    const hook = (await acme.api.post('/webhooks', { event: 'pass.scanned', targetUrl: receiver.url('/scanned') })).body;
    const pass = (await acme.api.post('/passes', { type: 'single', name: 'Scanned' })).body;
    const scan = await publishScan(acme.tenant.id, pass, new Date());
    const items = await eventually(async () => {
      const body = (await poll(acme, 'event=pass.scanned')).body;
      return body.some((i: any) => i.passId === pass.id) ? body : undefined;
    });
    const item = items.find((i: any) => i.passId === pass.id);
    assert.deepEqual(item, scan, 'the flat record, without the tenant');
    for (const value of Object.values(item)) assert.ok(value === null || typeof value !== 'object', 'flat: no nested objects');

    const [delivered] = await receiver.waitFor(() => receiver.forPath('/scanned').length >= 1).then(() => receiver.forPath('/scanned'));
    assert.ok(verifySignature(hook.secret, delivered));
    assert.equal(delivered.json.type, 'pass.scanned');
    assert.deepEqual(delivered.json.data, scan);
    assert.equal(delivered.json.timestamp, scan.scannedAt);
  });

  it('since filters (default: the last 24 hours), and old events are not listed', async () => {
    const tenant = await createTenant({ name: 'Since Triggers' });
    const pass = (await tenant.api.post('/passes', { type: 'single', name: 'Old Scan' })).body;
    await publishScan(tenant.tenant.id, pass, new Date(Date.now() - 3 * 24 * 3600_000));
    const recent = await publishScan(tenant.tenant.id, pass, new Date(Date.now() - 3600_000));
    const all = await eventually(async () => {
      const body = (await poll(tenant, `event=pass.scanned&since=${new Date(Date.now() - 7 * 24 * 3600_000).toISOString()}`)).body;
      return body.length >= 2 ? body : undefined;
    });
    assert.equal(all.length, 2);
    assert.deepEqual((await poll(tenant, 'event=pass.scanned')).body, [recent], 'the default window is the last 24 hours');
    const later = new Date(Date.now() - 60_000).toISOString();
    assert.deepEqual((await poll(tenant, `event=pass.scanned&since=${encodeURIComponent(later)}`)).body, []);
  });

  it('refuses a missing or unknown event, a bad since and a bad limit with 400', async () => {
    for (const query of [
      '',
      'event=',
      'event=pass.deleted',
      'event=pass.updated',
      'event=pass.created&since=yesterday',
      'event=pass.created&limit=0',
      'event=pass.created&limit=101',
      'event=pass.created&limit=abc',
      'event=pass.created&other=1',
    ]) {
      const response = await poll(acme, query);
      assert.equal(response.status, 400, `${query} → ${response.status}`);
      assert.equal(typeof response.body.error, 'string');
    }
    assert.equal((await poll(acme, 'event=pass.created&limit=100')).status, 200);
  });

  it("is tenant-scoped: another tenant's events never appear", async () => {
    for (const event of ['pass.created', 'pass.scanned', 'pass.status_changed', 'client.created']) {
      const response = await poll(globex, `event=${event}`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, [], event);
    }
  });
});
