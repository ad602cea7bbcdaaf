import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { apiKeysService } from './support/gateway-services';
import { ApiClient } from './support/api-client';
import {
  anonymousApi,
  closeGatewayDb,
  createTenant,
  eventually,
  gatewayDb,
  issueKey,
  sharedGatewayUrl,
  TestTenant,
} from './support/e2e-env';
import { projectedAdmission } from './support/scans-projection';

const STARTS = '2031-06-01T18:00:00Z';
const tokenOf = (url: string) => new URL(url).hash.replace('#pair=', '');

describe('door devices: pairing links, device keys, last seen, revocation', () => {
  let acme: TestTenant;
  let other: TestTenant;
  let concert: { id: string };
  let gala: { id: string };

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Door' });
    other = await createTenant({ name: 'Other Door' });
    concert = (await acme.api.post('/events', { name: 'Concert', startsAt: STARTS })).body;
    gala = (await acme.api.post('/events', { name: 'Gala', startsAt: STARTS })).body;
  });
  afterAll(closeGatewayDb);

  const createDevice = async (api: ApiClient, body: unknown) => api.post('/devices', body);

  it('creates a one-time pairing link (10 minutes, token in the fragment, QR), which a phone redeems once for a scoped scanner key', async () => {
    const created = await createDevice(acme.api, { name: 'Door A phone', events: [concert.id] });
    assert.equal(created.status, 201, created.text);
    const { device, pairing } = created.body;
    assert.equal(device.state, 'pending');
    assert.deepEqual(device.eventIds, [concert.id]);
    assert.match(pairing.url, /^http:\/\/[^/]+\/app\/door\/#pair=pwp_[A-Za-z0-9_-]{43}$/);
    assert.match(pairing.qrSvg, /^<svg/);
    const ttl = Date.parse(pairing.expiresAt) - Date.now();
    assert.ok(ttl > 9 * 60_000 && ttl <= 10 * 60_000, `expires in ${ttl} ms`);

    const paired = await anonymousApi().post('/devices/pair', { token: tokenOf(pairing.url), appVersion: '1.2.3' });
    assert.equal(paired.status, 200, paired.text);
    assert.match(paired.body.apiKey, /^pwk_/);
    assert.equal(paired.body.tenantName, 'Acme Door');
    assert.deepEqual(
      paired.body.events.map((e: any) => [e.id, e.name, e.status]),
      [[concert.id, 'Concert', 'active']],
    );
    assert.equal(paired.body.device.state, 'paired');

    const again = await anonymousApi().post('/devices/pair', { token: tokenOf(pairing.url) });
    assert.equal(again.status, 410);
    assert.equal(again.body.code, 'pairing_used');

    // The device key is an ordinary scanner key scoped to the device's events.
    const phone = new ApiClient(sharedGatewayUrl(), paired.body.apiKey);
    const keys = (await acme.api.get('/api-keys')).body as any[];
    const key = keys.find((k) => k.name === 'device: Door A phone');
    assert.deepEqual([key.role, key.eventIds], ['scanner', [concert.id]]);
    const inside = (await acme.api.post('/passes', { type: 'single', clientName: 'Ada', eventId: concert.id })).body;
    const outside = (await acme.api.post('/passes', { type: 'single', clientName: 'Bob', eventId: gala.id })).body;
    assert.equal((await phone.post('/scan', { code: inside.code })).body.result, 'success');
    assert.equal((await phone.post('/scan', { code: outside.code })).status, 404);
    assert.equal((await phone.get('/passes')).status, 403);
    assert.equal((await phone.post('/devices', { name: 'x', events: [concert.id] })).status, 403);

    const me = await phone.get('/devices/me', { headers: { 'x-passway-app-version': '1.2.4' } });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.device.id, device.id);
    const listed = await eventually(async () => {
      const row = ((await acme.api.get('/devices')).body as any[]).find((d) => d.id === device.id);
      return row?.appVersion === '1.2.4' ? row : undefined;
    });
    assert.equal(listed.state, 'paired');
    assert.ok(Date.now() - Date.parse(listed.lastSeenAt) < 60_000);
  });

  it('revoking a device refuses its key at once, with a message that says so', async () => {
    const { body } = await createDevice(acme.api, { name: 'Door B phone', events: [concert.id, gala.id] });
    const paired = (await anonymousApi().post('/devices/pair', { token: tokenOf(body.pairing.url) })).body;
    const phone = new ApiClient(sharedGatewayUrl(), paired.apiKey);
    assert.equal((await phone.get('/devices/me')).status, 200);

    const revoked = await acme.api.delete(`/devices/${body.device.id}`);
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.state, 'revoked');
    const refused = await phone.get('/devices/me');
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'device_revoked');
    assert.match(refused.body.error, /device was revoked/);
    assert.equal(
      (
        await phone.post('/scans/batch', {
          items: [{ nonce: 'revoked-device-1', code: 'ABCDEFGHJKMN', scannedAt: new Date().toISOString() }],
        })
      ).status,
      401,
    );
    // An ordinary invalid key still reads as one.
    assert.equal(
      (
        await anonymousApi()
          .withKey(`pwk_${'A'.repeat(43)}`)
          .get('/devices/me')
      ).body.code,
      'invalid_api_key',
    );
  });

  it('an expired, unknown or revoked pairing link gets a clear 4xx and issues nothing', async () => {
    const { body } = await createDevice(acme.api, { name: 'Late phone', events: [concert.id] });
    await (
      await gatewayDb()
    ).query(`UPDATE gateway.devices SET pairing_expires_at = now() - interval '1 second' WHERE id = $1`, [body.device.id]);
    const expired = await anonymousApi().post('/devices/pair', { token: tokenOf(body.pairing.url) });
    assert.equal(expired.status, 410);
    assert.equal(expired.body.code, 'pairing_expired');
    assert.match(expired.body.error, /expired/);
    assert.equal(((await acme.api.get('/devices')).body as any[]).find((d) => d.id === body.device.id).state, 'expired');

    const unknown = await anonymousApi().post('/devices/pair', { token: `pwp_${'x'.repeat(43)}` });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'pairing_not_found');
    assert.equal((await anonymousApi().post('/devices/pair', { token: 'nope' })).status, 400);
    assert.equal((await anonymousApi().post('/devices/pair', {})).status, 400);

    const pending = (await createDevice(acme.api, { name: 'Never paired', events: [gala.id] })).body;
    assert.equal((await acme.api.delete(`/devices/${pending.device.id}`)).status, 200);
    const afterRevoke = await anonymousApi().post('/devices/pair', { token: tokenOf(pending.pairing.url) });
    assert.equal(afterRevoke.status, 410);
    assert.equal(afterRevoke.body.code, 'device_revoked');
    const keys = (await acme.api.get('/api-keys')).body as any[];
    assert.equal(keys.filter((k) => k.name === 'device: Late phone' || k.name === 'device: Never paired').length, 0);
  });

  it("refuses other tenants' events, events outside a scoped key, bad input and non-managers", async () => {
    const foreign = (await other.api.post('/events', { name: 'Theirs', startsAt: STARTS })).body;
    const refused = await createDevice(acme.api, { name: 'x', events: [foreign.id] });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 'unknown_event');
    for (const body of [
      { name: 'x', events: [] },
      { name: '', events: [concert.id] },
      { events: [concert.id] },
      { name: 'x', events: ['nope'] },
      { name: 'x', events: [concert.id], extra: 1 },
    ]) {
      assert.equal((await createDevice(acme.api, body)).status, 400, JSON.stringify(body));
    }
    const scanner = await issueKey(acme.tenant.id, 'scanner');
    assert.equal((await createDevice(scanner.api, { name: 'x', events: [concert.id] })).status, 403);
    assert.equal((await scanner.api.get('/devices/me')).status, 404, 'a plain key is not a device');

    const scopedStaff = await apiKeysService(await gatewayDb()).issue(acme.tenant.id, 'staff', 'gala manager', [gala.id]);
    const manager = new ApiClient(sharedGatewayUrl(), scopedStaff.apiKey);
    assert.equal((await createDevice(manager, { name: 'x', events: [concert.id] })).body.code, 'unknown_event');
    const own = await createDevice(manager, { name: 'Gala door', events: [gala.id] });
    assert.equal(own.status, 201, own.text);
    const seen = ((await manager.get('/devices')).body as any[]).map((d) => d.name);
    assert.ok(seen.includes('Gala door') && !seen.includes('Door A phone'), seen.join(', '));
    assert.equal((await other.api.get('/devices')).body.length, 0);
    assert.equal((await other.api.delete(`/devices/${own.body.device.id}`)).status, 404);
  });
});

