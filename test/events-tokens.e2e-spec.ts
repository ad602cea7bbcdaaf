import assert from 'node:assert/strict';
import { describe, it, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant } from './support/e2e-env';

const STARTS = '2031-03-01T18:00:00Z';

describe('tokens pay for events and attendees (PassTru billing)', () => {
  afterAll(closeGatewayDb);

  it('charges one token per event and one per attendee, and lists every change in the ledger', async () => {
    const tenant = await createTenant({ name: 'Ledger Events', tokens: 5 });
    const event = await tenant.api.post('/events', { name: 'Gala', startsAt: STARTS });
    assert.equal(event.status, 201);
    const attendee = await tenant.api.post('/passes', { type: 'single', clientName: 'Ada', eventId: event.body.id });
    assert.equal(attendee.status, 201);
    assert.equal((await tenant.api.post('/events', { name: '', startsAt: STARTS })).status, 400, 'a refused event costs nothing');

    const organization = await tenant.api.get('/organization');
    assert.equal(organization.body.tokenBalance, 3);
    assert.equal(organization.body.tokensUsed, 2);

    const ledger = await tenant.api.get('/organization/tokens');
    assert.equal(ledger.status, 200);
    assert.equal(ledger.headers.get('x-total-count'), '3');
    assert.deepEqual(
      ledger.body.map((e: any) => [e.reason, e.delta, e.balanceAfter, e.resourceType, e.resourceId]),
      [
        ['pass_issued', -1, 3, 'pass', attendee.body.id],
        ['event_created', -1, 4, 'event', event.body.id],
        ['opening_balance', 5, 5, null, null],
      ],
    );
    for (const entry of ledger.body) {
      assert.ok(entry.actor, 'who');
      assert.ok(!Number.isNaN(Date.parse(entry.createdAt)), 'when');
      assert.equal(entry.settled, true);
    }
    assert.match(ledger.body[0].actor, /^api-key:/);
    const page = await tenant.api.get('/organization/tokens?limit=1&page=2');
    assert.deepEqual(
      page.body.map((e: any) => e.reason),
      ['event_created'],
    );
  });

  it('refuses an event at zero tokens with 403 and creates nothing', async () => {
    const tenant = await createTenant({ name: 'Ledger Empty', tokens: 0 });
    const refused = await tenant.api.post('/events', { name: 'Nope', startsAt: STARTS });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'plan limit reached');
    assert.deepEqual((await tenant.api.get('/events')).body, []);
  });

  it('never overdraws when events and attendees race for the last tokens', async () => {
    const tenant = await createTenant({ name: 'Ledger Race', tokens: 4 });
    const event = await tenant.api.post('/events', { name: 'Race Night', startsAt: STARTS });
    assert.equal(event.status, 201);
    const attempts = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => tenant.api.post('/events', { name: `Race ${i}`, startsAt: STARTS })),
      ...Array.from({ length: 6 }, (_, i) =>
        tenant.api.post('/passes', { type: 'single', clientName: `Guest ${i}`, eventId: event.body.id }),
      ),
    ]);
    const statuses = attempts.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 3, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 403).length, 9, JSON.stringify(statuses));
    const organization = await tenant.api.get('/organization');
    assert.equal(organization.body.tokenBalance, 0);
    const ledger = (await tenant.api.get('/organization/tokens?limit=100')).body;
    const spends = ledger.filter((e: any) => e.delta === -1);
    assert.equal(spends.length, 4);
    assert.deepEqual(spends.map((e: any) => e.balanceAfter).sort(), [0, 1, 2, 3]);
  });
});
