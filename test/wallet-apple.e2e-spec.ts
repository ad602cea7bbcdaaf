import assert from 'node:assert/strict';
import sharp from 'sharp';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '../libs/common/src/events/topics';
import { PassLinkSigner } from '../libs/common/src/passes/pass-link';
import { closeGatewayDb, createTenant, eventually, sharedGatewayUrl, TestTenant } from './support/e2e-env';
import { EventCollector } from './support/event-collector';
import { FakeApnsControl, ReceivedPush } from './support/fake-apns';
import { certificateIds, manifestProblems, unzip, verifySignature, walletTestIdentity } from './support/pkpass';

const STARTS = '2030-06-01T18:30:00.000Z';

/**
 * Apple Wallet end to end: the .pkpass (unzipped, manifest hashes, signature verified against
 * the test CA), the PassKit web service, and pushes through notifications → @parse/node-apn →
 * the local APNs stand-in (HTTP/2, TLS client certificate, topic checked).
 */
describe('Apple Wallet passes', () => {
  const identity = walletTestIdentity();
  const signer = new PassLinkSigner(
    { id: process.env.PASS_LINK_KEY_ID ?? 'k1', secret: process.env.PASS_LINK_SECRET! },
    sharedGatewayUrl(),
  );
  const gateway = sharedGatewayUrl();
  const web = `${gateway}/wallet/v1`;
  let acme: TestTenant;
  let apns: FakeApnsControl;
  let events: EventCollector;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Wallet' });
    apns = FakeApnsControl.fromEnv();
    events = await new EventCollector([TOPICS.passEvents.name], (e) => e.tenantId === acme.tenant.id).start();
  });

  afterAll(async () => {
    await events.stop();
    await closeGatewayDb();
  });

  async function eventPass(extra: Record<string, unknown> = {}) {
    const event = await acme.api.post('/events', { name: 'Harbour Lights', startsAt: STARTS, venue: 'Pier 4' });
    assert.equal(event.status, 201, event.text);
    const template = await acme.api.post('/templates', { name: 'Acme Nights', backgroundColor: '#102030', textColor: '#f0e0d0' });
    assert.equal(template.status, 201, template.text);
    const pass = await acme.api.post('/passes', {
      type: 'single',
      name: 'Harbour Lights entry',
      clientName: 'Ada Lovelace',
      eventId: event.body.id,
      templateId: template.body.id,
      validUntil: '2030-06-02T06:00:00Z',
      customFields: [
        { key: 'Seat', value: 'B7', isPublic: true },
        { key: 'Internal', value: 'comp ticket', isPublic: false },
      ],
      ...extra,
    });
    assert.equal(pass.status, 201, pass.text);
    return pass.body as { id: string; code: string; publicUrl: string };
  }

  async function download(url: string, headers: Record<string, string> = {}) {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  const passUrl = (serial: string) => `${web}/passes/${identity.passTypeId}/${serial}`;
  const registrationUrl = (device: string, serial: string) => `${web}/devices/${device}/registrations/${identity.passTypeId}/${serial}`;
  const applePass = (serial: string) => ({ authorization: `ApplePass ${signer.walletToken(serial)}` });

  async function register(device: string, serial: string, pushToken: string, token = signer.walletToken(serial)) {
    const response = await fetch(registrationUrl(device, serial), {
      method: 'POST',
      headers: { authorization: `ApplePass ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pushToken }),
    });
    return response.status;
  }

  async function serialsSince(device: string, tag?: string) {
    const query = tag ? `?passesUpdatedSince=${encodeURIComponent(tag)}` : '';
    const response = await fetch(`${web}/devices/${device}/registrations/${identity.passTypeId}${query}`);
    return {
      status: response.status,
      body: response.status === 200 ? ((await response.json()) as { serialNumbers: string[]; lastUpdated: string }) : null,
    };
  }

  const accepted = (pushes: ReceivedPush[]) => pushes.filter((push) => push.accepted);

  async function acceptedPushes(token: string, count: number, timeoutMs = 20_000): Promise<ReceivedPush[]> {
    return eventually(async () => {
      const pushes = accepted(await apns.pushes(token));
      return pushes.length >= count ? pushes : undefined;
    }, timeoutMs);
  }

  const newDevice = () => ({ device: `device-${randomUUID()}`, token: randomBytes(32).toString('hex') });

  it('builds a signed .pkpass: eventTicket, code barcode, validity, colours, public fields, web service', async () => {
    const pass = await eventPass();
    const response = await download(`${gateway}/api/v1/passes/${pass.id}/wallet/apple`, { authorization: `Bearer ${acme.apiKey}` });
    assert.equal(response.status, 200, response.body.toString());
    assert.equal(response.headers.get('content-type'), 'application/vnd.apple.pkpass');
    assert.ok(response.headers.get('last-modified'));

    const files = await unzip(response.body);
    assert.deepEqual(manifestProblems(files), []);
    assert.ok(files.has('icon.png') && files.has('icon@2x.png'), 'a pass without an icon does not install');
    assert.equal(verifySignature(files, identity.rootCert), 0, 'the signature verifies against the test CA');
    const tampered = Buffer.from(files.get('manifest.json')!.toString().replace('{', '{"extra.png":"00",'));
    assert.notEqual(verifySignature(files, identity.rootCert, tampered), 0, 'a changed manifest no longer verifies');

    const json = JSON.parse(files.get('pass.json')!.toString('utf8'));
    const ids = certificateIds(identity.signerCert);
    assert.equal(json.passTypeIdentifier, ids.uid);
    assert.equal(json.teamIdentifier, ids.ou);
    assert.equal(json.formatVersion, 1);
    assert.equal(json.serialNumber, pass.id);
    assert.equal(json.webServiceURL, `${gateway.replace('127.0.0.1', 'localhost')}/wallet`);
    assert.equal(json.authenticationToken, signer.walletToken(pass.id));
    assert.ok(json.authenticationToken.length >= 16);
    assert.equal(json.voided, false);
    assert.deepEqual(json.barcodes[0], {
      format: 'PKBarcodeFormatQR',
      message: pass.code,
      messageEncoding: 'iso-8859-1',
      altText: pass.code,
    });
    assert.equal(json.relevantDate, STARTS);
    assert.equal(json.expirationDate, '2030-06-02T06:00:00.000Z');
    assert.equal(json.backgroundColor, 'rgb(16, 32, 48)');
    assert.equal(json.foregroundColor, 'rgb(240, 224, 208)');
    assert.ok(json.eventTicket, 'an event pass is an eventTicket');
    const fields = [
      ...json.eventTicket.primaryFields,
      ...json.eventTicket.secondaryFields,
      ...json.eventTicket.auxiliaryFields,
      ...json.eventTicket.backFields,
    ];
    const value = (key: string) => fields.find((field: { key: string }) => field.key === key)?.value;
    assert.equal(value('title'), 'Harbour Lights');
    assert.equal(value('holder'), 'Ada Lovelace');
    assert.equal(value('starts'), STARTS);
    assert.equal(value('venue'), 'Pier 4');
    assert.ok(fields.some((field: { label: string; value: string }) => field.label === 'Seat' && field.value === 'B7'));
    assert.ok(!JSON.stringify(json).includes('comp ticket'), 'private fields stay out of the pass');

    // The holder gets the same pass through the signed public link; a forged link gets nothing.
    const holder = await download(pass.publicUrl.replace(/^https?:\/\/[^/]+/, gateway).replace('?token=', '/wallet/apple?token='));
    assert.equal(holder.status, 200);
    assert.equal(holder.headers.get('content-type'), 'application/vnd.apple.pkpass');
    assert.equal(JSON.parse((await unzip(holder.body)).get('pass.json')!.toString()).serialNumber, pass.id);
    assert.equal((await download(`${gateway}/p/${pass.code}/wallet/apple?token=${'x'.repeat(32)}`)).status, 404);
  });

  it('makes a generic pass without an event, with the template barcode format', async () => {
    const template = await acme.api.post('/templates', { name: 'Members', barcodeFormat: 'pdf417' });
    assert.equal(template.status, 201, template.text);
    assert.equal(template.body.barcodeFormat, 'pdf417');
    assert.equal((await acme.api.post('/templates', { name: 'Bad', barcodeFormat: 'datamatrix' })).status, 400);
    const pass = await acme.api.post('/passes', { type: 'multi', maxUsages: 10, name: 'Gym', templateId: template.body.id });
    const response = await download(`${gateway}/api/v1/passes/${pass.body.id}/wallet/apple`, { authorization: `Bearer ${acme.apiKey}` });
    const json = JSON.parse((await unzip(response.body)).get('pass.json')!.toString());
    assert.ok(json.generic && !json.eventTicket);
    assert.equal(json.barcodes[0].format, 'PKBarcodeFormatPDF417');
    const other = await createTenant({ name: 'Globex Wallet' });
    assert.equal(
      (await download(`${gateway}/api/v1/passes/${pass.body.id}/wallet/apple`, { authorization: `Bearer ${other.apiKey}` })).status,
      404,
    );
  });

  it('registers a device, pushes once per change (even when Kafka redelivers), lists it since a tag, serves the voided pass', async () => {
    const pass = await eventPass();
    const { device, token } = newDevice();
    assert.equal(await register(device, pass.id, token, 'wrong-token-wrong-token'), 401);
    assert.equal(await register(device, pass.id, token), 201);
    assert.equal(await register(device, pass.id, token), 200);
    const unknownSerial = randomUUID();
    assert.equal(await register(device, unknownSerial, token), 404);

    const all = await serialsSince(device);
    assert.equal(all.status, 200);
    assert.deepEqual(all.body!.serialNumbers, [pass.id]);
    const tagBefore = all.body!.lastUpdated;
    assert.equal((await serialsSince(device, tagBefore)).status, 204);

    const revoke = await acme.api.post(`/passes/${pass.id}/revoke`);
    assert.equal(revoke.status, 200);
    const [push] = await acceptedPushes(token, 1);
    assert.equal(push.topic, identity.passTypeId);
    assert.equal(push.clientCertUid, identity.passTypeId, 'the pass-type certificate is the TLS client certificate');
    assert.deepEqual(push.payload, { aps: {} });

    // The same pass.status_changed once more through Kafka: nothing new may reach the device.
    const [changed] = await events.waitFor((all) =>
      all.some((e) => e.event.type === 'pass.status_changed' && (e.event.data as any).id === pass.id),
    );
    const original = events.ofType('pass.status_changed').find((e) => (e.event.data as any).id === pass.id) ?? changed;
    const kafka = new Kafka({
      clientId: 'e2e-wallet-replay',
      brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPICS.passEvents.name,
      messages: [{ key: original.key, value: JSON.stringify(original.event), headers: original.headers }],
    });
    await producer.disconnect();
    // A later change on the same partition: once its push is in, the replay has been consumed.
    assert.equal((await acme.api.patch(`/passes/${pass.id}`, { name: 'Harbour Lights (refunded)' })).status, 200);
    const pushes = await acceptedPushes(token, 2);
    assert.equal(accepted(await apns.pushes(token)).length, 2, 'one push per change, none for the redelivered event');
    assert.equal(pushes.length, 2);

    const since = await serialsSince(device, tagBefore);
    assert.equal(since.status, 200);
    assert.deepEqual(since.body!.serialNumbers, [pass.id]);
    assert.ok(BigInt(since.body!.lastUpdated) > BigInt(tagBefore));

    const latest = await download(passUrl(pass.id), applePass(pass.id));
    assert.equal(latest.status, 200);
    assert.equal(latest.headers.get('content-type'), 'application/vnd.apple.pkpass');
    const json = JSON.parse((await unzip(latest.body)).get('pass.json')!.toString());
    assert.equal(json.voided, true, 'a revoked pass is voided');
    assert.equal(json.serialNumber, pass.id);
    const lastModified = latest.headers.get('last-modified')!;
    assert.ok(lastModified);
    const notModified = await download(passUrl(pass.id), { ...applePass(pass.id), 'if-modified-since': lastModified });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.body.length, 0);
    const older = await download(passUrl(pass.id), {
      ...applePass(pass.id),
      'if-modified-since': new Date(Date.parse(lastModified) - 60_000).toUTCString(),
    });
    assert.equal(older.status, 200);

    assert.equal((await download(passUrl(pass.id), { authorization: 'ApplePass not-the-token-of-this-pass' })).status, 401);
    assert.equal((await download(passUrl(pass.id))).status, 401);
    assert.equal((await download(passUrl(unknownSerial), applePass(unknownSerial))).status, 404);
    assert.equal((await download(`${web}/passes/pass.other.type/${pass.id}`, applePass(pass.id))).status, 404);
  });

  it('pushes when a scan admits a multi pass (its uses change)', async () => {
    const pass = await acme.api.post('/passes', { type: 'multi', maxUsages: 5, name: 'Gym', clientName: 'Ada Lovelace' });
    assert.equal(pass.status, 201, pass.text);
    const { device, token } = newDevice();
    assert.equal(await register(device, pass.body.id, token), 201);
    const tagBefore = (await serialsSince(device)).body!.lastUpdated;

    const scan = await acme.api.post('/scan', { code: pass.body.code });
    assert.equal(scan.status, 200, scan.text);
    assert.equal(scan.body.result, 'success');
    const [push] = await acceptedPushes(token, 1);
    assert.equal(push.topic, identity.passTypeId);
    const since = await serialsSince(device, tagBefore);
    assert.equal(since.status, 200);
    assert.deepEqual(since.body!.serialNumbers, [pass.body.id]);
    // The pass the device then fetches shows the new count (the passes service tallies the same scan).
    await eventually(async () => {
      const latest = await download(passUrl(pass.body.id), applePass(pass.body.id));
      const json = JSON.parse((await unzip(latest.body)).get('pass.json')!.toString());
      const uses = [
        ...(json.generic.secondaryFields ?? []),
        ...(json.generic.auxiliaryFields ?? []),
        ...(json.generic.headerFields ?? []),
      ].find((field: any) => field.key === 'uses');
      return uses?.value === '1 / 5' ? uses : undefined;
    }, 20_000);
  });

  it('pushes every pass wearing a template when its colours or images change, and no other pass', async () => {
    const template = await acme.api.post('/templates', { name: 'Recolour me', backgroundColor: '#102030' });
    assert.equal(template.status, 201, template.text);
    const worn = await acme.api.post('/passes', { type: 'single', name: 'Worn', clientName: 'Ada Lovelace', templateId: template.body.id });
    const plain = await acme.api.post('/passes', { type: 'single', name: 'Plain', clientName: 'Ada Lovelace' });
    assert.equal(worn.status, 201, worn.text);
    const wearer = newDevice();
    const other = newDevice();
    assert.equal(await register(wearer.device, worn.body.id, wearer.token), 201);
    assert.equal(await register(other.device, plain.body.id, other.token), 201);

    assert.equal((await acme.api.patch(`/templates/${template.body.id}`, { backgroundColor: '#405060' })).status, 200);
    await acceptedPushes(wearer.token, 1);
    const latest = await download(passUrl(worn.body.id), applePass(worn.body.id));
    assert.equal(JSON.parse((await unzip(latest.body)).get('pass.json')!.toString()).backgroundColor, 'rgb(64, 80, 96)');

    const icon = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 10, b: 10 } } })
      .png()
      .toBuffer();
    const uploaded = await acme.api.request('PUT', `/templates/${template.body.id}/images/icon`, {
      rawBody: icon,
      headers: { 'content-type': 'image/png' },
    });
    assert.equal(uploaded.status, 200, uploaded.text);
    await acceptedPushes(wearer.token, 2);

    // The template's pushes are in, so any it caused are sent. A later change down the same path to the
    // other pass: its one push is the revoke's.
    assert.equal((await acme.api.post(`/passes/${plain.body.id}/revoke`)).status, 200);
    await acceptedPushes(other.token, 1);
    assert.equal(accepted(await apns.pushes(other.token)).length, 1, 'the template reached only the passes wearing it');
  });

  it('coalesces a burst of changes into one push, and retries a failed push with backoff', async () => {
    const pass = await eventPass({ type: 'multi', maxUsages: 5 });
    const { device, token } = newDevice();
    assert.equal(await register(device, pass.id, token), 201);
    const burst = await Promise.all(['Burst 1', 'Burst 2', 'Burst 3'].map((name) => acme.api.patch(`/passes/${pass.id}`, { name })));
    assert.deepEqual(
      burst.map((response) => response.status),
      [200, 200, 200],
    );
    await acceptedPushes(token, 1);

    await apns.failNext(token, [500, 500]);
    assert.equal((await acme.api.patch(`/passes/${pass.id}`, { name: 'After the burst' })).status, 200);
    const pushes = await acceptedPushes(token, 2);
    assert.equal(pushes.length, 2, 'the three quick changes made one push; the later change one more');
    const all = await apns.pushes(token);
    const failures = all.filter((push) => push.status === 500);
    assert.equal(failures.length, 2, 'two refused attempts before the push went through');
    const gaps = [Date.parse(failures[1].at) - Date.parse(failures[0].at), Date.parse(pushes[1].at) - Date.parse(failures[1].at)];
    // WALLET_PUSH_RETRY_BASE_MS is 200 in tests: the waits are at least 200 ms, then 400 ms (doubling).
    assert.ok(gaps[0] >= 190 && gaps[1] >= 390, `backoff doubles from 200 ms: waited ${gaps.join(' ms, ')} ms`);
    assert.deepEqual(
      failures.map((push) => push.apnsId),
      [pushes[1].apnsId, pushes[1].apnsId],
      'a retry is the same push (same apns-id)',
    );
  });

  it('removes a registration APNs answers 410 for; unregisters on DELETE; accepts device logs and refuses anything else', async () => {
    const pass = await eventPass();
    const gone = newDevice();
    const kept = newDevice();
    assert.equal(await register(gone.device, pass.id, gone.token), 201);
    assert.equal(await register(kept.device, pass.id, kept.token), 201);
    await apns.failNext(gone.token, [410]);
    assert.equal((await acme.api.post(`/passes/${pass.id}/revoke`)).status, 200);
    await acceptedPushes(kept.token, 1);
    await eventually(async () => ((await apns.pushes(gone.token)).some((push) => push.status === 410) ? true : undefined));
    await eventually(async () => ((await serialsSince(gone.device)).status === 204 ? true : undefined));
    assert.equal((await serialsSince(kept.device)).status, 200);

    const unregistered = await fetch(registrationUrl(kept.device, pass.id), { method: 'DELETE', headers: applePass(pass.id) });
    assert.equal(unregistered.status, 200);
    assert.equal((await serialsSince(kept.device)).status, 204);
    assert.equal(
      (await fetch(registrationUrl(kept.device, pass.id), { method: 'DELETE', headers: { authorization: 'ApplePass nope' } })).status,
      401,
    );

    // The device after 410 gets no more pushes: a later change reaches nobody, the kept device is gone too.
    const log = await fetch(`${web}/log`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ logs: ['[2030-06-01] Web service error'] }),
    });
    assert.equal(log.status, 200);
    for (const [junk, error] of [
      ['{"logs":[1,2]}', /logs must be an array of strings/],
      ['{"logs":"one line"}', /logs must be an array of strings/],
      ['{}', /logs must be an array of strings/],
      ['[]', /must be a JSON object/],
    ] as const) {
      const refused = await fetch(`${web}/log`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: junk });
      assert.equal(refused.status, 400, `device log ${junk}`);
      assert.match(((await refused.json()) as { error: string }).error, error);
    }
  });
});
