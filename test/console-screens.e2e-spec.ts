import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ApiClient } from './support/api-client';
import { assertAccessible } from './support/axe';
import { artifactPath, launchChromium } from './support/browser';
import { relaxRateLimit, SessionClient, signUpOwner } from './support/console-session';
import { closeGatewayDb, eventually, gatewayDb, sharedGatewayUrl } from './support/e2e-env';
import { FakeResendControl } from './support/fake-resend';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * The organiser's screens past the first flow, in Chromium against the real stack: event settings
 * (details, attendee fields, branding, suspend), pairing and revoking a door device, a webhook and
 * its delivery log with a retry, creating a pass, the live dashboard naming the holder, settings and
 * the operator's organisations. Every screen is checked with axe (WCAG 2.2 A/AA) and screenshotted.
 */
describe('console screens in Chromium', () => {
  const base = sharedGatewayUrl();
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let owner: SessionClient;
  let ownerEmail: string;
  let organizationId: string;
  let event: { id: string; name: string };
  const receiver = new WebhookReceiver();
  const errors: string[] = [];

  beforeAll(async () => {
    await receiver.start();
    const signedUp = await signUpOwner('screens', 'Screens Org');
    owner = signedUp.client;
    ownerEmail = signedUp.email;
    organizationId = signedUp.session.organization.id;
    await relaxRateLimit(organizationId);
    event = (await owner.post('/events', { name: 'Quay Concert', startsAt: '2031-06-01T18:00:00.000Z' })).body;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([...owner.cookies].map(([name, value]) => ({ name, value, url: base })));
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
    await receiver.stop();
    await closeGatewayDb();
  });

  const shot = (name: string, target: Page = page) =>
    target.screenshot({ path: artifactPath(`console-screens-${name}.png`), fullPage: true, animations: 'disabled' });

  const accessible = (target: Page = page) => assertAccessible(target);

  /** Answers the in-page confirmation of a destructive action with its confirming button. */
  const confirmWith = async (label: string, target: Page = page) => {
    const dialog = target.getByRole('alertdialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: label, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  };

  it('edits an event: details, attendee fields (the API error on its row, reordered by buttons), branding with a contrast warning, suspend and resume', async () => {
    await page.goto(`${base}/app/events/${event.id}`);
    await page.getByRole('heading', { name: 'Quay Concert' }).waitFor();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Venue').fill('North Quay');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).first().waitFor();
    assert.equal((await owner.get(`/events/${event.id}`)).body.venue, 'North Quay');

    // `name` is always field 1 (required, fixed); field 3's bad key is refused on its row and nothing is saved.
    assert.equal(await page.getByLabel('Key of field 1').inputValue(), 'name');
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Key of field 2').fill('email');
    await page.getByLabel('Field 2 is required').check();
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Key of field 3').fill('Company Name');
    await page.getByRole('button', { name: 'Save fields' }).click();
    await page.getByText('key must be lower-case letters').waitFor();
    assert.equal(await page.getByLabel('Key of field 3').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Key of field 2').getAttribute('aria-invalid'), null);
    const keys = async () =>
      (await owner.get(`/events/${event.id}`)).body.attendeeFields.map((field: any) => [field.key, field.label, field.required]);
    assert.deepEqual(await keys(), [['name', 'Name', true]], 'a refused save changes nothing');
    await page.getByLabel('Key of field 3').fill('company');
    await page.getByLabel('Label of field 3').fill('Company');
    await page.getByRole('button', { name: 'Move field 3 up' }).click();
    assert.equal(await page.getByLabel('Key of field 2').inputValue(), 'company');
    await page.getByRole('button', { name: 'Save fields' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).nth(1).waitFor();
    assert.deepEqual(await keys(), [
      ['name', 'Name', true],
      ['company', 'Company', false],
      ['email', 'Email', true],
    ]);

    await page.getByLabel('Text colour').fill('#bbbbbb');
    await page.getByText(/contrast of 1\.\d:1/).waitFor();
    await page.getByLabel('Accent colour').fill('blue');
    await page.getByRole('button', { name: 'Save branding' }).click();
    await page.getByText('primaryColor must be a hex colour like #1a2b3c').waitFor();
    await page.getByLabel('Accent colour').fill('#0b5cad');
    await page.getByLabel('Text colour').fill('#1f2937');
    assert.equal(await page.getByText(/contrast of/).count(), 0);
    await page.getByRole('button', { name: 'Save branding' }).click();
    await eventually(async () => ((await owner.get(`/events/${event.id}`)).body.branding.primaryColor === '#0b5cad' ? true : undefined));
    await shot('01-event-settings');
    await accessible();

    // The confirmation is an accessible modal in the page: focus starts on Cancel and stays inside,
    // Escape cancels (nothing is suspended) and gives focus back to the button that opened it.
    await page.getByRole('button', { name: 'Suspend event' }).click();
    const dialog = page.getByRole('alertdialog', { name: /Suspend "Quay Concert"\?/ });
    await dialog.waitFor();
    await accessible();
    assert.equal(await page.locator(':focus').textContent(), 'Cancel');
    await page.keyboard.press('Tab');
    assert.equal(await page.locator(':focus').textContent(), 'Suspend event');
    await page.keyboard.press('Tab');
    assert.equal(await page.locator(':focus').textContent(), 'Cancel', 'Tab stays inside the dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.locator(':focus').textContent(), 'Suspend event', 'focus is back on the opener');
    assert.equal((await owner.get(`/events/${event.id}`)).body.status, 'active', 'Escape suspended nothing');
    await page.getByRole('button', { name: 'Suspend event' }).click();
    await confirmWith('Suspend event');
    await page.getByRole('button', { name: 'Resume event' }).waitFor();
    assert.equal((await owner.get(`/events/${event.id}`)).body.status, 'suspended');
    await page.getByText('suspended', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Resume event' }).click();
    await page.getByRole('button', { name: 'Suspend event' }).waitFor();
    assert.equal((await owner.get(`/events/${event.id}`)).body.status, 'active');
  });

  it('pairs a door device from the console (link and QR), sees it paired with its app version, and revokes it', async () => {
    await page.getByRole('link', { name: 'Door devices' }).click();
    await page.getByRole('heading', { name: 'Door devices', level: 1 }).waitFor();
    await page.getByText('No devices yet.').waitFor();
    await accessible();
    await page.getByRole('button', { name: 'Create pairing link' }).click();
    await page.getByText('Name the device.').waitFor();
    await page.getByLabel('Device name').fill('Quay door 1');
    await page.getByRole('button', { name: 'Create pairing link' }).click();
    await page.getByText('Choose at least one event.').waitFor();
    await page.getByLabel('Quay Concert').check();
    await page.getByRole('button', { name: 'Create pairing link' }).click();
    const link = await page.getByTestId('pairing-link').getAttribute('href');
    assert.match(link ?? '', /\/app\/door\/#pair=pwp_/);
    await page.getByRole('img', { name: 'QR code of the pairing link' }).waitFor();
    await shot('02-device-pairing');
    await accessible();

    const phone = await browser.newContext({ viewport: { width: 420, height: 860 } });
    const door = await phone.newPage();
    const url = new URL(link!);
    await door.goto(base + url.pathname + url.hash, { timeout: 120_000 });
    await door.getByTestId('prepare-status').filter({ hasText: 'ready for offline checks' }).waitFor({ timeout: 120_000 });

    await page.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    const row = page.getByRole('row').filter({ hasText: 'Quay door 1' });
    await row.getByText('Paired').waitFor();
    assert.notEqual((await row.innerText()).match(/\d+\.\d+\.\d+/), null, 'the app version is shown');
    await row.getByRole('button', { name: 'Revoke Quay door 1' }).click();
    await confirmWith('Revoke Quay door 1');
    await row.getByText('Revoked').waitFor();
    await shot('03-devices');
    const [{ state }] = (await owner.get('/devices')).body;
    assert.equal(state, 'revoked');
    await phone.close();
  });

  it('subscribes a webhook (secret shown once), creates a pass that triggers it, and retries a failed delivery from its log', async () => {
    receiver.respondWith(() => 500);
    await page.getByRole('link', { name: 'Developers' }).click();
    await page.getByText('No webhooks yet.').waitFor();
    await page.getByLabel('Event', { exact: true }).selectOption('pass.created');
    await page.getByLabel('Target URL').fill('not a url');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByText('targetUrl must be an absolute http(s) URL').waitFor();
    await page.getByLabel('Target URL').fill(receiver.url('/passway'));
    await page.getByRole('button', { name: 'Subscribe' }).click();
    const secret = await page.getByTestId('new-webhook-secret').innerText();
    assert.match(secret, /^whsec_/);
    await page.getByLabel('I stored it safely').check();
    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is gone from the page');
    await accessible();

    await page.getByRole('link', { name: 'Passes' }).click();
    await page.getByText('No passes yet.').waitFor();
    await page.getByRole('button', { name: 'New pass' }).click();
    await page.getByLabel('Type', { exact: true }).selectOption('multi');
    await page.getByLabel('Maximum uses').fill('0');
    await page.getByLabel('Holder name').fill('Hana Holder');
    await page.getByRole('button', { name: 'Create pass' }).click();
    await page.getByText(/maxUsages must not be less than 1/).waitFor();
    assert.equal((await owner.get('/passes')).body.length, 0, 'a refused create leaves nothing');
    await page.getByLabel('Maximum uses').fill('3');
    await page.getByLabel('Holder email').fill('hana@example.com');
    await page.getByLabel('Event').selectOption({ label: 'Quay Concert' });
    await page.getByRole('button', { name: 'Create pass' }).click();
    await page.getByText('Hana Holder').first().waitFor();
    assert.match(page.url(), /\/app\/passes\/[0-9a-f-]{36}$/);
    await shot('04-pass-created');
    await accessible();
    const passId = page.url().split('/').pop()!;

    // The holder's email again: a second email to the same address, listed on the pass.
    const inbox = FakeResendControl.fromEnv();
    await eventually(
      async () => ((await inbox.to('hana@example.com')).filter((email) => email.accepted).length === 1 ? true : undefined),
      20_000,
    );
    await page.getByRole('button', { name: 'Resend pass email' }).click();
    await page.getByText('Sent again').waitFor();
    await eventually(
      async () => ((await inbox.to('hana@example.com')).filter((email) => email.accepted).length === 2 ? true : undefined),
      20_000,
    );
    await page.reload();
    await page.getByRole('listitem').filter({ hasText: 'sent' }).nth(1).waitFor();

    // Four attempts refused (200, 400, 800 ms apart): the delivery fails; Retry delivers it once the receiver is back.
    await eventually(() => Promise.resolve(receiver.forPath('/passway').length >= 4 ? true : undefined), 20_000);
    await page.getByRole('link', { name: 'Developers' }).click();
    await page.getByRole('link', { name: 'Deliveries of pass.created' }).click();
    await page.getByRole('heading', { name: 'Webhook deliveries' }).waitFor();
    const delivery = page.getByRole('row').filter({ hasText: 'pass.created' });
    await delivery.getByText('Failed').waitFor({ timeout: 20_000 });
    // The response status is its own element, once per row (the error "HTTP 500" used to repeat it).
    const statusCode = delivery.getByTestId('delivery-status-code');
    await statusCode.filter({ hasText: /^HTTP 500$/ }).waitFor();
    assert.equal(await statusCode.count(), 1);
    const timesIn = async (locator: Locator, text: RegExp) => (await locator.innerText()).match(text)?.length ?? 0;
    assert.equal(await timesIn(statusCode.locator('xpath=..'), /HTTP 500/g), 1, 'the response cell says HTTP 500 once');
    await delivery.getByText(/^\d attempt\(s\)$/).click();
    const attempts = await delivery.getByRole('listitem').all();
    assert.ok(attempts.length >= 4, `${attempts.length} attempts listed`);
    for (const attempt of attempts) assert.equal(await timesIn(attempt, /HTTP 500/g), 1, 'each attempt says HTTP 500 once');
    assert.match(await delivery.getByTestId('delivery-request').innerText(), new RegExp(`"type":"pass.created".*"${passId}"`));
    await delivery.getByTestId('attempt-response').first().filter({ hasText: 'nope' }).waitFor();
    await shot('05-webhook-deliveries-failed');
    await accessible();
    receiver.respondWith(() => 200);
    await delivery.getByRole('button', { name: 'Retry pass.created' }).click();
    await delivery.getByText('Delivered').waitFor({ timeout: 20_000 });
    await statusCode.filter({ hasText: /^HTTP 200$/ }).waitFor();
    assert.equal(await timesIn(statusCode.locator('xpath=..'), /HTTP 200/g), 1);
    const delivered = receiver.forPath('/passway').at(-1)!;
    assert.equal(delivered.json.data.id, passId);
    await shot('06-webhook-delivered');
  });

  it('the live dashboard names the holder of each scan', async () => {
    const key = await owner.post('/api-keys', { name: 'screens scanner', role: 'scanner' });
    assert.equal(key.status, 201, key.text);
    const pass = (
      await owner.post('/passes', { type: 'single', clientName: 'Lina Live', clientEmail: 'lina@example.com', eventId: event.id })
    ).body;
    assert.equal((await new ApiClient(base, key.body.apiKey).post('/scan', { code: pass.code })).body.result, 'success');
    await page.goto(`${base}/app/events/${event.id}/live`);
    await page.locator('.connection.live').waitFor();
    await page.getByRole('cell', { name: new RegExp(`^Lina Live ${pass.code}$`) }).waitFor();
    const second = (
      await owner.post('/passes', { type: 'single', clientName: 'Sami Stream', clientEmail: 'sami@example.com', eventId: event.id })
    ).body;
    assert.equal((await new ApiClient(base, key.body.apiKey).post('/scan', { code: second.code })).body.result, 'success');
    await page.getByRole('cell', { name: new RegExp(`^Sami Stream ${second.code}$`) }).waitFor({ timeout: 10_000 });
    await shot('07-live-holder-names');
    await accessible();
  });

  it('shows the organisation settings, renames the organisation, and an operator tops up and suspends an organisation', async () => {
    await page.goto(`${base}/app/settings`);
    await page.getByTestId('organization-settings').getByText('Screens Org').waitFor();
    await page.getByText(ownerEmail).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Operator' }).count(), 0, 'no operator screen for an owner');
    await accessible();

    // The owner renames the organisation: the API's error next to the field, then the new name everywhere.
    const orgName = page.getByLabel('Organisation name');
    await orgName.fill('   ');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('name must not be empty').waitFor();
    assert.equal(await orgName.getAttribute('aria-invalid'), 'true');
    assert.equal((await owner.get('/organization')).body.name, 'Screens Org', 'a refused rename changes nothing');
    await orgName.fill('Screens Org Ltd');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByTestId('organization-settings').getByText('Screens Org Ltd').waitFor();
    await page.locator('.org-name').filter({ hasText: 'Screens Org Ltd' }).waitFor();
    assert.equal((await owner.get('/organization')).body.name, 'Screens Org Ltd');
    const renamed = ((await owner.get('/audit-log?resource=organization')).body as any[]).find((e) => e.action === 'organization.update');
    assert.deepEqual([renamed?.details.previousName, renamed?.details.name], ['Screens Org', 'Screens Org Ltd']);
    await shot('07b-organization-renamed');
    await accessible();
    await page.getByLabel('Organisation name').fill('Screens Org');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByTestId('organization-settings').getByText('Screens Org', { exact: true }).waitFor();

    const operator = await signUpOwner('operator', 'Operator Home');
    await (await gatewayDb()).query('UPDATE gateway.users SET is_operator = true WHERE email = $1', [operator.email]);
    const operatorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await operatorContext.addCookies([...operator.client.cookies].map(([name, value]) => ({ name, value, url: base })));
    const operatorPage = await operatorContext.newPage();
    operatorPage.on('dialog', (dialog) => {
      errors.push(`unexpected browser dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await operatorPage.goto(`${base}/app/`);
    await operatorPage.getByRole('link', { name: 'Operator' }).click();
    await operatorPage.getByLabel('Search name or slug').fill('Screens Org');
    const row = operatorPage.getByRole('row').filter({ hasText: 'Screens Org' });
    await row.waitFor();
    await operatorPage.getByRole('row').filter({ hasText: 'Operator Home' }).waitFor({ state: 'detached' });
    assert.equal(await operatorPage.getByRole('row').count(), 2, 'the header and the one match');
    // A signed-up organisation starts unlimited (top-ups are refused then): give it a metered balance first.
    await (await gatewayDb()).query('UPDATE gateway.tenants SET token_balance = 1000 WHERE id = $1', [organizationId]);
    const before = (await operator.client.get(`/operator/organizations/${organizationId}`)).body.tokenBalance;
    await row.getByLabel('Tokens to add to Screens Org').fill('250');
    await row.getByRole('button', { name: 'Top up Screens Org' }).click();
    await eventually(async () =>
      (await operator.client.get(`/operator/organizations/${organizationId}`)).body.tokenBalance === before + 250 ? true : undefined,
    );
    await row.getByRole('button', { name: 'Suspend Screens Org' }).click();
    await confirmWith('Suspend Screens Org', operatorPage);
    await row.getByRole('button', { name: 'Resume Screens Org' }).waitFor();
    const refused = await owner.get('/organization');
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.code, 'organization_suspended');
    await shot('08-operator', operatorPage);
    await accessible(operatorPage);
    await row.getByRole('button', { name: 'Resume Screens Org' }).click();
    await row.getByRole('button', { name: 'Suspend Screens Org' }).waitFor();
    await operatorContext.close();
    const ledger = await owner.get('/organization/tokens');
    assert.equal(ledger.status, 200, ledger.text);
    assert.equal(ledger.body[0].delta, 250);
    assert.deepEqual(errors, []);
  });
});
