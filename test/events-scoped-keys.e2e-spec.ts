import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { promisify } from 'node:util';
import { apiKeysService } from './support/gateway-services';
import { Role } from '../apps/gateway/src/api-keys/entities/api-key.entity';
import { ApiClient } from './support/api-client';
import { closeGatewayDb, createTenant, gatewayDb, REPO_ROOT, sharedGatewayUrl, TestTenant } from './support/e2e-env';

const STARTS = '2031-05-01T18:00:00Z';

describe('event-scoped API keys', () => {
  let tenant: TestTenant;
  let eventA: any;
  let eventB: any;
  let passA: any;
  let passB: any;
  let passWithoutEvent: any;

  const scopedKey = async (role: Role, eventIds: string[]) => {
    const key = await apiKeysService(await gatewayDb()).issue(tenant.tenant.id, role, `scoped ${role}`, eventIds);
    return new ApiClient(sharedGatewayUrl(), key.apiKey);
  };

  beforeAll(async () => {
    tenant = await createTenant({ name: 'Scoped Keys' });
    eventA = (await tenant.api.post('/events', { name: 'Hall A', startsAt: STARTS })).body;
    eventB = (await tenant.api.post('/events', { name: 'Hall B', startsAt: STARTS })).body;
    passA = (await tenant.api.post('/passes', { type: 'single', clientName: 'In A', eventId: eventA.id })).body;
    passB = (await tenant.api.post('/passes', { type: 'single', clientName: 'In B', eventId: eventB.id })).body;
    passWithoutEvent = (await tenant.api.post('/passes', { type: 'single', name: 'No event' })).body;
  });

  afterAll(closeGatewayDb);

  it("shows a staff key only its events' passes and events; everything else is a 404", async () => {
    const staff = await scopedKey('staff', [eventA.id]);
    const passes = await staff.get('/passes');
    assert.deepEqual(
      passes.body.map((p: any) => p.id),
      [passA.id],
    );
    assert.equal(passes.headers.get('x-total-count'), '1');
    assert.equal((await staff.get(`/passes?eventId=${eventB.id}`)).body.length, 0);
    assert.equal((await staff.get(`/passes/${passA.id}`)).status, 200);
    for (const path of [
      `/passes/${passB.id}`,
      `/passes/${passWithoutEvent.id}`,
      `/events/${eventB.id}`,
      `/events/${eventB.id}/attendees`,
      `/events/${eventB.id}/stats`,
    ] as const) {
      assert.equal((await staff.get(path)).status, 404, path);
    }
    assert.equal((await staff.patch(`/passes/${passB.id}`, { name: 'Hijack' })).status, 404);
    assert.equal((await staff.post(`/passes/${passB.id}/revoke`)).status, 404);
    assert.equal((await staff.post(`/events/${eventB.id}/suspend`)).status, 404);
    assert.equal((await staff.patch(`/events/${eventB.id}`, { venue: 'Elsewhere' })).status, 404);
    assert.deepEqual(
      (await staff.get('/events')).body.map((e: any) => e.id),
      [eventA.id],
    );
    assert.equal((await staff.get(`/events/${eventA.id}/attendees`)).status, 200);

    assert.equal((await staff.post('/passes', { type: 'single', clientName: 'New in A', eventId: eventA.id })).status, 201);
    assert.equal((await staff.post('/passes', { type: 'single', clientName: 'New in B', eventId: eventB.id })).status, 404);
    assert.equal((await staff.post('/passes', { type: 'single', name: 'Loose' })).status, 404);
    const newEvent = await staff.post('/events', { name: 'Sneaky', startsAt: STARTS });
    assert.equal(newEvent.status, 403);
    assert.equal(newEvent.body.code, 'event_scoped_key');

    assert.equal((await tenant.api.get(`/passes/${passB.id}`)).body.name, null, 'B is untouched');
    assert.equal((await tenant.api.get(`/passes/${passB.id}`)).body.status, 'active');
  });

  it('lets a scoped scanner key read and search only its events', async () => {
    const scanner = await scopedKey('scanner', [eventB.id]);
    assert.equal((await scanner.get(`/passes/${passB.id}`)).status, 200);
    assert.equal((await scanner.get(`/passes/${passA.id}`)).status, 404);
    const search = await scanner.get(`/events/${eventB.id}/attendees?search=In B`);
    assert.equal(search.status, 200);
    assert.equal(search.body.length, 1);
    assert.equal((await scanner.get(`/events/${eventA.id}/attendees?search=In`)).status, 404);
  });

  it('issues scoped keys through /api-keys and the CLI, and refuses malformed scopes', async () => {
    const created = await tenant.api.post('/api-keys', { role: 'scanner', name: 'door A', events: [eventA.id] });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.eventIds, [eventA.id]);
    const viaApi = new ApiClient(sharedGatewayUrl(), created.body.apiKey);
    assert.equal((await viaApi.get(`/passes/${passB.id}`)).status, 404);
    assert.equal((await viaApi.get(`/passes/${passA.id}`)).status, 200);
    assert.ok((await tenant.api.get('/api-keys')).body.some((k: any) => k.id === created.body.id && k.eventIds?.[0] === eventA.id));

    for (const events of [[], ['not-an-id'], 'x']) {
      assert.equal((await tenant.api.post('/api-keys', { role: 'scanner', events })).status, 400, JSON.stringify(events));
    }

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(REPO_ROOT, 'dist/apps/gateway/src/cli/main.js'),
        'keys',
        'create',
        '--tenant',
        tenant.tenant.id,
        '--role',
        'scanner',
        '--events',
        `${eventA.id},${eventB.id}`,
      ],
      { env: process.env },
    );
    const viaCli = JSON.parse(stdout);
    assert.deepEqual(viaCli.eventIds, [eventA.id, eventB.id]);
    const cliKey = new ApiClient(sharedGatewayUrl(), viaCli.apiKey);
    assert.equal((await cliKey.get(`/passes/${passA.id}`)).status, 200);
    assert.equal((await cliKey.get(`/passes/${passB.id}`)).status, 200);
    assert.equal((await cliKey.get(`/passes/${passWithoutEvent.id}`)).status, 404);
  });
});
