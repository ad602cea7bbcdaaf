import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { TOPICS } from '../libs/common/src/events/topics';
import { closeGatewayDb, createTenant, TestTenant } from './support/e2e-env';
import { EventCollector } from './support/event-collector';

describe('clients API through the gateway', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let events: EventCollector;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Clients' });
    globex = await createTenant({ name: 'Globex Clients' });
    events = await new EventCollector([TOPICS.clientEvents.name], (e) => e.tenantId === acme.tenant.id).start();
  });

  afterAll(async () => {
    await events.stop();
    await closeGatewayDb();
  });

  it('creates a client with the seed shape and publishes client.created keyed by the client id', async () => {
    const response = await acme.api.post('/clients', {
      name: 'John Doe',
      email: 'john@example.com',
      phone: '+1234567890',
      notes: 'VIP customer',
    });
    assert.equal(response.status, 201);
    assert.deepEqual(Object.keys(response.body).sort(), ['createdAt', 'email', 'id', 'name', 'notes', 'phone']);
    assert.equal(response.body.notes, 'VIP customer');
    const [published] = await events.waitFor((all) => all.some((e) => (e.event.data as any).id === response.body.id));
    const event = events.events.find((e) => (e.event.data as any).id === response.body.id)!;
    assert.equal(event.event.type, 'client.created');
    assert.equal(event.key, response.body.id);
    assert.ok(published);

    const fetched = await acme.api.get(`/clients/${response.body.id}`);
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.body, response.body);
  });

  it('lists clients with search over name, email and phone, paging and headers', async () => {
    const tenant = await createTenant({ name: 'Client Lister' });
    await tenant.api.post('/clients', { name: 'Ann Smith', email: 'ann@alpha.test' });
    await tenant.api.post('/clients', { name: 'Bob Jones', phone: '+44 20 7946 0000' });
    await tenant.api.post('/clients', { name: 'Cy Young', email: 'cy@beta.test' });
    const all = await tenant.api.get('/clients');
    assert.deepEqual(
      all.body.map((c: any) => c.name),
      ['Cy Young', 'Bob Jones', 'Ann Smith'],
    );
    assert.equal(all.headers.get('x-total-count'), '3');
    assert.ok(all.headers.get('link'));
    assert.deepEqual(
      (await tenant.api.get('/clients?search=alpha')).body.map((c: any) => c.name),
      ['Ann Smith'],
    );
    assert.deepEqual(
      (await tenant.api.get('/clients?search=7946')).body.map((c: any) => c.name),
      ['Bob Jones'],
    );
    assert.deepEqual(
      (await tenant.api.get('/clients?search=young')).body.map((c: any) => c.name),
      ['Cy Young'],
    );
    // A NUL cannot be stored or compared by PostgreSQL: a 400, not a 5xx (the fuzzer found it).
    const nul = await tenant.api.get('/clients?search=%00');
    assert.equal(nul.status, 400, nul.text);
    assert.equal(nul.body.code, 'invalid_text');
    const page = await tenant.api.get('/clients?limit=1&page=3');
    assert.deepEqual(
      page.body.map((c: any) => c.name),
      ['Ann Smith'],
    );
    assert.equal((await tenant.api.get('/clients?limit=500')).status, 400);
  });

  it('refuses invalid clients with 400', async () => {
    for (const body of [
      {},
      { name: '' },
      { name: 'x', email: 'not-an-email' },
      { name: 'x', phone: 'call me' },
      { name: 'x', id: 'mine' },
      { name: 7 },
    ]) {
      const response = await acme.api.post('/clients', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(typeof response.body.error, 'string');
    }
  });

  it("answers 404 for another tenant's client and for ids that are not ids", async () => {
    const mine = await acme.api.post('/clients', { name: 'Secret Client' });
    assert.equal((await globex.api.get(`/clients/${mine.body.id}`)).status, 404);
    assert.ok(!(await globex.api.get('/clients?search=Secret')).body.length);
    const missing = await acme.api.get('/clients/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { error: 'Client not found', code: 'not_found' });
  });
});
