import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, issueKey, TestTenant } from './support/e2e-env';

/** Organisation settings: an admin renames the organisation (`PATCH /organization`). */
describe('organisation settings: PATCH /organization', () => {
  let acme: TestTenant;
  let globex: TestTenant;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Settings' });
    globex = await createTenant({ name: 'Globex Settings' });
  });

  afterAll(async () => {
    await closeGatewayDb();
  });

  it('renames the organisation (trimmed), keeps its slug, touches no other tenant, and audit-logs old and new name', async () => {
    const before = (await acme.api.get('/organization')).body;
    const renamed = await acme.api.patch('/organization', { name: '  Acme Events Ltd  ' });
    assert.equal(renamed.status, 200, renamed.text);
    assert.deepEqual([renamed.body.id, renamed.body.name, renamed.body.slug], [before.id, 'Acme Events Ltd', before.slug]);
    assert.equal((await acme.api.get('/organization')).body.name, 'Acme Events Ltd');
    assert.equal((await globex.api.get('/organization')).body.name, 'Globex Settings');
    const entries = (await acme.api.get('/audit-log?resource=organization')).body as any[];
    const entry = entries.find((e) => e.action === 'organization.update');
    assert.ok(entry, JSON.stringify(entries));
    assert.deepEqual([entry.details.previousName, entry.details.name, entry.actor.type], ['Acme Settings', 'Acme Events Ltd', 'api_key']);
    assert.equal(((await globex.api.get('/audit-log?resource=organization')).body as any[]).length, 0);
  });

  it('answers 400 JSON for bad input and changes nothing; staff and scanner keys are refused', async () => {
    const name = (await acme.api.get('/organization')).body.name;
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 42 }, { name: 'x'.repeat(201) }, { name: 'ok', plan: 'enterprise' }]) {
      const response = await acme.api.patch('/organization', body);
      assert.equal(response.status, 400, `${JSON.stringify(body)}: ${response.text}`);
      assert.equal(typeof response.body.error, 'string');
    }
    const badJson = await acme.api.request('PATCH', '/organization', {
      rawBody: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(badJson.status, 400);
    for (const role of ['staff', 'scanner'] as const) {
      const key = await issueKey(acme.tenant.id, role);
      const refused = await key.api.patch('/organization', { name: 'Taken over' });
      assert.equal(refused.status, 403, `${role}: ${refused.text}`);
      assert.equal(refused.body.code, 'role_forbidden');
    }
    assert.equal((await acme.api.get('/organization')).body.name, name);
  });
});
