import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Browser } from 'playwright-core';
import { artifactPath, launchChromium } from './support/browser';
import { closeGatewayDb, createTenant, eventually, sharedGatewayUrl, TestTenant } from './support/e2e-env';

const STARTS = '2031-07-01T18:00:00Z';

describe('self-service check-in page /e/:orgSlug/:eventSlug/checkin', () => {
  let tenant: TestTenant;
  let browser: Browser;
  let event: any;
  let other: any;

  const pageUrl = (eventSlug = event.slug, orgSlug = tenant.tenant.slug) => `${sharedGatewayUrl()}/e/${orgSlug}/${eventSlug}/checkin`;
  const attendee = async (name: string, email: string, eventId = event.id) =>
    (await tenant.api.post('/passes', { type: 'single', clientName: name, clientEmail: email, eventId })).body;
  const submit = async (code: string, email = '', url = pageUrl()) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code, email }).toString(),
    });
    const html = await response.text();
    return {
      status: response.status,
      outcome: /data-outcome="([a-z_]+)"/.exec(html)?.[1],
      message: /role="status"[^>]*>([^<]*)</.exec(html)?.[1],
      html,
    };
  };

  beforeAll(async () => {
    tenant = await createTenant({ name: 'Self Check In' });
    event = (
      await tenant.api.post('/events', {
        name: 'Summer <b>Gala</b>',
        startsAt: STARTS,
        venue: 'Pier 4',
        branding: { primaryColor: '#8a1538', backgroundColor: '#fffaf0' },
      })
    ).body;
    other = (await tenant.api.post('/events', { name: 'Other Night', startsAt: STARTS })).body;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await closeGatewayDb();
  });

  it('checks an attendee in from a real browser, records the scan as self_service, and refuses a second time', async () => {
    const pass = await attendee('Grace Hopper', 'grace@example.com');
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const scripts: string[] = [];
    page.on('console', (message) => scripts.push(message.text()));
    await page.goto(pageUrl());
    assert.equal(await page.locator('h1').textContent(), 'Summer <b>Gala</b>', 'the name is shown as text, not markup');
    assert.match((await page.locator('.when').textContent()) ?? '', /Pier 4/);
    await page.fill('#code', pass.code.toLowerCase());
    await page.fill('#email', 'GRACE@example.com');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    assert.equal(await page.locator('[data-outcome]').getAttribute('data-outcome'), 'checked_in');
    await page.screenshot({ path: artifactPath('self-check-in.png'), fullPage: true });
    assert.deepEqual(scripts, [], 'the page runs no script');

    await page.fill('#code', pass.code);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    assert.equal(await page.locator('[data-outcome]').getAttribute('data-outcome'), 'already_checked_in');

    const detail = await eventually(async () => {
      const response = await tenant.api.get(`/passes/${pass.id}`);
      return response.body.usagesCount === 1 ? response.body : undefined;
    });
    assert.equal(detail.status, 'used');
    const history = await tenant.api.get(`/passes/${pass.id}/scans`);
    const successes = history.body.filter((scan: any) => scan.success);
    assert.equal(successes.length, 1);
    assert.equal(successes[0].method, 'self_service');
    assert.equal(successes[0].apiKeyId, null, 'no key: the attendee checked in');
  });

  it("answers an unknown code, a wrong email and another event's code exactly alike", async () => {
    const pass = await attendee('Alan Turing', 'alan@example.com');
    const elsewhere = await attendee('Ada Lovelace', 'ada@example.com', other.id);
    const answers = [
      await submit('ZZZZZZZZZZZZZZZZ'),
      await submit(pass.code, 'someone@example.com'),
      await submit(elsewhere.code),
      await submit('not a code at all'),
    ];
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.equal(answer.outcome, 'not_matched');
      assert.equal(answer.message, answers[0].message);
    }
    assert.equal((await tenant.api.get(`/passes/${pass.id}`)).body.usagesCount, 0, 'nothing was scanned');
    assert.equal((await submit(pass.code, 'alan@example.com')).outcome, 'checked_in', 'the right details still work');
  });

  it('says check-in is closed while the event is suspended', async () => {
    const pass = await attendee('Katherine Johnson', 'kj@example.com');
    assert.equal((await tenant.api.post(`/events/${event.id}/suspend`)).status, 200);
    try {
      assert.equal((await submit(pass.code)).outcome, 'closed');
    } finally {
      await tenant.api.post(`/events/${event.id}/resume`);
    }
    // The scans service learns of the resumption from event.updated on Kafka: promptly, not instantly.
    await eventually(async () => ((await submit(pass.code)).outcome === 'checked_in' ? true : undefined));
  });

  it("dresses an attendee's public pass page in the event's branding", async () => {
    const pass = await attendee('Hedy Lamarr', 'hedy@example.com');
    const url = new URL(pass.publicUrl);
    const page = await fetch(`${sharedGatewayUrl()}${url.pathname}${url.search}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /#8a1538/, 'the event primary colour');
  });

  it('answers 404 for an unknown organization or event, and sends a script-free CSP', async () => {
    assert.equal((await fetch(pageUrl('no-such-event'))).status, 404);
    assert.equal((await fetch(pageUrl(event.slug, 'no-such-org'))).status, 404);
    const response = await fetch(pageUrl());
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'none'/);
    assert.match(csp, /form-action 'self'/);
  });
});
