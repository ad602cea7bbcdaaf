import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { credentials, loadPackageDefinition, Metadata } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_PATHS } from '../libs/common/src/rpc/grpc-options';
import { grpcMethodPath, SERVICE_TOKEN_METADATA, ServiceTokens } from '../libs/common/src/rpc/service-token';
import { apiKeysService } from './support/gateway-services';
import { Role } from '../apps/gateway/src/api-keys/entities/api-key.entity';
import { TOPICS } from '../libs/common/src/events/topics';
import { ApiClient } from './support/api-client';
import { closeGatewayDb, createTenant, eventually, gatewayDb, issueKey, sharedGatewayUrl, TestTenant } from './support/e2e-env';
import { EventCollector } from './support/event-collector';
import { projectedEvent } from './support/scans-projection';

const STARTS = '2031-05-01T18:00:00Z';
const nonce = () => `n-${randomUUID()}`;

describe('scans: check-in method, events and event-scoped keys', () => {
  let acme: TestTenant;
  let events: EventCollector;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Check-in' });
    events = await new EventCollector([TOPICS.passEvents.name, TOPICS.scanEvents.name], (e) => e.tenantId === acme.tenant.id).start();
  });

  afterAll(async () => {
    await events.stop();
    await closeGatewayDb();
  });

  const newEvent = async (name: string) => {
    const response = await acme.api.post('/events', { name, startsAt: STARTS });
    assert.equal(response.status, 201, response.text);
    return response.body as { id: string };
  };
  const newPass = async (body: Record<string, unknown>) => {
    const response = await acme.api.post('/passes', { type: 'single', clientName: 'Guest', ...body });
    assert.equal(response.status, 201, response.text);
    return response.body as { id: string; code: string };
  };
  const scopedKey = async (role: Role, eventIds: string[]) => {
    const key = await apiKeysService(await gatewayDb()).issue(acme.tenant.id, role, `scoped ${role}`, eventIds);
    return { id: key.id, api: new ApiClient(sharedGatewayUrl(), key.apiKey) };
  };
  const untilEventProjected = (eventId: string, status: string) =>
    eventually(async () => ((await projectedEvent(eventId))?.status === status ? true : undefined));
  const scannedOf = (passId: string) =>
    events
      .ofType('pass.scanned')
      .filter((e) => (e.event.data as any).passId === passId)
      .map((e) => e.event.data as any);

  it('records the check-in method, the channel and the key on every scan, in history and in pass.scanned', async () => {
    const scanner = await issueKey(acme.tenant.id, 'scanner');
    const multi = await newPass({ type: 'multi', maxUsages: 10 });
    assert.equal((await scanner.api.post('/scan', { code: multi.code })).body.result, 'success');
    assert.equal((await scanner.api.post('/scan', { code: multi.code, method: 'manual' })).body.result, 'success');
    assert.equal((await scanner.api.post('/validate', { code: multi.code, method: 'manual' })).body.result, 'success');
    const batch = await scanner.api.post('/scans/batch', {
      items: [
        { nonce: nonce(), code: multi.code, scannedAt: new Date(Date.now() - 60_000).toISOString(), method: 'manual' },
        { nonce: nonce(), code: multi.code, scannedAt: new Date(Date.now() - 30_000).toISOString() },
      ],
    });
    assert.equal(batch.status, 200, batch.text);

    const history = (await acme.api.get(`/passes/${multi.id}/scans`)).body;
    const summary = history.map((s: any) => [s.channel, s.method, s.apiKeyId]).sort();
    assert.deepEqual(
      summary,
      [
        ['offline', 'manual', scanner.id],
        ['offline', 'qr_scan', scanner.id],
        ['online', 'manual', scanner.id],
        ['online', 'manual', scanner.id],
        ['online', 'qr_scan', scanner.id],
      ].sort(),
    );

    await events.waitFor(() => scannedOf(multi.id).length === 5);
    assert.deepEqual(
      scannedOf(multi.id)
        .map((d) => [d.channel, d.method, d.eventId])
        .sort(),
      [
        ['offline', 'manual', null],
        ['offline', 'qr_scan', null],
        ['online', 'manual', null],
        ['online', 'manual', null],
        ['online', 'qr_scan', null],
      ].sort(),
    );
  });

  it('takes self_service from the gateway itself (the public check-in page): recorded without a key', async () => {
    const pass = await newPass({});
    // What apps/gateway/src/checkin does: ScansClient.call('Scan', { tenantId, input: { code, method: 'self_service' } }).
    const definition = loadSync(PROTO_PATHS[0], { keepCase: true });
    const { ScansService } = (loadPackageDefinition(definition) as any).passway.v1;
    const client = new ScansService(process.env.SCANS_GRPC_URL, credentials.createInsecure());
    const tokens = new ServiceTokens(process.env.SERVICE_TOKEN_KEY!);
    const scan = (command: Record<string, unknown>): Promise<{ json: string }> =>
      new Promise((resolve, reject) => {
        const json = JSON.stringify({ tenantId: acme.tenant.id, ...command });
        const metadata = new Metadata();
        metadata.set(SERVICE_TOKEN_METADATA, tokens.sign(grpcMethodPath('ScansService', 'Scan'), json));
        client.Scan({ json }, metadata, (error: Error | null, value: { json: string }) => (error ? reject(error) : resolve(value)));
      });
    try {
      // Scoped to another event (as the page scopes to its own), the pass does not exist.
      await assert.rejects(
        scan({ input: { code: pass.code, method: 'self_service' }, eventIds: [randomUUID()] }),
        (error: any) => error.code === 5,
      );
      const outcome = JSON.parse((await scan({ input: { code: pass.code.toLowerCase(), method: 'self_service' } })).json);
      assert.equal(outcome.result, 'success');
      assert.equal(outcome.pass.id, pass.id);
    } finally {
      client.close();
    }
    const [record] = (await acme.api.get(`/passes/${pass.id}/scans`)).body;
    assert.deepEqual([record.method, record.channel, record.apiKeyId], ['self_service', 'online', null]);
    await events.waitFor(() => scannedOf(pass.id).length === 1);
    assert.equal(scannedOf(pass.id)[0].method, 'self_service');
  });

  it('refuses a method an API key may not claim, and changes nothing', async () => {
    const pass = await newPass({});
    for (const method of ['self_service', 'camera', 7]) {
      const response = await acme.api.post('/scan', { code: pass.code, method });
      assert.equal(response.status, 400, `${method}: ${response.text}`);
      assert.match(response.body.error, /method must be "qr_scan" or "manual"/);
      assert.equal((await acme.api.post('/validate', { code: pass.code, method })).status, 400);
      assert.equal(
        (await acme.api.post('/scans/batch', { items: [{ nonce: nonce(), code: pass.code, scannedAt: new Date().toISOString(), method }] }))
          .status,
        400,
      );
    }
    assert.deepEqual((await acme.api.get(`/passes/${pass.id}/scans`)).body, []);
  });

  it('a suspended event refuses scans with event_suspended (recorded, published); resume makes its passes scannable', async () => {
    const event = await newEvent('Suspend at the door');
    const pass = await newPass({ eventId: event.id });
    await untilEventProjected(event.id, 'active');
    assert.equal((await acme.api.post(`/events/${event.id}/suspend`)).status, 200);
    await untilEventProjected(event.id, 'suspended');

    const refused = await acme.api.post('/scan', { code: pass.code });
    assert.equal(refused.status, 200, refused.text);
    assert.equal(refused.body.success, false);
    assert.equal(refused.body.result, 'event_suspended');
    assert.equal(refused.body.pass.usagesCount, 0);
    const offline = await acme.api.post('/scans/batch', {
      items: [{ nonce: nonce(), code: pass.code, scannedAt: new Date().toISOString() }],
    });
    assert.equal(offline.body.items[0].result, 'event_suspended');
    const refusals = await acme.api.get('/scans?result=event_suspended');
    assert.equal(refusals.status, 200);
    assert.equal(refusals.body.filter((s: any) => s.passId === pass.id).length, 2);

    assert.equal((await acme.api.post(`/events/${event.id}/resume`)).status, 200);
    await untilEventProjected(event.id, 'active');
    const admitted = await acme.api.post('/scan', { code: pass.code, method: 'manual' });
    assert.equal(admitted.body.result, 'success', admitted.text);
    assert.equal(admitted.body.pass.status, 'used');

    await events.waitFor(() => scannedOf(pass.id).length === 3);
    assert.deepEqual(
      scannedOf(pass.id).map((d) => [d.result, d.eventId, d.method]),
      [
        ['event_suspended', event.id, 'qr_scan'],
        ['event_suspended', event.id, 'qr_scan'],
        ['success', event.id, 'manual'],
      ],
    );
  });

  it("an event-scoped key scans and sees only its events' passes: anything else answers like an unknown code", async () => {
    const eventA = await newEvent('Scope A');
    const eventB = await newEvent('Scope B');
    const passA = await newPass({ eventId: eventA.id, type: 'multi' });
    const passB = await newPass({ eventId: eventB.id, type: 'multi' });
    const loose = await newPass({ type: 'multi' });
    const scanner = await scopedKey('scanner', [eventA.id]);
    const staff = await scopedKey('staff', [eventA.id]);

    const unknown = await scanner.api.post('/scan', { code: 'ZZZZZZZZZZZZZZZZ' });
    assert.equal(unknown.status, 404);
    for (const code of [passB.code, loose.code]) {
      for (const route of ['/scan', '/validate'] as const) {
        const response = await scanner.api.post(route, { code });
        assert.equal(response.status, 404, `${route} ${code}: ${response.text}`);
        assert.deepEqual(response.body, unknown.body);
      }
    }
    const batch = await scanner.api.post('/scans/batch', {
      items: [
        { nonce: nonce(), code: passA.code, scannedAt: new Date().toISOString() },
        { nonce: nonce(), code: passB.code, scannedAt: new Date().toISOString() },
        { nonce: nonce(), code: loose.code, scannedAt: new Date().toISOString() },
      ],
    });
    assert.equal(batch.status, 200, batch.text);
    assert.deepEqual(
      batch.body.items.map((i: any) => i.result),
      ['success', 'not_found', 'not_found'],
    );
    // A replayed nonce of an out-of-scope pass (recorded by an unscoped key) is not revealed either.
    const adminNonce = nonce();
    await acme.api.post('/scans/batch', { items: [{ nonce: adminNonce, code: passB.code, scannedAt: new Date().toISOString() }] });
    const replay = await scanner.api.post('/scans/batch', {
      items: [{ nonce: adminNonce, code: passB.code, scannedAt: new Date().toISOString() }],
    });
    assert.equal(replay.body.items[0].result, 'not_found');
    assert.equal(replay.body.items[0].pass, null);

    assert.equal((await scanner.api.post('/scan', { code: passA.code })).body.result, 'success');
    assert.equal((await acme.api.post('/scan', { code: loose.code })).body.result, 'success');

    // Out of scope passes: scans changed nothing.
    assert.equal((await acme.api.get(`/passes/${passB.id}/scans`)).body.length, 1);
    assert.equal((await acme.api.get(`/passes/${loose.id}/scans`)).body.length, 1);

    // History: only in-scope scans; another event's pass is a 404.
    const listed = await staff.api.get('/scans?limit=100');
    assert.equal(listed.status, 200);
    assert.deepEqual(new Set(listed.body.map((s: any) => s.passId)), new Set([passA.id]));
    assert.equal(listed.headers.get('x-total-count'), '2');
    assert.equal((await staff.api.get(`/passes/${passA.id}/scans`)).body.length, 2);
    for (const pass of [passB, loose]) {
      const response = await staff.api.get(`/passes/${pass.id}/scans`);
      assert.equal(response.status, 404, response.text);
    }
    assert.ok(
      (await acme.api.get('/scans?limit=100')).body.some((s: any) => s.passId === loose.id),
      'an unscoped key sees every scan',
    );
  });
});
