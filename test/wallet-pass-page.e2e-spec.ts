import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { closeGatewayDb, createTenant, sharedGatewayUrl, TestTenant } from './support/e2e-env';
import { artifactPath, launchChromium } from './support/browser';

/** The public pass page as a ticket, in Chromium: the event in its own time zone, the holder, .ics and wallet buttons. */
describe('the pass page as a ticket', () => {
  const gateway = sharedGatewayUrl();
  let acme: TestTenant;
  let browser: Browser;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Ticket Page' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await closeGatewayDb();
  });

  it('shows the event (date and time in its zone, venue), the holder, and links to .ics and both wallets', async () => {
    const event = await acme.api.post('/events', {
      name: 'Opera Gala',
      startsAt: '2030-06-01T18:30:00Z',
      endsAt: '2030-06-01T21:00:00Z',
      venue: 'Staatsoper, Berlin',
      timezone: 'Europe/Berlin',
    });
    assert.equal(event.status, 201, event.text);
    assert.equal(event.body.timezone, 'Europe/Berlin');
    assert.equal(
      (await acme.api.post('/events', { name: 'Bad zone', startsAt: '2030-06-01T18:30:00Z', timezone: 'Mars/Olympus' })).status,
      400,
    );
    const pass = await acme.api.post('/passes', {
      type: 'single',
      name: 'Stalls, row 3',
      clientName: 'Clara Schumann',
      eventId: event.body.id,
    });
    assert.equal(pass.status, 201, pass.text);
    const url = pass.body.publicUrl.replace(/^https?:\/\/[^/]+/, gateway);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    assert.equal((await page.goto(url, { waitUntil: 'load' }))!.status(), 200);
    assert.equal(await page.getByTestId('event-name').textContent(), 'Opera Gala');
    const when = (await page.getByTestId('event-when').textContent())!;
    assert.match(when, /Saturday,? 1 June 2030/);
    assert.match(when, /20:30/, '18:30 UTC is 20:30 in Berlin in June');
    assert.match(when, /CEST|GMT\+2/);
    assert.equal(await page.getByTestId('event-venue').textContent(), 'Staatsoper, Berlin');
    assert.equal(await page.getByTestId('pass-holder').textContent(), 'Clara Schumann');
    const token = new URL(url).searchParams.get('token')!;
    const href = (testId: string) => page.getByTestId(testId).getAttribute('href');
    assert.equal(await href('wallet-apple'), `/p/${pass.body.code}/wallet/apple?token=${token}`);
    assert.equal(await href('wallet-google'), `/p/${pass.body.code}/wallet/google?token=${token}`);
    assert.equal(await href('add-to-calendar'), `/p/${pass.body.code}/event.ics?token=${token}`);
    await page.screenshot({ path: artifactPath('wallet-pass-page.png'), fullPage: true });

    const apple = await page.request.get(new URL((await href('wallet-apple'))!, gateway).toString());
    assert.equal(apple.status(), 200);
    assert.equal(apple.headers()['content-type'], 'application/vnd.apple.pkpass');
    const ics = await fetch(new URL((await href('add-to-calendar'))!, gateway));
    assert.equal(ics.status, 200);
    assert.match(ics.headers.get('content-type')!, /^text\/calendar/);
    const body = await ics.text();
    assert.ok(body.startsWith('BEGIN:VCALENDAR\r\n') && body.includes('\r\nBEGIN:VEVENT\r\n'));
    assert.ok(body.includes('\r\nDTSTART:20300601T183000Z\r\n') && body.includes('\r\nDTEND:20300601T210000Z\r\n'));
    assert.ok(body.includes('\r\nSUMMARY:Opera Gala\r\n') && body.includes('\r\nLOCATION:Staatsoper\\, Berlin\r\n'));
    assert.equal((await fetch(`${gateway}/p/${pass.body.code}/event.ics?token=${'z'.repeat(32)}`)).status, 404);
    await context.close();

    // A pass without an event has no calendar link.
    const plain = await acme.api.post('/passes', { type: 'single', name: 'Cloakroom' });
    const plainPage = await (await browser.newContext()).newPage();
    await plainPage.goto(plain.body.publicUrl.replace(/^https?:\/\/[^/]+/, gateway));
    assert.equal(await plainPage.getByTestId('add-to-calendar').count(), 0);
    assert.equal(await plainPage.getByTestId('wallet-apple').count(), 1);
  });
});
