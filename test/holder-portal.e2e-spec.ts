import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { artifactPath, launchChromium } from './support/browser';
import { closeGatewayDb, createTenant, eventually, sharedGatewayUrl, TestTenant } from './support/e2e-env';
import { FakeResendControl } from './support/fake-resend';
import { GatewayProcess, startGateway, uniqueClientIp } from './support/gateway-process';

/**
 * The holder portal in Chromium: an email address gets a one-time link by email (the fake Resend
 * inbox), the link lists that holder's passes at the organisation with their wallet buttons, and
 * the portal never tells whether an address is known.
 */
describe('holder portal', () => {
  const gateway = sharedGatewayUrl();
  const resend = FakeResendControl.fromEnv();
  let acme: TestTenant;
  let other: TestTenant;
  let browser: Browser;
  const holder = `ada.${Date.now()}@example.com`;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Portal' });
    other = await createTenant({ name: 'Globex Portal' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await closeGatewayDb();
  });

  const portal = (tenant: TestTenant) => `${gateway}/p/portal/${tenant.tenant.slug}`;

  async function pass(tenant: TestTenant, body: Record<string, unknown>) {
    const response = await tenant.api.post('/passes', { type: 'single', ...body });
    assert.equal(response.status, 201, response.text);
    return response.body as { id: string; code: string };
  }

  async function ask(tenant: TestTenant, email: string) {
    const response = await fetch(portal(tenant), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email }).toString(),
    });
    return { status: response.status, text: await response.text() };
  }

  /** The portal emails `to` received (the holder's pass emails aside). */
  const portalEmails = async (to: string) =>
    (await resend.to(to)).filter((email) => email.accepted && (email.text ?? '').includes('/p/portal/'));

  /** The portal link in the newest portal email to `to` (after `known` of them), as the gateway's own URL. */
  async function linkIn(to: string, known: number): Promise<string> {
    const emails = await eventually(async () => {
      const received = await portalEmails(to);
      return received.length > known ? received : undefined;
    }, 30_000);
    const email = emails[emails.length - 1];
    assert.match(email.subject, /Your passes/);
    const match = /https?:\/\/[^\s"<]+\/p\/portal\/[^\s"<]+\/passes\?token=[A-Za-z0-9_-]+/.exec(email.text ?? '');
    assert.ok(match, email.text ?? '');
    return match[0].replace(/^https?:\/\/[^/]+/, gateway);
  }

  it('emails a one-time link that lists the holder’s passes with wallet buttons', async () => {
    const event = await acme.api.post('/events', { name: 'Harbour Lights', startsAt: '2030-06-01T18:30:00Z', venue: 'Pier 4' });
    assert.equal(event.status, 201, event.text);
    const ticket = await pass(acme, { name: 'Harbour Lights entry', clientName: 'Ada', clientEmail: holder, eventId: event.body.id });
    const membership = await pass(acme, { name: 'Gym membership', clientName: 'Ada', clientEmail: holder.toUpperCase() });
    await pass(acme, { name: 'Someone else', clientName: 'Bob', clientEmail: `bob.${Date.now()}@example.com` });
    await pass(other, { name: 'Globex pass', clientName: 'Ada', clientEmail: holder });

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) errors.push(message.text());
    });
    try {
      await page.goto(portal(acme));
      assert.match(await page.locator('h1').innerText(), /Acme Portal/);
      await page.fill('#email', holder);
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      await page.getByTestId('portal-sent').waitFor();

      const link = await linkIn(holder, 0);
      await page.goto(link);
      const cards = page.getByTestId('portal-pass');
      assert.equal(await cards.count(), 2, 'the holder’s two passes at this organisation, not Bob’s, not Globex’s');
      const codes = await Promise.all((await cards.all()).map((card) => card.getAttribute('data-code')));
      assert.deepEqual(new Set(codes), new Set([ticket.code, membership.code]));
      const ticketCard = page.locator(`[data-code="${ticket.code}"]`);
      assert.match(await ticketCard.getByTestId('portal-event').innerText(), /Harbour Lights.*Pier 4/);
      const apple = await ticketCard.getByTestId('wallet-apple').getAttribute('href');
      const google = await ticketCard.getByTestId('wallet-google').getAttribute('href');
      assert.match(apple!, new RegExp(`/p/${ticket.code}/wallet/apple\\?token=k1\\.`));
      assert.match(google!, new RegExp(`/p/${ticket.code}/wallet/google\\?token=k1\\.`));
      await page.screenshot({ path: artifactPath('holder-portal.png'), fullPage: true });

      // The wallet buttons work: the Apple one is the signed .pkpass.
      const pkpass = await fetch(apple!.replace(/^https?:\/\/[^/]+/, gateway));
      assert.equal(pkpass.status, 200);
      assert.equal(pkpass.headers.get('content-type'), 'application/vnd.apple.pkpass');

      assert.deepEqual(errors, [], 'no script errors and no CSP violations');

      // The link works once.
      const again = await page.goto(link);
      assert.equal(again!.status(), 403);
      await page.getByTestId('portal-refused').waitFor();
    } finally {
      await context.close();
    }
  });

  it('answers the same for an unknown address, sends it nothing, and refuses a forged link with 403', async () => {
    const unknown = `nobody.${Date.now()}@example.com`;
    const holderEmailsBefore = (await portalEmails(holder)).length;
    const known = await ask(acme, holder);
    const stranger = await ask(acme, unknown);
    assert.equal(known.status, 200);
    assert.equal(stranger.status, 200);
    assert.equal(stranger.text, known.text, 'the answer never tells whether an address is known');
    // Another address with a pass, asked after the unknown one: once its email is in, the unknown one's would be too.
    const later = `later.${Date.now()}@example.com`;
    await pass(acme, { name: 'Later', clientName: 'Later', clientEmail: later });
    assert.equal((await ask(acme, later)).status, 200);
    await linkIn(later, 0);
    assert.equal((await resend.to(unknown)).length, 0, 'an unknown address gets no email');

    const forged = await fetch(`${portal(acme)}/passes?token=${'A'.repeat(43)}`);
    assert.equal(forged.status, 403);
    assert.equal((await fetch(`${portal(acme)}/passes`)).status, 403);
    // A real link opened under another organisation's portal is refused too (and spent).
    const link = await linkIn(holder, holderEmailsBefore);
    assert.equal((await fetch(link.replace(`/p/portal/${acme.tenant.slug}/`, `/p/portal/${other.tenant.slug}/`))).status, 403);
    assert.equal((await fetch(`${gateway}/p/portal/no-such-organisation`)).status, 404);
  });

  it('limits the links one address can ask for', async () => {
    const busy = `busy.${Date.now()}@example.com`;
    await pass(acme, { name: 'Busy', clientName: 'Busy', clientEmail: busy });
    const answers = [];
    for (let i = 0; i < 7; i += 1) answers.push((await ask(acme, busy)).status);
    assert.deepEqual(answers, [200, 200, 200, 200, 200, 200, 200], 'the answer stays the same over the limit');
    // Each ask was counted before its answer; the lookup and email follow the answer. A marker address
    // asked after all seven: once its email is in, the busy address's sends have had the same time.
    const marker = `marker.${Date.now()}@example.com`;
    await pass(acme, { name: 'Marker', clientName: 'Marker', clientEmail: marker });
    assert.equal((await ask(acme, marker)).status, 200);
    await linkIn(marker, 0);
    const sent = await eventually(async () => {
      const received = await portalEmails(busy);
      return received.length >= 5 ? received : undefined;
    }, 30_000);
    assert.equal(sent.length, 5, 'PORTAL_PER_EMAIL_PER_HOUR (5) links an hour');
  });

  it('answers malformed requests with 4xx JSON, never a 500', async () => {
    const post = (body: string, contentType: string) =>
      fetch(portal(acme), { method: 'POST', headers: { 'content-type': contentType }, body });
    const badJson = await post('{"email":', 'application/json');
    assert.equal(badJson.status, 400);
    assert.equal(typeof ((await badJson.json()) as { error: unknown }).error, 'string');
    const tooLarge = await post(`email=${'a'.repeat(20_000)}`, 'application/x-www-form-urlencoded');
    assert.equal(tooLarge.status, 413);
    assert.equal(typeof ((await tooLarge.json()) as { error: unknown }).error, 'string');
    // No email, an array, a non-address: the same answer as for any address (nothing to send).
    for (const body of ['', 'email[]=a&email[]=b', 'email=not-an-address']) {
      const answer = await post(body, 'application/x-www-form-urlencoded');
      assert.equal(answer.status, 200, body);
      assert.match(await answer.text(), /data-testid="portal-sent"/);
    }
    assert.equal((await fetch(`${portal(acme)}/passes?token=${encodeURIComponent('<script>')}`)).status, 403);
  });

  describe('per-IP limit (a gateway with PORTAL_PER_IP_PER_MINUTE=3)', () => {
    let limited: GatewayProcess;
    beforeAll(async () => {
      limited = await startGateway('holder-portal-per-ip', { PORTAL_PER_IP_PER_MINUTE: '3', TRUST_PROXY_HOPS: '1' });
    });
    afterAll(() => limited?.stop());

    it('answers 429 JSON past the limit, for that address only', async () => {
      const ip = uniqueClientIp();
      const from = (address: string) =>
        fetch(`${limited.url}/p/portal/${acme.tenant.slug}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
          body: new URLSearchParams({ email: `nobody.${Date.now()}@example.com` }).toString(),
        });
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await from(ip)).status);
      const refused = await from(ip);
      assert.deepEqual([...statuses, refused.status], [200, 200, 200, 429]);
      assert.equal(((await refused.json()) as { code: string }).code, 'rate_limited');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal((await from(uniqueClientIp())).status, 200, 'another address has its own budget');
    });
  });
});
