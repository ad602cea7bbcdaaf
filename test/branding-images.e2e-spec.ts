import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import sharp from 'sharp';
import { TOPICS } from '../libs/common/src/events/topics';
import { EventCollector } from './support/event-collector';
import { closeGatewayDb, createTenant, sharedGatewayUrl, TestTenant } from './support/e2e-env';
import { unzip } from './support/pkpass';

/** Logo and icon uploads: validated and resized with sharp by the passes service, shown on the pass page and in both wallets. */
describe('branding images', () => {
  const gateway = sharedGatewayUrl();
  let acme: TestTenant;
  let events: EventCollector;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Images' });
    events = await new EventCollector([TOPICS.eventEvents.name], (e) => e.tenantId === acme.tenant.id).start();
  });

  afterAll(async () => {
    await events?.stop();
    await closeGatewayDb();
  });

  const solid = (width: number, height: number, colour: { r: number; g: number; b: number }, format: 'png' | 'jpeg' = 'png') =>
    sharp({ create: { width, height, channels: 3, background: colour } })
      [format]()
      .toBuffer();

  /** The raw file as the body, through the e2e client (its answer is checked against the OpenAPI document). */
  async function upload(path: string, body: Buffer, contentType = 'image/png', tenant: TestTenant = acme) {
    const response = await tenant.api.request('PUT', path, { rawBody: body, headers: { 'content-type': contentType } });
    return { status: response.status, body: typeof response.body === 'object' ? response.body : { text: response.text } };
  }

  async function pixel(png: Buffer) {
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, r: data[0], g: data[1], b: data[2] };
  }

  it('resizes a template logo and icon to the wallet sizes and uses them in the .pkpass and as the template logoUrl', async () => {
    const template = await acme.api.post('/templates', { name: 'Imaged' });
    assert.equal(template.status, 201, template.text);
    const icon = await upload(`/templates/${template.body.id}/images/icon`, await solid(512, 512, { r: 200, g: 10, b: 10 }));
    assert.equal(icon.status, 200, JSON.stringify(icon.body));
    assert.deepEqual([icon.body.kind, icon.body.width, icon.body.height], ['icon', 29, 29]);
    const logo = await upload(
      `/templates/${template.body.id}/images/logo`,
      await solid(800, 200, { r: 10, g: 10, b: 200 }, 'jpeg'),
      'image/jpeg',
    );
    assert.equal(logo.status, 200, JSON.stringify(logo.body));
    assert.deepEqual([logo.body.width, logo.body.height], [160, 40], 'fits 160×50 points, keeping its 4:1 shape');
    assert.match(logo.body.url, /\/images\/[0-9a-f-]{36}\.png$/);

    // The template's logoUrl is now the uploaded logo, served publicly as PNG (and at 3x).
    assert.equal((await acme.api.get(`/templates/${template.body.id}`)).body.logoUrl, logo.body.url);
    const served = await fetch(`${gateway}${new URL(logo.body.url).pathname.replace('.png', '@3x.png')}`);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.deepEqual((await pixel(Buffer.from(await served.arrayBuffer()))).width, 480);

    const pass = await acme.api.post('/passes', { type: 'single', name: 'Imaged pass', templateId: template.body.id });
    assert.equal(pass.status, 201, pass.text);
    const pkpass = await fetch(`${gateway}/api/v1/passes/${pass.body.id}/wallet/apple`, {
      headers: { authorization: `Bearer ${acme.apiKey}` },
    });
    assert.equal(pkpass.status, 200);
    const files = await unzip(Buffer.from(await pkpass.arrayBuffer()));
    const icon1x = await pixel(files.get('icon.png')!);
    assert.deepEqual([icon1x.width, icon1x.height], [29, 29]);
    assert.ok(icon1x.r > 180 && icon1x.g < 40, 'the uploaded red icon, not the default');
    assert.deepEqual((await pixel(files.get('icon@3x.png')!)).width, 87);
    const logo2x = await pixel(files.get('logo@2x.png')!);
    assert.deepEqual([logo2x.width, logo2x.height], [320, 80]);
    assert.ok(logo2x.b > 180 && logo2x.r < 40, 'the uploaded blue logo');

    // The pass page and emails show the logo through the template's logoUrl, but only an https one (PUBLIC_BASE_URL
    // is https in production, http here): that half is covered by the page's own tests of https logos.
  });

  it('answers 400 for a bad file and changes nothing', async () => {
    const template = await acme.api.post('/templates', { name: 'Kept' });
    const good = await upload(`/templates/${template.body.id}/images/logo`, await solid(100, 100, { r: 0, g: 128, b: 0 }));
    assert.equal(good.status, 200);
    const attempts = [
      await upload(`/templates/${template.body.id}/images/logo`, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/png'),
      await upload(`/templates/${template.body.id}/images/logo`, Buffer.from('not an image at all')),
      await upload(`/templates/${template.body.id}/images/logo`, (await solid(10, 10, { r: 0, g: 0, b: 0 })).subarray(0, 40)),
      await upload(`/templates/${template.body.id}/images/logo`, Buffer.alloc(0)),
      await upload(`/templates/${template.body.id}/images/banner`, await solid(10, 10, { r: 0, g: 0, b: 0 })),
      // Over 1 MB (about 1.5 MB uncompressed PNG), and far over it (the body is not even read).
      await upload(
        `/templates/${template.body.id}/images/logo`,
        await sharp({ create: { width: 700, height: 700, channels: 3, background: { r: 1, g: 2, b: 3 } } })
          .png({ compressionLevel: 0 })
          .toBuffer(),
      ),
      await upload(
        `/templates/${template.body.id}/images/logo`,
        await sharp({ create: { width: 1400, height: 1400, channels: 3, background: { r: 1, g: 2, b: 3 } } })
          .png({ compressionLevel: 0 })
          .toBuffer(),
      ),
    ];
    // A decompression bomb: a 6000×6000 PNG of one colour is a small file but 36 megapixels to decode.
    const bomb = await sharp({ create: { width: 6000, height: 6000, channels: 3, background: { r: 9, g: 9, b: 9 } } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    assert.ok(bomb.length < 1024 * 1024, `the bomb is under 1 MB (${bomb.length} bytes)`);
    attempts.push(await upload(`/templates/${template.body.id}/images/icon`, bomb));
    assert.deepEqual(
      attempts.map((a) => a.status),
      [400, 400, 400, 400, 400, 400, 413, 400],
      JSON.stringify(attempts.map((a) => a.body)),
    );
    assert.equal(attempts[5].body.code, 'image_too_large');
    assert.equal(attempts[7].body.code, 'image_too_large');
    assert.ok([...attempts.slice(0, 6), attempts[7]].every((a) => typeof a.body.error === 'string' && typeof a.body.code === 'string'));
    assert.equal((await acme.api.get(`/templates/${template.body.id}`)).body.logoUrl, good.body.url, 'the earlier logo stays');
    const other = await createTenant({ name: 'Globex Images' });
    const foreign = await fetch(`${gateway}/api/v1/templates/${template.body.id}/images/logo`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${other.apiKey}`, 'content-type': 'image/png' },
      body: await solid(10, 10, { r: 0, g: 0, b: 0 }),
    });
    assert.equal(foreign.status, 404);
  });

  it('gives an event a logo and an icon, which its passes without a template wear, and pushes the change as event.updated', async () => {
    const event = await acme.api.post('/events', { name: 'Logo Night', startsAt: '2030-06-01T18:30:00Z' });
    assert.equal(event.status, 201, event.text);
    const logo = await upload(`/events/${event.body.id}/images/logo`, await solid(300, 100, { r: 250, g: 200, b: 0 }));
    assert.equal(logo.status, 200, JSON.stringify(logo.body));
    assert.deepEqual([logo.body.kind, logo.body.width, logo.body.height], ['logo', 150, 50], 'fits 160×50 points, keeping its 3:1 shape');
    const icon = await upload(`/events/${event.body.id}/images/icon`, await solid(64, 64, { r: 0, g: 200, b: 0 }, 'jpeg'), 'image/jpeg');
    assert.equal(icon.status, 200, JSON.stringify(icon.body));
    assert.equal((await acme.api.get(`/events/${event.body.id}`)).body.branding.logoUrl, logo.body.url);
    // Each upload is an event.updated with branding changed: installed wallet passes of the event get pushed.
    const updates = await events.waitFor(
      (all) => all.filter((e) => e.event.type === 'event.updated' && (e.event.data as any).id === event.body.id).length >= 2,
    );
    const branding = updates.filter((e) => e.event.type === 'event.updated' && (e.event.data as any).id === event.body.id);
    assert.equal(branding.length, 2, 'one event.updated per upload');
    assert.ok(branding.every((e) => (e.event.data as any).changedFields.includes('branding')));
    assert.equal((branding[0].event.data as any).branding.logoUrl, logo.body.url);

    const pass = await acme.api.post('/passes', { type: 'single', name: 'Logo Night entry', clientName: 'Ada', eventId: event.body.id });
    assert.equal(pass.status, 201, pass.text);
    const download = await fetch(`${gateway}/api/v1/passes/${pass.body.id}/wallet/apple`, {
      headers: { authorization: `Bearer ${acme.apiKey}` },
    });
    assert.equal(download.status, 200);
    const files = await unzip(Buffer.from(await download.arrayBuffer()));
    const logo3x = await pixel(files.get('logo@3x.png')!);
    assert.deepEqual([logo3x.width, logo3x.height], [450, 150]);
    assert.ok(logo3x.r > 230 && logo3x.g > 180 && logo3x.b < 30, 'the event’s yellow logo');
    const icon1x = await pixel(files.get('icon.png')!);
    assert.ok(icon1x.g > 180 && icon1x.r < 30, 'the event’s green icon');

    // Another tenant cannot put an image on this event.
    const other = await createTenant({ name: 'Initech Images' });
    const foreign = await upload(`/events/${event.body.id}/images/logo`, await solid(10, 10, { r: 0, g: 0, b: 0 }), 'image/png', other);
    assert.equal(foreign.status, 404);
    assert.equal((await acme.api.get(`/events/${event.body.id}`)).body.branding.logoUrl, logo.body.url);
  });

  it('serves only stored images: an unknown id or a malformed name is 404 JSON', async () => {
    const unknown = await fetch(`${gateway}/images/00000000-0000-4000-8000-000000000000.png`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { code: string }).code, 'not_found');
    const malformed = await fetch(`${gateway}/images/..%2Fetc%2Fpasswd`);
    assert.equal(malformed.status, 404);
    assert.equal((await fetch(`${gateway}/images/00000000-0000-4000-8000-000000000000@4x.png`)).status, 404);
  });
});