describe('admissions feed: GET /events/:id/admissions', () => {
  let acme: TestTenant;
  let event: { id: string };
  let passes: { id: string; code: string }[];

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Feed' });
    event = (await acme.api.post('/events', { name: 'Feed night', startsAt: STARTS })).body;
    passes = [];
    for (const name of ['Ada', 'Bea', 'Cy', 'Di', 'Ed']) {
      passes.push((await acme.api.post('/passes', { type: 'single', clientName: name, name: 'General', eventId: event.id })).body);
    }
    await acme.api.post('/passes', { type: 'single', clientName: 'No event' });
    for (const pass of passes) await eventually(async () => (await projectedAdmission(pass.id)) ?? undefined);
  });
  afterAll(closeGatewayDb);

  it('pages a full download by cursor, with code hashes, holder names and scan rules, and no raw codes', async () => {
    const seen = new Map<string, any>();
    let since: string | undefined;
    const pageSizes: number[] = [];
    for (;;) {
      const page = await acme.api.get(`/events/${event.id}/admissions?limit=2${since ? `&since=${since}` : ''}`);
      assert.equal(page.status, 200, page.text);
      pageSizes.push(page.body.items.length);
      for (const item of page.body.items) seen.set(item.passId, item);
      since = page.body.nextCursor;
      if (!page.body.hasMore) break;
    }
    assert.deepEqual(pageSizes, [2, 2, 1]);
    assert.deepEqual([...seen.keys()].sort(), passes.map((p) => p.id).sort());
    const ada = seen.get(passes[0].id);
    assert.deepEqual(
      { ...ada, passId: undefined },
      {
        passId: undefined,
        codeHash: createHash('sha256').update(passes[0].code).digest('base64url'),
        name: 'General',
        holderName: 'Ada',
        type: 'single',
        status: 'active',
        validFrom: null,
        validUntil: null,
        maxUsages: null,
        usagesCount: 0,
      },
    );
    assert.ok(!JSON.stringify([...seen.values()]).includes(passes[1].code), 'no raw codes');

    // A pass revoked and one scanned after the cursor both come in the next delta.
    assert.equal((await acme.api.post(`/passes/${passes[1].id}/revoke`)).status, 200);
    assert.equal((await acme.api.post('/scan', { code: passes[2].code })).body.result, 'success');
    const delta = await eventually(async () => {
      const page = await acme.api.get(`/events/${event.id}/admissions?since=${since}`);
      const byId = new Map<string, any>(page.body.items.map((item: any) => [item.passId, item]));
      return byId.get(passes[1].id)?.status === 'revoked' && byId.get(passes[2].id)?.status === 'used' ? page.body : undefined;
    });
    assert.equal(delta.eventStatus, 'active');
    assert.equal(delta.hasMore, false);
    assert.equal(delta.items.find((item: any) => item.passId === passes[2].id).usagesCount, 1);
    assert.ok(!delta.items.some((item: any) => item.passId === passes[4].id), 'an unchanged pass is not sent again');
  });

  it('is scoped like the scanner key, refuses bad cursors and limits, and shows a suspended event', async () => {
    const otherEvent = (await acme.api.post('/events', { name: 'Elsewhere', startsAt: STARTS })).body;
    const scoped = await apiKeysService(await gatewayDb()).issue(acme.tenant.id, 'scanner', 'feed scanner', [event.id]);
    const scanner = new ApiClient(sharedGatewayUrl(), scoped.apiKey);
    assert.equal((await scanner.get(`/events/${event.id}/admissions`)).status, 200);
    assert.equal((await scanner.get(`/events/${otherEvent.id}/admissions`)).status, 404);
    const stranger = await createTenant({ name: 'Feed stranger' });
    assert.equal((await stranger.api.get(`/events/${event.id}/admissions`)).status, 404);
    assert.equal((await acme.api.get('/events/not-a-uuid/admissions')).status, 404);
    for (const query of [
      'since=garbage!',
      `since=${Buffer.from('1.2.3').toString('base64url')}`,
      'limit=0',
      'limit=5001',
      'limit=x',
      'other=1',
    ]) {
      const response = await acme.api.get(`/events/${event.id}/admissions?${query}`);
      assert.equal(response.status, 400, `${query}: ${response.text}`);
    }
    assert.equal((await acme.api.post(`/events/${event.id}/suspend`)).status, 200);
    await eventually(async () =>
      (await acme.api.get(`/events/${event.id}/admissions?limit=1`)).body.eventStatus === 'suspended' ? true : undefined,
    );
  });
});
