import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { artifactPath, launchChromium } from './support/browser';
import { anonymousApi, closeGatewayDb, createTenant, sharedGatewayUrl, TestTenant } from './support/e2e-env';
import { decodeQrPng } from './support/qr-decode';

/** The holder's public pass page, in a real headless Chromium. */
describe('public pass page in Chromium', () => {
  let acme: TestTenant;
  let browser: Browser;
  let context: BrowserContext;
  let templateId: string;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Page' });
    const template = await acme.api.post('/templates', {
      name: 'Stadium',
      primaryColor: '#0b57d0',
      backgroundColor: '#fdfdf6',
      textColor: '#111111',
    });
    assert.equal(template.status, 201, template.text);
    templateId = template.body.id;
    browser = await launchChromium();
    // A phone held up at a door.
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await closeGatewayDb();
  });

  async function createPass(body: Record<string, unknown>) {
    const response = await acme.api.post('/passes', { type: 'single', templateId, ...body });
    assert.equal(response.status, 201, response.text);
    return response.body as { id: string; code: string; publicUrl: string };
  }

  async function open(url: string): Promise<{ page: Page; status: number; csp: string | undefined; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('dialog', (dialog) => {
      errors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const response = await page.goto(url, { waitUntil: 'load' });
    return { page, status: response!.status(), csp: (await response!.allHeaders())['content-security-policy'], errors };
  }

  it('renders the pass with status, validity, public fields and a QR that decodes to the code; screenshot saved', async () => {
    const pass = await createPass({
      name: 'Cup Final',
      validFrom: '2026-01-01T10:00:00Z',
      validUntil: '2099-06-30T18:00:00Z',
      customFields: [
        { key: 'Gate', value: 'North 4', isPublic: true },
        { key: 'Seat', value: 'Block C, row 12', isPublic: true },
        { key: 'Payment ref', value: 'SECRET-PAYMENT-REF', isPublic: false },
      ],
    });
    const { page, status, csp, errors } = await open(pass.publicUrl);
    assert.equal(status, 200);
    assert.match(csp ?? '', /script-src 'none'/);
    assert.match(csp ?? '', /default-src 'none'/);
    assert.equal(await page.getByTestId('pass-name').textContent(), 'Cup Final');
    assert.equal(await page.getByTestId('pass-status').textContent(), 'Active');
    assert.equal(await page.getByTestId('pass-validity').textContent(), 'From 1 Jan 2026, 10:00 UTC until 30 Jun 2099, 18:00 UTC');
    assert.equal(await page.getByTestId('pass-code').textContent(), pass.code);
    const fields = await page.getByTestId('pass-fields').innerText();
    assert.match(fields, /Gate\s+North 4/);
    assert.match(fields, /Seat\s+Block C, row 12/);
    const bodyText = await page.locator('body').innerText();
    assert.ok(!bodyText.includes('SECRET-PAYMENT-REF') && !bodyText.includes('Payment ref'), 'private fields are not shown');
    assert.ok(!(await page.content()).includes('SECRET-PAYMENT-REF'), 'nor sent to the browser at all');

    // Branding from the template reaches the page (the card's top border and background).
    const card = page.locator('article.card');
    assert.equal(await card.evaluate((el) => (globalThis as any).getComputedStyle(el).borderTopColor), 'rgb(11, 87, 208)');
    assert.equal(await card.evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor), 'rgb(253, 253, 246)');

    const qr = page.getByTestId('pass-qr');
    assert.equal(await qr.locator('svg').count(), 1, 'the QR is inline SVG');
    const box = (await qr.boundingBox())!;
    assert.ok(box.width >= 250 && box.width <= 390, `the QR fills a phone screen (${box.width} px wide)`);
    assert.equal(decodeQrPng(await qr.screenshot()), pass.code, 'the QR on screen decodes to the pass code');

    await page.screenshot({ path: artifactPath('public-pass-page.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('serves the QR alone as image/svg+xml, decodable', async () => {
    const pass = await createPass({ name: 'QR only' });
    const url = new URL(pass.publicUrl);
    const qrUrl = `${url.origin}${url.pathname}/qr.svg${url.search}`;
    const response = await fetch(qrUrl);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.match(await response.text(), /^<svg /);
    const { page, status } = await open(qrUrl);
    assert.equal(status, 200);
    await page.setViewportSize({ width: 390, height: 390 });
    const svg = page.locator('svg');
    // The root tsconfig has no DOM library (only @types/react's empty element interfaces), so name what is called.
    await svg.evaluate((el: { setAttribute(name: string, value: string): void }) => {
      el.setAttribute('width', '360');
      el.setAttribute('height', '360');
    });
    assert.equal(decodeQrPng(await svg.screenshot()), pass.code);
    await page.close();
    assert.equal((await fetch(`${url.origin}${url.pathname}/qr.svg?token=${'A'.repeat(32)}`)).status, 404);
  });

  it('shows a <script> name as text and never runs it', async () => {
    const name = '<script>window.__pwned = 1; alert(1)</script><img src=x onerror="window.__pwned = 2">';
    const pass = await createPass({
      name,
      customFields: [{ key: '<b>k</b>', value: '<script>window.__pwned = 3</script>', isPublic: true }],
    });
    const { page, status, errors } = await open(pass.publicUrl);
    assert.equal(status, 200);
    assert.equal(await page.getByTestId('pass-name').textContent(), name, 'shown verbatim');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined, 'not executed');
    assert.equal(await page.locator('script').count(), 0);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.match(await page.getByTestId('pass-fields').innerText(), /<b>k<\/b>\s+<script>window.__pwned = 3<\/script>/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows revoked and expired clearly', async () => {
    const revoked = await createPass({ name: 'Revoked one' });
    assert.equal((await acme.api.post(`/passes/${revoked.id}/revoke`)).status, 200);
    const expired = await createPass({ name: 'Old one', validFrom: '2020-01-01T00:00:00Z', validUntil: '2020-01-02T00:00:00Z' });
    for (const [pass, label] of [
      [revoked, 'Revoked'],
      [expired, 'Expired'],
    ] as const) {
      const { page, status } = await open(pass.publicUrl);
      assert.equal(status, 200);
      assert.equal(await page.getByTestId('pass-status').textContent(), label);
      assert.equal(
        await page.getByTestId('status-notice').textContent(),
        `This pass is ${label.toLowerCase()} and no longer admits entry.`,
      );
      await page.screenshot({ path: artifactPath(`public-pass-page-${label.toLowerCase()}.png`), fullPage: true });
      await page.close();
    }
  });

  it('answers the same 404 for a forged token, a missing token and a code that does not exist', async () => {
    const pass = await createPass({ name: 'Guarded' });
    const url = new URL(pass.publicUrl);
    const base = sharedGatewayUrl();
    const forged = await open(`${url.origin}${url.pathname}?token=${'x'.repeat(32)}`);
    assert.equal(forged.status, 404);
    assert.equal(await forged.page.locator('h1').textContent(), 'Pass not found');
    assert.ok(!(await forged.page.content()).includes('Guarded'));
    await forged.page.close();

    const anonymous = anonymousApi(base);
    const answers = await Promise.all([
      anonymous.get(`/p/${pass.code}?token=${'x'.repeat(32)}`),
      anonymous.get(`/p/${pass.code}`),
      anonymous.get(`/p/${pass.code}?token=`),
      anonymous.get(`/p/${pass.code}?token=a&token=b`),
      anonymous.get(`/p/0000000000000000?token=${'x'.repeat(32)}`),
      anonymous.get(`/p/${'%3Cscript%3E'}?token=${'x'.repeat(32)}`),
    ]);
    for (const answer of answers) {
      assert.equal(answer.status, 404);
      assert.equal(answer.text, answers[0].text, 'one body for every miss');
    }
    const valid = await anonymous.get(`/p/${pass.code}${url.search}`);
    assert.equal(valid.status, 200);
    assert.equal(valid.headers.get('cache-control'), 'no-store');
    assert.equal(valid.headers.get('referrer-policy'), 'no-referrer');
  });
});
