import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { closeGatewayDb, createTenant, eventually, sharedGatewayUrl, TestTenant } from './support/e2e-env';
import { FakeGoogleWalletControl } from './support/fake-google-wallet';
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

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Google Wallet' });
    google = FakeGoogleWalletControl.fromEnv();
  });

  afterAll(async () => {
    await closeGatewayDb();
  });

  async function eventPass() {
    const event = await acme.api.post('/events', { name: 'Night Market', startsAt: STARTS, venue: 'Old Quay' });
    assert.equal(event.status, 201, event.text);
    const pass = await acme.api.post('/passes', {
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
});
