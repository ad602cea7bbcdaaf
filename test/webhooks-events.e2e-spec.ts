import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, eventually, TestTenant } from './support/e2e-env';
import { verifySignature, WebhookReceiver } from './support/webhook-receiver';

const STARTS = '2031-05-01T18:00:00Z';

describe('webhooks and triggers: event.created and event.updated', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Event Hooks' });
    globex = await createTenant({ name: 'Globex Event Hooks' });
    receiver = await new WebhookReceiver().start();
  });

  afterAll(async () => {
    await receiver.stop();
    await closeGatewayDb();
  });

  it('delivers event.created signed, with the event as GET /events/:id returns it', async () => {
    const hook = (await acme.api.post('/webhooks', { event: 'event.created', targetUrl: receiver.url('/events') })).body;
    assert.equal(hook.event, 'event.created');
    assert.equal((await acme.api.post('/webhooks', { event: 'event.updated', targetUrl: receiver.url('/updates') })).status, 201);
    const created = await acme.api.post('/events', { name: 'Hooked Gala', startsAt: STARTS, venue: 'Hall 1' });
    assert.equal(created.status, 201, created.text);
    await acme.api.patch(`/events/${created.body.id}`, { venue: 'Hall 2' });

    const [delivery] = await receiver
      .waitFor(() => receiver.forPath('/events').some((r) => r.json?.data?.id === created.body.id))
      .then(() => receiver.forPath('/events').filter((r) => r.json?.data?.id === created.body.id));
    assert.ok(verifySignature(hook.secret, delivery), 'the signature verifies with the subscription secret');
    assert.equal(delivery.json.type, 'event.created');
    const shown = (await acme.api.get(`/events/${created.body.id}`)).body;
    assert.deepEqual(Object.keys(delivery.json.data).sort(), Object.keys(shown).sort());
    assert.deepEqual(delivery.json.data, created.body, 'the event as it was created');
    assert.ok(!('tenantId' in delivery.json.data));
    // The PATCH's event.updated reached an event.updated webhook: the intake has seen it, and made the
    // deliveries of every subscription in that one transaction. The event.created webhook got none.
    await receiver.waitFor(() => receiver.forPath('/updates').some((r) => r.json?.data?.id === created.body.id));
    const deliveries = (await acme.api.get(`/webhooks/${hook.id}/deliveries`)).body as unknown[];
    assert.equal(deliveries.length, 1, 'an event.created subscription gets no event.updated');
    assert.deepEqual(
      receiver.forPath('/events').map((r) => r.json.type),
      ['event.created'],
    );
  });

  it('polls /triggers?event=event.updated newest first, per tenant', async () => {
    const event = (await acme.api.post('/events', { name: 'Polled Fair', startsAt: STARTS })).body;
    await acme.api.patch(`/events/${event.id}`, { venue: 'Pier 9' });
    await acme.api.post(`/events/${event.id}/suspend`);
    const items = await eventually(async () => {
      const response = await acme.api.get('/triggers?event=event.updated');
      assert.equal(response.status, 200, response.text);
      const mine = response.body.filter((i: any) => i.id === event.id);
      return mine.length === 2 ? mine : undefined;
    });
    assert.deepEqual(
      items.map((i: any) => [i.venue, i.status, i.changedFields, i.previousStatus]),
      [
        ['Pier 9', 'suspended', ['status'], 'active'],
        ['Pier 9', 'active', ['venue'], 'active'],
      ],
    );
    const shown = (await acme.api.get(`/events/${event.id}`)).body;
    assert.deepEqual(Object.keys(items[0]).sort(), [...Object.keys(shown), 'changedFields', 'previousStatus'].sort());
    assert.deepEqual(
      { ...items[0], changedFields: undefined, previousStatus: undefined },
      { ...shown, changedFields: undefined, previousStatus: undefined },
    );
    const created = await eventually(async () => {
      const response = await acme.api.get('/triggers?event=event.created');
      return response.body.some((i: any) => i.id === event.id) ? response.body : undefined;
    });
    assert.equal(created.find((i: any) => i.id === event.id).name, 'Polled Fair');
    assert.ok(!(await globex.api.get('/triggers?event=event.updated')).body.some((i: any) => i.id === event.id));
  });

  it('names the new types in validation messages', async () => {
    const response = await acme.api.post('/webhooks', { event: 'event.deleted', targetUrl: receiver.url('/x') });
    assert.equal(response.status, 400);
    assert.match(response.body.error, /event\.created, event\.updated/);
    const poll = await acme.api.get('/triggers?event=event.deleted');
    assert.equal(poll.status, 400);
    assert.match(poll.body.error, /event\.created, event\.updated/);
  });
});
