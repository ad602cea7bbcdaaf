import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { TOPICS } from '../libs/common/src/events/topics';
import { closeGatewayDb, createTenant, TestTenant } from './support/e2e-env';
import { EventCollector } from './support/event-collector';

describe('passes API through the gateway', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let events: EventCollector;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Passes' });
    globex = await createTenant({ name: 'Globex Passes' });
    events = await new EventCollector([TOPICS.passEvents.name, TOPICS.clientEvents.name], (e) => e.tenantId === acme.tenant.id).start();
  });

  afterAll(async () => {
    await events.stop();
    await closeGatewayDb();
  });

  it('creates a pass with the REST contract response shape and publishes pass.created', async () => {
    const response = await acme.api.post('/passes', {
      type: 'single',
      name: 'VIP Guest',
      validUntil: '2099-12-31T23:59:59Z',
      customFields: [{ key: 'Full Name', value: 'John Doe', isPublic: true }],
    });
    assert.equal(response.status, 201);
    const pass = response.body;
    assert.deepEqual(Object.keys(pass).sort(), [
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
    ]);
    assert.equal(pass.type, 'single');
    assert.equal(pass.status, 'active');
    assert.equal(pass.usagesCount, 0);
    assert.equal(pass.maxUsages, null);
    assert.equal(pass.validFrom, null);
    assert.equal(pass.validUntil, '2099-12-31T23:59:59.000Z');
    assert.match(pass.code, /^[0-9A-HJKMNP-TV-Z]{16}$/);
    assert.match(pass.publicUrl, new RegExp(`/p/${pass.code}\\?token=k1\\.[\\w-]{32}$`));
    assert.ok(response.headers.get('x-request-id'));

    const [created] = await events.waitFor((all) =>
      all.some((e) => e.event.type === 'pass.created' && (e.event.data as any).id === pass.id),
    );
    const envelope = events.ofType('pass.created').find((e) => (e.event.data as any).id === pass.id)!;
    assert.equal(envelope.key, pass.id, 'keyed by the pass id');
    assert.equal(envelope.event.version, 1);
    assert.equal(envelope.event.tenantId, acme.tenant.id);
    assert.equal(envelope.headers['event-id'], envelope.event.id);
    assert.equal(envelope.headers['x-request-id'], response.headers.get('x-request-id'));
    assert.ok(created);
  });

  it('gets a pass with fields and client, attaching a client by name and reusing it', async () => {
    const first = await acme.api.post('/passes', {
      type: 'multi',
      maxUsages: 3,
      clientName: 'Jane Roe',
      customFields: [{ key: 'Seat', value: 'A1' }],
    });
    const second = await acme.api.post('/passes', { type: 'single', clientName: 'jane roe' });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    const a = await acme.api.get(`/passes/${first.body.id}`);
    const b = await acme.api.get(`/passes/${second.body.id}`);
    assert.equal(a.status, 200);
    assert.equal(a.body.client.name, 'Jane Roe');
    assert.equal(a.body.client.id, b.body.client.id, 'the same client is attached by name');
    assert.deepEqual(a.body.fields, [{ key: 'Seat', value: 'A1', isPublic: false }]);
    assert.equal(a.body.maxUsages, 3);
    for (const key of [
      'id',
      'code',
      'name',
      'type',
      'status',
      'usagesCount',
      'maxUsages',
      'validFrom',
      'validUntil',
      'fields',
      'client',
      'publicUrl',
      'createdAt',
      'updatedAt',
    ]) {
      assert.ok(key in a.body, `GET /passes/:id has ${key}`);
    }
    assert.deepEqual(Object.keys(a.body.client).sort(), ['email', 'id', 'name', 'phone']);
    const clientEvents = await events.waitFor(
      (all) => all.filter((e) => e.event.type === 'client.created' && (e.event.data as any).name === 'Jane Roe').length >= 1,
    );
    assert.equal(clientEvents.filter((e) => e.event.type === 'client.created' && (e.event.data as any).name === 'Jane Roe').length, 1);
  });

  it('attaches a client by id, and refuses unknown or foreign client, template and location ids with 400', async () => {
    const client = await acme.api.post('/clients', { name: 'By Id', email: 'byid@example.com' });
    const attached = await acme.api.post('/passes', { type: 'single', clientId: client.body.id });
    assert.equal(attached.status, 201);
    assert.equal((await acme.api.get(`/passes/${attached.body.id}`)).body.client.email, 'byid@example.com');

    const foreignClient = await globex.api.post('/clients', { name: 'Not Yours' });
    const foreignTemplate = await globex.api.post('/templates', { name: 'Globex look' });
    const foreignLocation = await globex.api.post('/locations', { name: 'Globex HQ' });
    for (const body of [
      { type: 'single', clientId: foreignClient.body.id },
      { type: 'single', templateId: foreignTemplate.body.id },
      { type: 'single', locationId: foreignLocation.body.id },
      { type: 'single', templateId: 'not-an-id' },
    ]) {
      const response = await acme.api.post('/passes', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(typeof response.body.error, 'string');
    }
    const template = await acme.api.post('/templates', { name: 'Gold', primaryColor: '#aa8800' });
    const location = await acme.api.post('/locations', { name: 'Main Hall', address: '1 Main St' });
    const withBoth = await acme.api.post('/passes', { type: 'single', templateId: template.body.id, locationId: location.body.id });
    assert.equal(withBoth.status, 201);
    const detail = await acme.api.get(`/passes/${withBoth.body.id}`);
    assert.equal(detail.body.templateId, template.body.id);
    assert.equal(detail.body.locationId, location.body.id);
  });

  it('lists passes newest first with search, status, limit, page, X-Total-Count and Link', async () => {
    const tenant = await createTenant({ name: 'Lister' });
    const names = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'];
    const created = [];
    for (const name of names) created.push((await tenant.api.post('/passes', { type: 'single', name })).body);
    await tenant.api.post(`/passes/${created[1].id}/revoke`);
    await tenant.api.post('/passes', { type: 'single', name: 'Old', validUntil: '2020-01-01T00:00:00Z' });

    const all = await tenant.api.get('/passes');
    assert.equal(all.status, 200);
    assert.ok(Array.isArray(all.body));
    assert.equal(all.body.length, 6);
    assert.equal(all.headers.get('x-total-count'), '6');
    assert.equal(all.body[0].name, 'Old');
    assert.deepEqual(Object.keys(all.body[1]).sort(), [
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
    ]);

    const page2 = await tenant.api.get('/passes?limit=2&page=2');
    assert.deepEqual(
      page2.body.map((p: any) => p.name),
      ['Delta', 'Charlie'],
    );
    const link = page2.headers.get('link')!;
    assert.match(link, /limit=2&page=1>; rel="first"/);
    assert.match(link, /limit=2&page=1>; rel="prev"/);
    assert.match(link, /limit=2&page=3>; rel="next"/);
    assert.match(link, /limit=2&page=3>; rel="last"/);

    assert.deepEqual(
      (await tenant.api.get('/passes?status=revoked')).body.map((p: any) => p.name),
      ['Bravo'],
    );
    const expired = await tenant.api.get('/passes?status=expired');
    assert.deepEqual(
      expired.body.map((p: any) => [p.name, p.status]),
      [['Old', 'expired']],
    );
    assert.equal((await tenant.api.get('/passes?status=active')).body.length, 4);
    assert.deepEqual(
      (await tenant.api.get('/passes?search=char')).body.map((p: any) => p.name),
      ['Charlie'],
    );
    assert.deepEqual(
      (await tenant.api.get(`/passes?search=${created[3].code}`)).body.map((p: any) => p.name),
      ['Delta'],
    );
    assert.equal((await tenant.api.get('/passes?search=%25')).body.length, 0, '% is matched literally');
  });

  it('validates list queries', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'page=0', 'status=gone', 'unknown=1']) {
      const response = await acme.api.get(`/passes?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(typeof response.body.error, 'string');
    }
  });

  it('PATCH updates fields, replaces customFields, and emits pass.updated and pass.status_changed', async () => {
    const pass = (
      await acme.api.post('/passes', {
        type: 'multi',
        name: 'Before',
        customFields: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
      })
    ).body;
    const patched = await acme.api.patch(`/passes/${pass.id}`, {
      name: 'After',
      note: 'internal',
      maxUsages: 10,
      validFrom: '2025-01-01T00:00:00Z',
      validUntil: null,
      customFields: [{ key: 'c', value: '3', isPublic: true }],
      status: 'revoked',
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, 'After');
    assert.equal(patched.body.maxUsages, 10);
    assert.equal(patched.body.validFrom, '2025-01-01T00:00:00.000Z');
    assert.equal(patched.body.status, 'revoked');
    assert.deepEqual(patched.body.fields, [{ key: 'c', value: '3', isPublic: true }]);
    await events.waitFor(
      (all) =>
        all.some((e) => e.event.type === 'pass.updated' && (e.event.data as any).id === pass.id) &&
        all.some((e) => e.event.type === 'pass.status_changed' && (e.event.data as any).id === pass.id),
    );
    const changed = events.ofType('pass.status_changed').find((e) => (e.event.data as any).id === pass.id)!;
    assert.equal((changed.event.data as any).previousStatus, 'active');
    assert.equal((changed.event.data as any).status, 'revoked');
    assert.ok((changed.event.data as any).changedAt);

    const cleared = await acme.api.patch(`/passes/${pass.id}`, { maxUsages: null, validFrom: null });
    assert.equal(cleared.body.maxUsages, null);
    assert.equal(cleared.body.validFrom, null);
  });

  it('PATCH refuses bad input and changes nothing', async () => {
    const pass = (await acme.api.post('/passes', { type: 'single', name: 'Keep', validFrom: '2030-01-01T00:00:00Z' })).body;
    for (const body of [
      { status: 'used' },
      { validUntil: '2029-01-01T00:00:00Z' },
      { validUntil: 'tomorrow' },
      { maxUsages: 0 },
      { maxUsages: 5 },
      { name: 42 },
      { customFields: [{ key: '', value: 'x' }] },
      { customFields: 'nope' },
      { surprise: true },
    ]) {
      const response = await acme.api.patch(`/passes/${pass.id}`, body);
      assert.equal(response.status, 400, JSON.stringify(body));
    }
    const after = await acme.api.get(`/passes/${pass.id}`);
    assert.equal(after.body.name, 'Keep');
    assert.equal(after.body.status, 'active');
    assert.equal(after.body.validFrom, '2030-01-01T00:00:00.000Z');
  });

  it('activate and revoke follow the seed: 200 with the short shape, 400 when already so', async () => {
    const pass = (await acme.api.post('/passes', { type: 'single', name: 'Toggle' })).body;
    const again = await acme.api.post(`/passes/${pass.id}/activate`);
    assert.equal(again.status, 400);
    assert.match(again.body.error, /already active/i);
    const revoked = await acme.api.post(`/passes/${pass.id}/revoke`);
    assert.equal(revoked.status, 200);
    assert.deepEqual(revoked.body, { id: pass.id, code: pass.code, name: 'Toggle', status: 'revoked' });
    assert.equal((await acme.api.post(`/passes/${pass.id}/revoke`)).status, 400);
    const activated = await acme.api.post(`/passes/${pass.id}/activate`);
    assert.equal(activated.status, 200);
    assert.equal(activated.body.status, 'active');
    await events.waitFor(
      (all) => all.filter((e) => e.event.type === 'pass.status_changed' && (e.event.data as any).id === pass.id).length === 2,
    );
  });

  it('refuses invalid creations with 400 and a JSON error, creating nothing', async () => {
    const tenant = await createTenant({ name: 'Validator' });
    const bad: unknown[] = [
      {},
      { type: 'double' },
      { type: 'single', validFrom: '2026-13-01' },
      { type: 'single', validFrom: 'yesterday' },
      { type: 'single', validFrom: '2030-01-02T00:00:00Z', validUntil: '2030-01-01T00:00:00Z' },
      { type: 'multi', maxUsages: -1 },
      { type: 'multi', maxUsages: 1.5 },
      { type: 'single', maxUsages: 4 },
      { type: 'single', customFields: [{ key: 'k' }] },
      { type: 'single', customFields: [{ key: 'k', value: 'v', isPublic: 'yes' }] },
      { type: 'single', name: 'x'.repeat(201) },
      { type: 'single', tenantId: tenant.tenant.id },
      { type: 'single', clientId: 'c', clientName: 'both' },
      [{ type: 'single' }],
    ];
    for (const body of bad) {
      const response = await tenant.api.post('/passes', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(typeof response.body.error, 'string', JSON.stringify(response.body));
    }
    const list = await tenant.api.get('/passes');
    assert.equal(list.body.length, 0);
  });

  it('answers malformed JSON with 400 and bodies over 1 MB with 413', async () => {
    const malformed = await acme.api.post('/passes', undefined, { rawBody: '{"type": "single",' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error, 'request body is not valid JSON');
    const huge = await acme.api.post('/passes', undefined, { rawBody: JSON.stringify({ type: 'single', name: 'x'.repeat(1_100_000) }) });
    assert.equal(huge.status, 413);
    assert.match(huge.body.error, /1 MB/);
  });

  it("hides other tenants' passes: get, patch, activate, revoke and list answer as if they did not exist", async () => {
    const pass = (await acme.api.post('/passes', { type: 'single', name: 'Private' })).body;
    assert.equal((await globex.api.get(`/passes/${pass.id}`)).status, 404);
    assert.equal((await globex.api.patch(`/passes/${pass.id}`, { name: 'Hijack' })).status, 404);
    assert.equal((await globex.api.post(`/passes/${pass.id}/revoke`)).status, 404);
    assert.equal((await globex.api.post(`/passes/${pass.id}/activate`)).status, 404);
    assert.ok(!(await globex.api.get('/passes?limit=100')).body.some((p: any) => p.id === pass.id));
    assert.ok(!(await globex.api.get(`/passes?search=${pass.code}`)).body.length);
    assert.equal((await acme.api.get(`/passes/${pass.id}`)).body.name, 'Private');
    assert.equal((await acme.api.get('/passes/00000000-0000-0000-0000-000000000000')).status, 404);
    assert.equal((await acme.api.get('/passes/not-a-uuid')).status, 404);
  });
});
