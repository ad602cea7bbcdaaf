import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Stack } from '../tools/stack';
import { ApiClient } from './support/api-client';
import { closeGatewayDb, createTenant, isolatedEnv, startDedicatedStack } from './support/e2e-env';

/** GET /events/:id/stats keeps the passes service's counts when the scans service is away, and says so. */
describe('event stats while the scans service is down', () => {
  let stack: Stack;
  let api: ApiClient;
  let databaseUrl: string;

  beforeAll(async () => {
    const env = await isolatedEnv('stats-scans-down');
    databaseUrl = env.DATABASE_URL!;
    stack = await startDedicatedStack('stats-scans-down', env);
    api = (await createTenant({ name: 'Stats While Down' }, stack.gatewayUrl, databaseUrl)).api;
  });

  afterAll(async () => {
    await stack?.stop();
    await closeGatewayDb();
  });

  it('answers 200 with attendee counts, empty breakdowns and scansAvailable: false; 404s still come from passes', async () => {
    const event = (await api.post('/events', { name: 'Dark Door', startsAt: '2031-05-01T18:00:00Z' })).body;
    const pass = (await api.post('/passes', { type: 'single', eventId: event.id, clientName: 'Guest' })).body;
    assert.equal((await api.post('/scan', { code: pass.code })).body.result, 'success');
    const up = (await api.get(`/events/${event.id}/stats`)).body;
    assert.deepEqual([up.scansByResult, up.scansAvailable, up.byHour.length], [{ success: 1 }, true, 1]);

    await stack.stopApp('scans');
    assert.equal((await api.post('/scan', { code: pass.code })).status, 503, 'the scans service is really down');
    const down = await api.get(`/events/${event.id}/stats`);
    assert.equal(down.status, 200, down.text);
    assert.deepEqual({ ...down.body, checkedIn: undefined, checkInRate: undefined }, {
      eventId: event.id, attendees: 1, checkedIn: undefined, checkInRate: undefined, scansByResult: {}, byHour: [], scansAvailable: false,
    });
    assert.equal((await api.get('/events/00000000-0000-4000-8000-000000000000/stats')).status, 404);
  });
});
