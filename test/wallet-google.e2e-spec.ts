import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { Kafka, logLevel } from 'kafkajs';
import sharp from 'sharp';
import { TOPICS } from '../libs/common/src/events/topics';
import { closeGatewayDb, createTenant, eventually, sharedGatewayUrl, TestTenant } from './support/e2e-env';
import { CollectedEvent, EventCollector } from './support/event-collector';
import { FakeGoogleWalletControl, ReceivedPatch } from './support/fake-google-wallet';
import { walletTestIdentity } from './support/pkpass';

const STARTS = '2030-07-01T19:00:00.000Z';

/**
 * Google Wallet end to end: the save link's JWT (verified with the test service account's public
 * key), the holder saving it at the stand-in, and later changes PATCHed through google-auth-library
 * (OAuth token from the stand-in's token endpoint) to the stand-in's Wallet API.
 */
describe('Google Wallet passes', () => {
  const identity = walletTestIdentity();
  const gateway = sharedGatewayUrl();
  let acme: TestTenant;
  let google: FakeGoogleWalletControl;
  let eventEvents: EventCollector;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Google Wallet' });
    google = FakeGoogleWalletControl.fromEnv();
    eventEvents = await new EventCollector([TOPICS.eventEvents.name], (e) => e.tenantId === acme.tenant.id).start();
  });

  afterAll(async () => {
    await eventEvents.stop();
    await closeGatewayDb();
  });

  async function eventPass(eventFields: Record<string, unknown> = {}, passFields: Record<string, unknown> = {}) {
    const event = await acme.api.post('/events', { name: 'Night Market', startsAt: STARTS, venue: 'Old Quay', ...eventFields });
    assert.equal(event.status, 201, event.text);
    const pass = await acme.api.post('/passes', {
      ...passFields,
      type: 'single',
      clientName: 'Grace Hopper',
      eventId: event.body.id,
      validUntil: '2030-07-02T03:00:00Z',
      customFields: [
        { key: 'Stall', value: '42', isPublic: true },
        { key: 'Secret', value: 'vip-list', isPublic: false },
      ],
    });
    assert.equal(pass.status, 201, pass.text);
    return { event: event.body as { id: string }, pass: pass.body as { id: string; code: string; publicUrl: string } };
  }

  const saveJwtOf = (saveUrl: string) => {
    assert.match(saveUrl, /^https:\/\/pay\.google\.com\/gp\/v\/save\/[\w-]+\.[\w-]+\.[\w-]+$/);
    return saveUrl.slice('https://pay.google.com/gp/v/save/'.length);
  };

  /** The holder saves the pass's link at the stand-in; answers the save JWT's payload. */
  async function savedToGoogle(passId: string): Promise<Record<string, any[]>> {
    const link = await acme.api.get(`/passes/${passId}/wallet/google`);
    assert.equal(link.status, 200, link.text);
    const token = saveJwtOf(link.body.saveUrl);
    const saved = await google.save(token);
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    return (jwt.decode(token) as jwt.JwtPayload).payload;
  }

  /** The stand-in's successful PATCHes of one object or class, once there are `count` of them. */
  const acceptedPatches = (id: string, count: number): Promise<ReceivedPatch[]> =>
    eventually(async () => {
      const done = (await google.patches(id)).filter((patch) => patch.status === 200);
      return done.length >= count ? done : undefined;
    }, 30_000);

  const english = (value: string) => ({ defaultValue: { language: 'en', value } });

  it('gives a save link whose RS256 JWT carries the event ticket object and class', async () => {
    const { event, pass } = await eventPass();
    const response = await acme.api.get(`/passes/${pass.id}/wallet/google`);
    assert.equal(response.status, 200, response.text);
    const token = saveJwtOf(response.body.saveUrl);
    const claims = jwt.verify(token, identity.google.publicKey, {
      algorithms: ['RS256'],
      audience: 'google',
      issuer: identity.google.clientEmail,
    }) as jwt.JwtPayload;
    assert.equal(claims.typ, 'savetowallet');
    assert.deepEqual(claims.origins, [new URL(gateway.replace('127.0.0.1', 'localhost')).origin]);
    const [object] = claims.payload.eventTicketObjects;
    const [ticketClass] = claims.payload.eventTicketClasses;
    assert.equal(object.id, `${identity.google.issuerId}.pass-${pass.id}`);
    assert.equal(object.classId, ticketClass.id);
    assert.equal(ticketClass.id, `${identity.google.issuerId}.event-${event.id}`);
    assert.equal(ticketClass.eventName.defaultValue.value, 'Night Market');
    assert.equal(ticketClass.dateTime.start, STARTS);
    assert.equal(ticketClass.venue.name.defaultValue.value, 'Old Quay');
    assert.equal(object.state, 'ACTIVE');
    assert.deepEqual(object.barcode, { type: 'QR_CODE', value: pass.code, alternateText: pass.code });
    assert.deepEqual(object.validTimeInterval, { end: { date: '2030-07-02T03:00:00.000Z' } });
    assert.equal(object.ticketHolderName, 'Grace Hopper');
    assert.deepEqual(object.textModulesData, [{ id: 'field0', header: 'Stall', body: '42' }]);
    assert.ok(!JSON.stringify(claims).includes('vip-list'), 'private fields stay out');
    // A key that is not the service account's does not verify.
    assert.throws(() => jwt.verify(token, identity.rootCert, { algorithms: ['RS256'] }));

    // The holder's button on the public page redirects to a link for the same object.
    const holder = await fetch(pass.publicUrl.replace(/^https?:\/\/[^/]+/, gateway).replace('?token=', '/wallet/google?token='), {
      redirect: 'manual',
    });
    assert.equal(holder.status, 302);
    const holderClaims = jwt.decode(saveJwtOf(holder.headers.get('location')!)) as jwt.JwtPayload;
    assert.equal(holderClaims.payload.eventTicketObjects[0].id, object.id);
    assert.equal((await fetch(`${gateway}/p/${pass.code}/wallet/google?token=${'y'.repeat(32)}`, { redirect: 'manual' })).status, 404);
  });

  it('gives a generic object for a pass without an event; another tenant gets 404', async () => {
    const pass = await acme.api.post('/passes', { type: 'multi', name: 'Library card' });
    const response = await acme.api.get(`/passes/${pass.body.id}/wallet/google`);
    const claims = jwt.decode(saveJwtOf(response.body.saveUrl)) as jwt.JwtPayload;
    assert.equal(claims.payload.genericObjects[0].header.defaultValue.value, 'Library card');
    assert.equal(claims.payload.genericObjects[0].classId, claims.payload.genericClasses[0].id);
    const other = await createTenant({ name: 'Globex Google' });
    assert.equal((await other.api.get(`/passes/${pass.body.id}/wallet/google`)).status, 404);
  });

  it('PATCHes a saved object to INACTIVE once when the pass is revoked, retrying a failed PATCH', async () => {
    const { pass } = await eventPass();
    const link = await acme.api.get(`/passes/${pass.id}/wallet/google`);
    const saved = await google.save(saveJwtOf(link.body.saveUrl));
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const objectId = `${identity.google.issuerId}.pass-${pass.id}`;
    assert.ok(saved.body.saved.includes(objectId));

    await google.failNext(objectId, [503]);
    assert.equal((await acme.api.post(`/passes/${pass.id}/revoke`)).status, 200);
    await eventually(async () => ((await google.patches(objectId)).some((patch) => patch.status === 200) ? true : undefined), 30_000);
    // A later change down the same path: once it is PATCHed, no more of the revoke can come.
    assert.equal((await acme.api.post(`/passes/${pass.id}/activate`)).status, 200);
    const patches = await eventually(async () => {
      const all = (await google.patches(objectId)).filter((patch) => patch.status === 200);
      return all.length >= 2 ? all : undefined;
    }, 30_000);
    assert.deepEqual(
      patches.map((patch) => patch.body.state),
      ['INACTIVE', 'ACTIVE'],
      'the revoke PATCHed once, then the reactivation',
    );
    const attempts = await google.patches(objectId);
    assert.deepEqual(
      attempts.map((patch) => patch.status),
      [503, 200, 200],
      'the 503 was retried',
    );
  });

  it("PATCHes the event's class once when its name and branding change, even when Kafka redelivers the change", async () => {
    const { event, pass } = await eventPass({ branding: { backgroundColor: '#101010' } });
    const payload = await savedToGoogle(pass.id);
    const classId = `${identity.google.issuerId}.event-${event.id}`;
    const objectId = `${identity.google.issuerId}.pass-${pass.id}`;
    // The event's branding is on its class; the object of a pass without a template sets no colour over it.
    assert.equal(payload.eventTicketClasses[0].hexBackgroundColor, '#101010');
    assert.equal(payload.eventTicketObjects[0].hexBackgroundColor, undefined);

    const logoUrl = 'https://cdn.example.com/night-market.png';
    const renamed = await acme.api.patch(`/events/${event.id}`, {
      name: 'Night Market (moved)',
      branding: { backgroundColor: '#aa3300', logoUrl },
    });
    assert.equal(renamed.status, 200, renamed.text);
    const [first] = await acceptedPatches(classId, 1);
    assert.equal(first.type, 'eventTicketClass');
    assert.deepEqual(first.body, {
      eventName: english('Night Market (moved)'),
      dateTime: { start: STARTS },
      venue: { name: english('Old Quay'), address: english('Old Quay') },
      hexBackgroundColor: '#aa3300',
      logo: { sourceUri: { uri: logoUrl } },
    });

    // The same event.updated once more through Kafka: it must PATCH nothing.
    const isRenamed = (e: CollectedEvent) => e.event.type === 'event.updated' && (e.event.data as { id: string }).id === event.id;
    const original = (await eventEvents.waitFor((all) => all.some(isRenamed))).find(isRenamed)!;
    const kafka = new Kafka({
      clientId: 'e2e-google-replay',
      brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPICS.eventEvents.name,
      messages: [{ key: original.key, value: JSON.stringify(original.event), headers: original.headers }],
    });
    await producer.disconnect();
    // A later change of the same event (same key, same partition, after the replay): once it is PATCHed, the replay was consumed.
    assert.equal((await acme.api.patch(`/events/${event.id}`, { venue: 'New Quay' })).status, 200);
    const patches = await acceptedPatches(classId, 2);
    assert.deepEqual(
      patches.map((patch) => [patch.body.eventName, patch.body.venue, patch.body.hexBackgroundColor]),
      [
        [english('Night Market (moved)'), { name: english('Old Quay'), address: english('Old Quay') }, '#aa3300'],
        [english('Night Market (moved)'), { name: english('New Quay'), address: english('New Quay') }, '#aa3300'],
      ],
      'one PATCH per change, none for the redelivered event',
    );
    assert.equal((await google.patches(classId)).length, 2, 'no other attempt reached the class');
    assert.deepEqual(await google.patches(objectId), [], "an event's change PATCHes its class, not its passes' objects");
  });

  it("PATCHes the objects of a template's saved passes with its new colour and logo, and no other pass's", async () => {
    const template = await acme.api.post('/templates', { name: 'Acme Gold', backgroundColor: '#102030' });
    assert.equal(template.status, 201, template.text);
    const templateId: string = template.body.id;
    const { pass: ticket } = await eventPass({ name: 'Gold Night' }, { templateId });
    const card = await acme.api.post('/passes', { type: 'multi', name: 'Gold card', templateId });
    const plain = await acme.api.post('/passes', { type: 'multi', name: 'Plain card' });
    assert.equal(card.status, 201, card.text);
    assert.equal(plain.status, 201, plain.text);
    const saved = await savedToGoogle(ticket.id);
    await savedToGoogle(card.body.id);
    await savedToGoogle(plain.body.id);
    assert.equal(saved.eventTicketObjects[0].hexBackgroundColor, '#102030', "the template's colour is on the object");
    const ticketObject = `${identity.google.issuerId}.pass-${ticket.id}`;
    const cardObject = `${identity.google.issuerId}.pass-${card.body.id}`;
    const plainObject = `${identity.google.issuerId}.pass-${plain.body.id}`;

    assert.equal((await acme.api.patch(`/templates/${templateId}`, { backgroundColor: '#c0ffee' })).status, 200);
    const [ticketRecoloured] = await acceptedPatches(ticketObject, 1);
    const [cardRecoloured] = await acceptedPatches(cardObject, 1);
    assert.equal(ticketRecoloured.type, 'eventTicketObject');
    assert.deepEqual(ticketRecoloured.body, { hexBackgroundColor: '#c0ffee' });
    assert.equal(cardRecoloured.type, 'genericObject');
    assert.deepEqual(cardRecoloured.body, { hexBackgroundColor: '#c0ffee' });

    // A new logo: a generic object wears it; an event ticket object has no logo field (its event's class has).
    const logo = await sharp({ create: { width: 300, height: 100, channels: 3, background: { r: 10, g: 10, b: 200 } } })
      .png()
      .toBuffer();
    const uploaded = await acme.api.request('PUT', `/templates/${templateId}/images/logo`, {
      rawBody: logo,
      headers: { 'content-type': 'image/png' },
    });
    assert.equal(uploaded.status, 200, uploaded.text);
    const logoImage = { sourceUri: { uri: uploaded.body.url } };
    const [, cardLogo] = await acceptedPatches(cardObject, 2);
    assert.deepEqual(cardLogo.body, { hexBackgroundColor: '#c0ffee', logo: logoImage }, "the template's whole look");

    // A later change down the same path reaches both objects: what came before it on each is all there was.
    assert.equal((await acme.api.patch(`/templates/${templateId}`, { backgroundColor: '#abcdef' })).status, 200);
    const ticketPatches = await acceptedPatches(ticketObject, 2);
    const cardPatches = await acceptedPatches(cardObject, 3);
    assert.deepEqual(
      ticketPatches.map((patch) => patch.body),
      [{ hexBackgroundColor: '#c0ffee' }, { hexBackgroundColor: '#abcdef' }],
      'the logo upload sent the event ticket nothing',
    );
    assert.deepEqual(
      cardPatches.map((patch) => patch.body),
      [
        { hexBackgroundColor: '#c0ffee' },
        { hexBackgroundColor: '#c0ffee', logo: logoImage },
        { hexBackgroundColor: '#abcdef', logo: logoImage },
      ],
    );
    // The stored object now shows the template's latest look, and the holder's state is untouched.
    const object = (await google.object(cardObject))!;
    assert.equal(object.hexBackgroundColor, '#abcdef');
    assert.deepEqual(object.logo, logoImage);
    assert.equal(object.state, 'ACTIVE');
    assert.deepEqual(await google.patches(plainObject), [], 'a pass without the template is not PATCHed');
  });
});
