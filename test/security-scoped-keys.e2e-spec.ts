import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { MAX_ACTIVE_KEYS_PER_TENANT } from '../apps/gateway/src/api-keys/api-keys.service';
import { apiKeysService } from './support/gateway-services';
import { Role } from '../apps/gateway/src/api-keys/entities/api-key.entity';
import { ApiClient } from './support/api-client';
import { closeGatewayDb, createTenant, gatewayDb, sharedGatewayUrl, TestTenant } from './support/e2e-env';

const STARTS = '2031-06-01T18:00:00Z';

/** An event-scoped key never reaches past its events: not by minting a wider key, nor through tenant-wide routes. */
describe('security: event-scoped keys stay within their scope', () => {
  let tenant: TestTenant;
  let rootKeyId: string;
  let eventA: any;
  let eventB: any;

  const scopedKey = async (role: Role, eventIds: string[]) => {
    const key = await apiKeysService(await gatewayDb()).issue(tenant.tenant.id, role, `scoped ${role}`, eventIds);
    return { id: key.id, api: new ApiClient(sharedGatewayUrl(), key.apiKey) };
  };

  beforeAll(async () => {
    tenant = await createTenant({ name: 'Scope Escape' });
    rootKeyId = (await tenant.api.get('/api-keys')).body[0].id;
    eventA = (await tenant.api.post('/events', { name: 'Scope A', startsAt: STARTS })).body;
    eventB = (await tenant.api.post('/events', { name: 'Scope B', startsAt: STARTS })).body;
    await tenant.api.post('/passes', {
      type: 'single',
      clientName: 'Holder B',
      clientEmail: 'holder-b@example.com',
      clientPhone: '+15550100',
      eventId: eventB.id,
    });
  });

  afterAll(closeGatewayDb);

  it('a scoped admin key creates keys only within its own events, and lists and revokes only those', async () => {
    const admin = await scopedKey('admin', [eventA.id]);
    const before = (await tenant.api.get('/api-keys')).body.length;

    const unscoped = await admin.api.post('/api-keys', { role: 'admin' });
    assert.equal(unscoped.status, 403);
    assert.equal(unscoped.body.code, 'event_scoped_key');
    assert.match(unscoped.body.error, /only create keys scoped to its own events/);
    const wider = await admin.api.post('/api-keys', { role: 'scanner', events: [eventA.id, eventB.id] });
    assert.equal(wider.status, 403);
    assert.equal(wider.body.code, 'event_scoped_key');
    assert.equal((await tenant.api.get('/api-keys')).body.length, before, 'no key was created');

    const narrow = await admin.api.post('/api-keys', { role: 'scanner', events: [eventA.id] });
    assert.equal(narrow.status, 201);
    assert.deepEqual(narrow.body.eventIds, [eventA.id]);

    const listed = (await admin.api.get('/api-keys')).body.map((k: any) => k.id).sort();
    assert.deepEqual(listed, [admin.id, narrow.body.id].sort(), 'only keys within its scope');
    assert.equal((await admin.api.delete(`/api-keys/${rootKeyId}`)).status, 404);
    assert.equal((await tenant.api.get('/api-keys')).status, 200, 'the unscoped admin key still works');
  });

  it('a scoped admin key cannot subscribe webhooks nor read them (403 event_scoped_key); nothing is created', async () => {
    const admin = await scopedKey('admin', [eventA.id]);
    const created = await admin.api.post('/webhooks', { event: 'pass.created', targetUrl: 'https://example.com/hook' });
    assert.equal(created.status, 403);
    assert.equal(created.body.code, 'event_scoped_key');
    assert.match(created.body.error, /spans every event of the tenant/);
    assert.equal((await admin.api.get('/webhooks')).status, 403);
    assert.deepEqual((await tenant.api.get('/webhooks')).body, []);
  });

  it('a scoped staff key sees neither clients nor trigger items (holder emails and phones of other events)', async () => {
    const staff = await scopedKey('staff', [eventA.id]);
    const clients = await staff.api.get('/clients');
    assert.equal(clients.status, 403);
    assert.equal(clients.body.code, 'event_scoped_key');
    const someClient = (await tenant.api.get('/clients')).body[0];
    assert.equal((await staff.api.get(`/clients/${someClient.id}`)).status, 403);
    assert.equal((await staff.api.post('/clients', { name: 'Sneaky' })).status, 403);
    const triggers = await staff.api.get('/triggers?event=pass.created');
    assert.equal(triggers.status, 403);
    assert.equal(triggers.body.code, 'event_scoped_key');
    assert.ok(!triggers.text.includes('holder-b@example.com'));
    // An unscoped staff key keeps both.
    const unscoped = new ApiClient(sharedGatewayUrl(), (await apiKeysService(await gatewayDb()).issue(tenant.tenant.id, 'staff')).apiKey);
    assert.equal((await unscoped.get('/clients')).status, 200);
    assert.equal((await unscoped.get('/triggers?event=pass.created')).status, 200);
  });

  it(`caps a tenant at ${MAX_ACTIVE_KEYS_PER_TENANT} active keys (403 api_key_quota); revoking one frees a place`, async () => {
    const capped = await createTenant({ name: 'Key Cap' });
    const keys = apiKeysService(await gatewayDb());
    const issued = [];
    for (let i = 1; i < MAX_ACTIVE_KEYS_PER_TENANT; i += 1) issued.push(await keys.issue(capped.tenant.id, 'scanner'));
    const refused = await capped.api.post('/api-keys', { role: 'scanner' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'api_key_quota');
    assert.equal((await capped.api.get('/api-keys')).body.length, MAX_ACTIVE_KEYS_PER_TENANT);
    assert.equal((await capped.api.delete(`/api-keys/${issued[0].id}`)).status, 200);
    assert.equal((await capped.api.post('/api-keys', { role: 'scanner' })).status, 201);
  });
});
