import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, TestTenant } from './support/e2e-env';

for (const resource of ['templates', 'locations'] as const) {
  describe(`${resource} API through the gateway`, () => {
    let acme: TestTenant;
    let globex: TestTenant;
    const valid =
      resource === 'templates'
        ? {
            name: 'Gold',
            primaryColor: '#aa8800',
            backgroundColor: '#101010',
            textColor: '#ffffff',
            logoUrl: 'https://cdn.example.com/logo.png',
          }
        : { name: 'Main Hall', address: '1 Main St', timezone: 'Europe/Paris' };
    const invalid =
      resource === 'templates'
        ? [
            {},
            { name: 'x', primaryColor: 'gold' },
            { name: 'x', logoUrl: 'javascript:alert(1)' },
            { name: 'x', logoUrl: 'http://insecure.example.com/a.png' },
          ]
        : [{}, { name: '' }, { name: 'x', address: 5 }, { name: 'x', capacity: 10 }];

    beforeAll(async () => {
      acme = await createTenant({ name: `Acme ${resource}` });
      globex = await createTenant({ name: `Globex ${resource}` });
    });
    afterAll(closeGatewayDb);

    it('creates, gets, lists, updates and deletes', async () => {
      const created = await acme.api.post(`/${resource}`, valid);
      assert.equal(created.status, 201);
      for (const [key, value] of Object.entries(valid)) assert.equal(created.body[key], value);
      const id = created.body.id;
      assert.deepEqual((await acme.api.get(`/${resource}/${id}`)).body, created.body);
      const list = await acme.api.get(`/${resource}`);
      assert.deepEqual(
        list.body.map((r: any) => r.id),
        [id],
      );
      assert.equal(list.headers.get('x-total-count'), '1');
      const updated = await acme.api.patch(`/${resource}/${id}`, { name: 'Renamed' });
      assert.equal(updated.status, 200);
      assert.equal(updated.body.name, 'Renamed');
      assert.deepEqual((await acme.api.delete(`/${resource}/${id}`)).body, { success: true });
      assert.equal((await acme.api.get(`/${resource}/${id}`)).status, 404);
    });

    it('refuses invalid input with 400 and creates nothing', async () => {
      const tenant = await createTenant({ name: `Invalid ${resource}` });
      for (const body of invalid) assert.equal((await tenant.api.post(`/${resource}`, body)).status, 400, JSON.stringify(body));
      assert.equal((await tenant.api.get(`/${resource}`)).body.length, 0);
    });

    it("hides another tenant's records", async () => {
      const mine = (await acme.api.post(`/${resource}`, valid)).body;
      assert.equal((await globex.api.get(`/${resource}/${mine.id}`)).status, 404);
      assert.equal((await globex.api.patch(`/${resource}/${mine.id}`, { name: 'Mine now' })).status, 404);
      assert.equal((await globex.api.delete(`/${resource}/${mine.id}`)).status, 404);
      assert.equal((await acme.api.get(`/${resource}/${mine.id}`)).body.name, valid.name);
    });
  });
}
