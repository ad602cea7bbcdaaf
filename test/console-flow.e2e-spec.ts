import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient } from './support/api-client';
import { assertAccessible } from './support/axe';
import { artifactPath, launchChromium } from './support/browser';
import { linkFromInbox, relaxRateLimit, TEST_PASSWORD, uniqueEmail } from './support/console-session';
import { closeGatewayDb, gatewayDb, sharedGatewayUrl } from './support/e2e-env';

/**
 * The console in Chromium against the real stack, in one flow: sign up and verify from the inbox,
 * create an event, import 200 attendees (one bad row) twice, watch the live dashboard count a scan
 * made through the API (and uncount it when it is undone), invite an event manager who sees only their event, revoke a key.
 */
describe('console flow in Chromium', () => {
  const base = sharedGatewayUrl();
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const ownerEmail = uniqueEmail('console-owner');
  const errors: string[] = [];
  let eventUrl = '';
  let apiKey = '';
  const codes: string[] = [];
  let origin = base;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    // Destructive actions confirm in the page (shared/ui/ConfirmDialog), never with window.confirm.
    page.on('dialog', (dialog) => {
      errors.push(`unexpected browser dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await closeGatewayDb();
  });

  const shot = (name: string, target: Page = page) =>
    target.screenshot({ path: artifactPath(`console-${name}.png`), fullPage: true, animations: 'disabled' });

  it('signs up, verifies the address from the Resend inbox, and lands on the overview', async () => {
    await page.goto(`${base}/app/signup`);
    await page.getByLabel('Your name').fill('Olivia Owner');
    await page.getByLabel('Email').fill(ownerEmail);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Use at least 10 characters.').waitFor();
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByLabel('Organisation name (optional)').fill('Harbour Live');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await shot('01-signed-up');

    const { url } = await linkFromInbox(ownerEmail, '/verify-email');
    await page.goto(url);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByText('Harbour Live').first().waitFor();
    // The emailed link names PUBLIC_BASE_URL's host, where the session cookie now lives.
    origin = new URL(page.url()).origin;
    const db = await gatewayDb();
    const [org] = await db.query(
      `SELECT t.id FROM gateway.tenants t JOIN gateway.memberships m ON m.tenant_id = t.id JOIN gateway.users u ON u.id = m.user_id WHERE u.email = $1`,
      [ownerEmail],
    );
    await relaxRateLimit(org.id); // 200 imports in seconds; the plan's 30/min is tested elsewhere
    await shot('02-overview');
    await assertAccessible(page, 'overview');
  });

  it('creates an event and imports 200 attendees with one bad row; a second upload creates nothing', async () => {
    await page.getByRole('link', { name: 'Events' }).click();
    await page.getByRole('button', { name: 'New event' }).click();
    await page.getByLabel('Name').fill('Harbour Night 2027');
    assert.equal(await page.getByLabel('Slug').inputValue(), 'harbour-night-2027');
    await page.getByLabel('Starts').fill('2027-03-01T19:00');
    await page.getByLabel('Venue').fill('Pier 4');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.getByRole('heading', { name: 'Harbour Night 2027' }).waitFor();
    eventUrl = page.url();

    const lines = ['Full Name;Email;Phone'];
    for (let i = 1; i <= 200; i += 1)
      lines.push(i === 57 ? `Bad Row;not-an-email;555` : `Guest ${String(i).padStart(3, '0')};guest${i}@example.com;555-${i}`);
    const csv = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
    await page.getByRole('tab', { name: 'Import CSV' }).click();
    const upload = async () => {
      await page.getByLabel('CSV file').setInputFiles({ name: 'attendees.csv', mimeType: 'application/vnd.ms-excel', buffer: csv });
      await page.getByText('200 rows in attendees.csv.').waitFor();
      assert.equal(await page.getByLabel('Name *').inputValue(), '0', 'the Full Name column is suggested for Name');
      await page.getByRole('button', { name: 'Import 200 rows' }).click();
      await page.getByRole('heading', { name: 'Import report' }).waitFor({ timeout: 120_000 });
    };
    await upload();
    const report = page.getByRole('status').filter({ hasText: 'Import report' });
    assert.match(await report.innerText(), /199\s+created/);
    assert.match(await report.innerText(), /1\s+failed/);
    await page.getByText('"not-an-email" is not an email address').waitFor();
    await shot('03-import-report');
    await assertAccessible(page, 'import report');

    await page.getByRole('button', { name: 'View attendees' }).click();
    await page.getByText('1–25 of 199').waitFor();
    await page.getByRole('tab', { name: 'Import CSV' }).click();
    await upload();
    assert.match(
      await page.getByRole('status').filter({ hasText: 'Import report' }).innerText(),
      /0\s+created[\s\S]*199\s+already imported/,
    );
    await page.getByRole('button', { name: 'View attendees' }).click();
    await page.getByText('1–25 of 199').waitFor();
    await page.getByLabel('Search name, email or code').fill('Guest 042');
    await page.getByText('1–1 of 1').waitFor();
    codes.push(await page.locator('td.mono').first().innerText());
    await page.getByLabel('Search name, email or code').fill('');
    await page.getByText('1–25 of 199').waitFor();
    await shot('04-attendees');
    await assertAccessible(page, 'attendees');
  });

  it('creates an API key shown once, scans through the API, and the live dashboard counts it, then uncounts it when undone, without a reload', async () => {
    await page.getByRole('link', { name: 'Developers' }).click();
    await page.getByLabel('Name').fill('door scanner');
    await page.getByLabel('Role').selectOption('scanner');
    await page.getByRole('button', { name: 'Create key' }).click();
    apiKey = await page.getByTestId('new-api-key').innerText();
    assert.match(apiKey, /^pwk_/);
    await shot('05-api-key-shown-once');
    await page.getByLabel('I stored it safely').check();
    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByText(apiKey).count(), 0, 'the secret is gone from the page');

    await page.goto(`${eventUrl}/live`);
    await page.getByRole('heading', { name: 'Live check-in' }).waitFor();
    await page.locator('.connection.live').waitFor();
    assert.equal(await page.getByTestId('checked-in').innerText(), '0 / 199');
    const scan = await new ApiClient(base, apiKey).post('/scan', { code: codes[0] });
    assert.equal(scan.body.success, true, scan.text);
    await page.getByTestId('checked-in').filter({ hasText: '1 / 199' }).waitFor({ timeout: 10_000 });
    await page.getByRole('cell', { name: 'Accepted' }).first().waitFor();
    await shot('06-live-dashboard');
    await assertAccessible(page, 'live dashboard');
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await context.storageState() });
    const phonePage = await phone.newPage();
    await phonePage.goto(`${eventUrl}/live`);
    await phonePage.getByTestId('checked-in').filter({ hasText: '1 / 199' }).waitFor();
    await shot('07-live-dashboard-phone', phonePage);
    await phone.close();

    // Door staff take the admission back: the dashboard uncounts it and marks its row, without a reload.
    const undone = await new ApiClient(base, apiKey).post(`/scans/${scan.body.scan.id}/undo`, { reason: 'Scanned the wrong ticket' });
    assert.equal(undone.status, 200, undone.text);
    await page.getByTestId('checked-in').filter({ hasText: '0 / 199' }).waitFor({ timeout: 10_000 });
    await page.getByRole('row').filter({ hasText: codes[0] }).getByText('Undone').waitFor();
    // Nor does the chart or the rate count it any more.
    assert.doesNotMatch((await page.locator('.bars').getAttribute('aria-label')) ?? '', /: [1-9]/, 'the chart counts no check-in');
    await shot('07b-live-dashboard-undone');
  });

  it('invites an event manager who sees only their event', async () => {
    await page.goto(`${origin}/app/events`);
    await page.getByRole('button', { name: 'New event' }).click();
    await page.getByLabel('Name').fill('Other Night');
    await page.getByLabel('Starts').fill('2027-04-01T19:00');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.getByRole('heading', { name: 'Other Night' }).waitFor();

    await page.getByRole('link', { name: 'Team' }).click();
    const managerEmail = uniqueEmail('console-manager');
    await page.getByLabel('Email').fill(managerEmail);
    await page.getByLabel('Role', { exact: true }).selectOption('event_manager');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('choose at least one event').waitFor();
    await page.getByLabel('Harbour Night 2027').check();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText(`Invitation sent to ${managerEmail}`).waitFor();
    await shot('08-team');
    await assertAccessible(page, 'team');

    const { url } = await linkFromInbox(managerEmail, '/invite');
    const managerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const manager = await managerContext.newPage();
    await manager.goto(url);
    await manager.getByRole('heading', { name: 'Join Harbour Live' }).waitFor();
    await manager.getByLabel('Your name').fill('Manny Manager');
    await manager.getByLabel('Choose a password').fill(TEST_PASSWORD);
    await manager.getByRole('button', { name: 'Accept invitation' }).click();
    await manager.getByRole('heading', { name: 'Overview' }).waitFor();
    await manager.getByRole('link', { name: 'Events' }).click();
    await manager.getByRole('link', { name: 'Harbour Night 2027' }).waitFor();
    assert.equal(await manager.getByRole('link', { name: 'Other Night' }).count(), 0);
    assert.equal(await manager.getByRole('link', { name: 'Team' }).count(), 0, 'no team screen for an event manager');
    await shot('09-event-manager-events', manager);
    await managerContext.close();
  });

  it('revokes the key in Developers, after which the API refuses it; the audit log shows it all', async () => {
    await page.getByRole('link', { name: 'Developers' }).click();
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page
      .getByRole('alertdialog', { name: /Revoke the key/ })
      .getByRole('button', { name: 'Revoke', exact: true })
      .click();
    await page.getByText('Revoked').waitFor();
    const refused = await new ApiClient(base, apiKey).post('/scan', { code: codes[0] });
    assert.equal(refused.status, 401);

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByRole('cell', { name: 'invitations.create' }).first().waitFor();
    await shot('10-audit-log');
    await assertAccessible(page, 'audit log');
    await page.getByLabel('Resource').selectOption('api-keys');
    await page.getByRole('cell', { name: 'api-keys.delete' }).waitFor();
    await page.getByRole('link', { name: 'Passes' }).click();
    await page.getByText('1–25 of 199').waitFor();
    await shot('11-passes');
    assert.deepEqual(errors, []);
  });
});
