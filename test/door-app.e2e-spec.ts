import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { assertAccessible } from './support/axe';
import { artifactPath, CHROMIUM_PATH } from './support/browser';
import { closeGatewayDb, createTenant, eventually, gatewayDb, sharedGatewayUrl, TestTenant } from './support/e2e-env';
import { writeQrVideo } from './support/fake-camera';
import { startGateway } from './support/gateway-process';
import { projectedAdmission } from './support/scans-projection';

const STARTS = '2031-09-01T18:00:00Z';
const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Pass {
  id: string;
  code: string;
}

/**
 * The door app in real Chromium against the real stack: the fake camera plays a video of a real
 * pass's QR code; a hardware scanner is keyboard input; offline is Playwright's network switch.
 */
describe('door app (Chromium)', () => {
  let acme: TestTenant;
  let event: { id: string };
  let gateway: string;
  let scannerBrowser: Browser;

  const newPass = async (holder: string): Promise<Pass> => {
    const response = await acme.api.post('/passes', { type: 'single', name: 'General admission', clientName: holder, eventId: event.id });
    assert.equal(response.status, 201, response.text);
    return response.body;
  };
  const pairingUrl = async (name: string, base = gateway): Promise<{ url: string; deviceId: string }> => {
    const response = await acme.api.post('/devices', { name, events: [event.id] });
    assert.equal(response.status, 201, response.text);
    return {
      url: base + new URL(response.body.pairing.url).pathname + new URL(response.body.pairing.url).hash,
      deviceId: response.body.device.id,
    };
  };
  /** Pairs a fresh context (its own IndexedDB) and taps Start once the offline copy is ready. */
  const openDoor = async (
    browser: Browser,
    name: string,
    base = gateway,
    checkAccessibility = false,
  ): Promise<{ context: BrowserContext; page: Page; deviceId: string }> => {
    const context = await browser.newContext({ viewport: { width: 420, height: 860 } });
    const page = await context.newPage();
    const { url, deviceId } = await pairingUrl(name, base);
    await page.goto(url);
    await page.getByTestId('prepare-status').filter({ hasText: 'ready for offline checks' }).waitFor();
    if (checkAccessibility) await assertAccessible(page, 'door: prepare screen');
    await page.getByRole('button', { name: 'Start scanning' }).click();
    await page.getByTestId('mode').waitFor();
    return { context, page, deviceId };
  };
  const wedge = async (page: Page, code: string) => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };
  const verdict = (page: Page, value: string) =>
    page.locator(`[data-testid="result"][data-verdict="${value}"]`).waitFor({ timeout: 15_000 });

  beforeAll(async () => {
    gateway = sharedGatewayUrl();
    acme = await createTenant({ name: 'Door App Events' });
    event = (await acme.api.post('/events', { name: 'Harbour Night', startsAt: STARTS })).body;
    scannerBrowser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...BROWSER_ARGS, '--use-fake-device-for-media-stream'],
    });
  });

  afterAll(async () => {
    await scannerBrowser?.close();
    await closeGatewayDb();
  });

  it('camera: the fake camera shows a real pass; the app admits it, then shows already_used for the same pass', async () => {
    const pass = await newPass('Camille Camera');
    await eventually(async () => (await projectedAdmission(pass.id)) ?? undefined);
    const video = join(mkdtempSync(join(tmpdir(), 'door-camera-')), 'pass.y4m');
    writeQrVideo(video, [pass.code], { secondsEach: 3, gapSeconds: 0 });
    const cameraBrowser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        ...BROWSER_ARGS,
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    try {
      const { page } = await openDoor(cameraBrowser, 'Camera phone');
      await verdict(page, 'success');
      assert.equal(await page.getByTestId('result-name').textContent(), 'Camille Camera');
      await page.screenshot({ path: artifactPath('door-camera-admit.png') });
      // The camera keeps seeing the pass: after the 5 s same-code guard it is scanned again.
      await verdict(page, 'already_used');
      await page.screenshot({ path: artifactPath('door-camera-already-used.png') });
      // Both attempts are on the server: live, or (on a machine too slow to answer within 2 s) from the offline queue.
      const results = await eventually(
        async () => {
          const scans = (await acme.api.get(`/passes/${pass.id}/scans`)).body as any[];
          return scans.length === 2 ? scans.map((s) => [s.result, s.method]).sort() : undefined;
        },
        90_000,
        500,
      );
      assert.deepEqual(results, [
        ['already_used', 'qr_scan'],
        ['success', 'qr_scan'],
      ]);
    } finally {
      await cameraBrowser.close();
    }
  });

  it('offline: three passes scanned with the network cut are queued, synced on return; a double use on a second device is reported', async () => {
    const [ada, bea, cy, dora] = [
      await newPass('Ada Offline'),
      await newPass('Bea Offline'),
      await newPass('Cy Offline'),
      await newPass('Dora Double'),
    ];
    for (const pass of [ada, bea, cy, dora]) await eventually(async () => (await projectedAdmission(pass.id)) ?? undefined);
    const first = await openDoor(scannerBrowser, 'Door 1');
    const second = await openDoor(scannerBrowser, 'Door 2');

    await first.context.setOffline(true);
    await second.context.setOffline(true);
    for (const pass of [ada, bea, cy]) {
      await wedge(first.page, pass.code);
      await verdict(first.page, 'success');
      assert.equal(await first.page.getByTestId('result').getAttribute('data-offline'), 'true');
    }
    await first.page.getByTestId('mode').filter({ hasText: 'Offline' }).waitFor();
    await wedge(first.page, dora.code);
    await verdict(first.page, 'success');
    await wedge(second.page, dora.code);
    await verdict(second.page, 'success');
    await first.page.locator('[data-testid="pending"][data-count="4"]').waitFor();
    await first.page.getByTestId('result').waitFor({ state: 'detached' });
    await first.page.screenshot({ path: artifactPath('door-offline-queued.png') });
    assert.equal(((await acme.api.get(`/passes/${ada.id}/scans`)).body as any[]).length, 0, 'nothing reached the server');

    await second.context.setOffline(false);
    await second.page.locator('[data-testid="pending"][data-count="0"]').waitFor({ timeout: 20_000 });
    await first.context.setOffline(false);
    await first.page.locator('[data-testid="pending"][data-count="0"]').waitFor({ timeout: 20_000 });
    const refused = first.page.getByTestId('refused-scan');
    await refused.waitFor();
    assert.equal(await refused.count(), 1);
    assert.equal(await refused.getAttribute('data-server-result'), 'already_used');
    assert.match((await refused.textContent()) ?? '', /Dora Double: let in offline at .+, server says already used/);
    await first.page.getByTestId('mode').filter({ hasText: 'Online' }).waitFor();
    await first.page.screenshot({ path: artifactPath('door-sync-report.png'), fullPage: true });
    for (const pass of [ada, bea, cy]) {
      const [scan] = (await acme.api.get(`/passes/${pass.id}/scans`)).body as any[];
      assert.deepEqual([scan.result, scan.channel], ['success', 'offline']);
    }
    await first.context.close();
    await second.context.close();
  });

  it('answers "not a Passway code" without a request, checks in by manual search, and counts checked-in / total', async () => {
    const guest = await newPass('Manuel Manual');
    await eventually(async () => (await projectedAdmission(guest.id)) ?? undefined);
    const { context, page } = await openDoor(scannerBrowser, 'Manual desk', gateway, true);
    // This browser has no camera permission: the app says so and keeps manual entry.
    await page.getByTestId('camera-problem').filter({ hasText: 'camera permission was refused' }).waitFor();
    await assertAccessible(page, 'door: scan screen');
    const scanRequests: string[] = [];
    page.on('request', (request) => request.url().includes('/api/v1/scan') && scanRequests.push(request.url()));
    await wedge(page, 'https://example.com/not-a-pass');
    await verdict(page, 'not_passway');
    assert.deepEqual(scanRequests, []);
    await page.screenshot({ path: artifactPath('door-not-passway.png') });
    await assertAccessible(page, 'door: result screen');

    const counter = page.getByTestId('counter');
    const total = Number(await counter.getAttribute('data-total'));
    const before = Number(await counter.getAttribute('data-checked-in'));
    assert.ok(total >= 6, `total ${total}`);
    await page.getByTestId('manual-input').fill('Manuel');
    await page.getByTestId('check-in').first().click();
    await verdict(page, 'success');
    await page.locator(`[data-testid="counter"][data-checked-in="${before + 1}"]`).waitFor();
    const [scan] = (await acme.api.get(`/passes/${guest.id}/scans`)).body as any[];
    assert.deepEqual([scan.result, scan.method], ['success', 'manual']);
    await context.close();
  });

  it('undoes the last admission with a reason: the pass can be used again, the counter goes back, the audit log says why', async () => {
    const guest = await newPass('Una Undo');
    await eventually(async () => (await projectedAdmission(guest.id)) ?? undefined);
    const { context, page } = await openDoor(scannerBrowser, 'Undo desk');
    const undo = page.getByTestId('undo-open');
    assert.equal(await undo.isDisabled(), true, 'nothing to undo before an admission');
    const counter = page.getByTestId('counter');
    const before = Number(await counter.getAttribute('data-checked-in'));
    await wedge(page, guest.code);
    await verdict(page, 'success');
    await page.getByTestId('result').click(); // dismiss the full-screen result
    await page.locator(`[data-testid="counter"][data-checked-in="${before + 1}"]`).waitFor();
    await page.getByRole('button', { name: 'Undo last admission (Una Undo)' }).click();

    // The reason form: focused, accessible, Escape cancels (nothing undone), a reason is required.
    const reason = page.getByLabel(/^Reason/);
    await reason.waitFor();
    assert.equal(await page.locator(':focus').getAttribute('data-testid'), 'undo-reason', 'the reason field has the focus');
    await assertAccessible(page, 'door: undo form');
    await page.keyboard.press('Escape');
    await page.getByTestId('undo-form').waitFor({ state: 'detached' });
    assert.equal((await projectedAdmission(guest.id))?.usages_count, 1, 'Escape undid nothing');
    await undo.click();
    await page.getByTestId('undo-confirm').click();
    await page.getByTestId('undo-error').filter({ hasText: 'Give a reason' }).waitFor();
    await reason.fill('Scanned the wrong guest');
    await page.getByTestId('undo-confirm').click();
    await page.getByTestId('undo-done').filter({ hasText: 'Admission of Una Undo undone' }).waitFor();
    await page.locator(`[data-testid="counter"][data-checked-in="${before}"]`).waitFor();
    assert.equal(await undo.isDisabled(), true, 'the undone admission cannot be undone twice');
    // The recent results no longer show it as a plain admission.
    const undoneLine = page.locator('.door-recent__item[data-undone="true"]');
    await undoneLine.filter({ hasText: 'Una Undo' }).waitFor();
    assert.match(await undoneLine.first().innerText(), /ADMIT Una Undo.*\(undone\)/);
    await page.screenshot({ path: artifactPath('door-undo.png') });
    await assertAccessible(page, 'door: after an undo');

    const [record] = (await acme.api.get(`/passes/${guest.id}/scans`)).body as any[];
    assert.equal(record.undoReason, 'Scanned the wrong guest');
    assert.deepEqual(await projectedAdmission(guest.id), { status: 'active', usages_count: 0 });
    const entry = await eventually(async () =>
      ((await acme.api.get(`/audit-log?resource=${record.id}`)).body as any[]).find((e) => e.action === 'scans.undo'),
    );
    assert.equal(entry.details.reason, 'Scanned the wrong guest');
    assert.match(entry.actor.label, /Undo desk/);

    // The pass is admitted again (the 2.5 s same-code guard of a hardware scanner passed long ago).
    await wedge(page, guest.code);
    await verdict(page, 'success');
    await page.locator(`[data-testid="counter"][data-checked-in="${before + 1}"]`).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Undo last admission (Una Undo)' }).isEnabled(), true);
    await context.close();
  });

  it('undoes an offline admission at once on the device, and on the server after the scan at the next sync', async () => {
    const guest = await newPass('Otto Offline Undo');
    await eventually(async () => (await projectedAdmission(guest.id)) ?? undefined);
    const { context, page } = await openDoor(scannerBrowser, 'Offline undo desk');
    const counter = page.getByTestId('counter');
    const before = Number(await counter.getAttribute('data-checked-in'));

    await context.setOffline(true);
    await wedge(page, guest.code);
    await verdict(page, 'success');
    assert.equal(await page.getByTestId('result').getAttribute('data-offline'), 'true');
    await page.getByRole('button', { name: 'Undo last admission (Otto Offline Undo)' }).click();
    await page.getByTestId('undo-reason').fill('Let in by mistake');
    await page.getByTestId('undo-confirm').click();
    await page.getByTestId('undo-done').filter({ hasText: 'goes to the server with the next sync' }).waitFor();
    await page.locator(`[data-testid="counter"][data-checked-in="${before}"]`).waitFor();
    // Freed on the device: the single pass is admitted again, still offline (after the 2.5 s same-code guard).
    await page.getByTestId('result').waitFor({ state: 'detached' });
    await new Promise((resolve) => setTimeout(resolve, 2_600));
    await wedge(page, guest.code);
    await verdict(page, 'success');
    await page.locator('[data-testid="pending"][data-count="2"]').waitFor();
    assert.deepEqual((await acme.api.get(`/passes/${guest.id}/scans`)).body, [], 'nothing reached the server yet');

    await context.setOffline(false);
    await page.locator('[data-testid="pending"][data-count="0"]').waitFor({ timeout: 20_000 });
    // Admitted, undone, admitted: in that order on the server, with nothing refused.
    const scans = ((await acme.api.get(`/passes/${guest.id}/scans`)).body as any[]).sort((a, b) => a.scannedAt.localeCompare(b.scannedAt));
    assert.deepEqual(
      scans.map((scan) => [scan.result, scan.channel, scan.undoReason ?? null]),
      [
        ['success', 'offline', 'Let in by mistake'],
        ['success', 'offline', null],
      ],
    );
    assert.equal(await page.getByTestId('refused-scan').count(), 0);
    assert.equal(await page.getByTestId('refused-undo').count(), 0);
    // The passes service counts the scans as they arrive from Kafka.
    const pass = await eventually(async () => {
      const current = (await acme.api.get(`/passes/${guest.id}`)).body;
      return current.status === 'used' ? current : undefined;
    });
    assert.equal(pass.usagesCount, 1);
    const entry = await eventually(async () =>
      ((await acme.api.get(`/audit-log?resource=${scans[0].id}`)).body as any[]).find((e) => e.action === 'scans.undo'),
    );
    assert.equal(entry.details.reason, 'Let in by mistake');
    await context.close();
  });

  it('downloads the offline copy over a slow network: a feed page may take longer than a scan may', async () => {
    const context = await scannerBrowser.newContext({ viewport: { width: 420, height: 860 } });
    const page = await context.newPage();
    let delayed = 0;
    // Each page of the feed answers 3 s late, past the 2 s a scan gets before the door goes offline.
    await page.route('**/api/v1/events/*/admissions*', async (route) => {
      delayed += 1;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await route.continue();
    });
    const { url } = await pairingUrl('Slow network phone');
    await page.goto(url);
    await page.getByTestId('prepare-status').filter({ hasText: 'ready for offline checks' }).waitFor({ timeout: 60_000 });
    assert.ok(delayed >= 1);
    await page.getByRole('button', { name: 'Start scanning' }).click();
    await page.getByTestId('mode').filter({ hasText: 'Online' }).waitFor();
    await context.close();
  });

  it('a revoked device is refused with a clear message; an expired pairing link says so', async () => {
    const { context, page, deviceId } = await openDoor(scannerBrowser, 'Soon revoked');
    assert.equal((await acme.api.delete(`/devices/${deviceId}`)).status, 200);
    const pass = await newPass('After Revocation');
    await wedge(page, pass.code);
    await page.getByTestId('revoked').waitFor();
    assert.match((await page.getByTestId('revoked').textContent()) ?? '', /revoked by the organiser/);
    await page.screenshot({ path: artifactPath('door-revoked.png') });
    await assertAccessible(page, 'door: revoked message');
    assert.deepEqual((await acme.api.get(`/passes/${pass.id}/scans`)).body, []);

    const { url, deviceId: lateId } = await pairingUrl('Too late');
    await (await gatewayDb()).query(`UPDATE gateway.devices SET pairing_expires_at = now() - interval '1 second' WHERE id = $1`, [lateId]);
    const late = await context.newPage();
    await late.goto(url);
    await late.getByTestId('message').filter({ hasText: 'expired' }).waitFor();
    await late.screenshot({ path: artifactPath('door-pairing-expired.png') });
    await assertAccessible(late, 'door: expired pairing link');
    await context.close();
  });

  it('the service worker serves the app while the gateway is stopped', async () => {
    const ownGateway = await startGateway('door-sw', {});
    try {
      const { context, page } = await openDoor(scannerBrowser, 'Worker phone', ownGateway.url.replace('127.0.0.1', 'localhost'));
      // The worker controls the page once installed (clients.claim); its precache is then complete.
      await page.waitForFunction('navigator.serviceWorker.controller !== null', undefined, { timeout: 20_000 });
      await ownGateway.stop();
      const consoleLines: string[] = [];
      page.on('console', (message) => consoleLines.push(message.text()));
      page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
      await page.reload().catch((error: Error) => consoleLines.push(`reload: ${error.message}`));
      await page
        .getByTestId('mode')
        .filter({ hasText: 'Offline' })
        .waitFor({ timeout: 15_000 })
        .catch(async (error) => {
          await page.screenshot({ path: artifactPath('door-service-worker-failed.png') });
          throw new Error(`${error.message}\npage: ${(await page.content()).slice(0, 2000)}\nconsole: ${consoleLines.join('\n')}`);
        });
      await page.screenshot({ path: artifactPath('door-service-worker-offline.png') });
      await context.close();
    } finally {
      await ownGateway.stop();
    }
  });
});
