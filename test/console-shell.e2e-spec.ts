import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { Browser } from 'playwright-core';
import { assertAccessible } from './support/axe';
import { artifactPath, launchChromium } from './support/browser';
import { sharedGatewayUrl } from './support/e2e-env';

/** The console as the gateway serves it at /app, in Chromium. */
describe('console served at /app', () => {
  const base = sharedGatewayUrl();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('answers every path under /app with the SPA (no-cache, CSP) and its hashed assets with a year of caching', async () => {
    const deep = await fetch(`${base}/app/events/some-id/live`);
    assert.equal(deep.status, 200);
    assert.match(deep.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(deep.headers.get('cache-control'), 'no-cache');
    assert.match(deep.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await deep.text();
    const script = /<script type="module" crossorigin src="(\/app\/assets\/[^"]+\.js)"/.exec(html);
    assert.ok(script, html);
    const asset = await fetch(`${base}${script[1]}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
    const missing = await fetch(`${base}/app/assets/nope.js`);
    assert.equal(missing.status, 404);
  });

  it('sends a visitor without a session to the sign-in page, keeping where they were going', async () => {
    // A context of its own: axe-core opens a second page in it to finish its run (browser.newPage's context allows one).
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/app/`);
    await page.getByRole('heading', { name: 'Sign in to Passway' }).waitFor();
    assert.match(page.url(), /\/app\/login\?redirect=/);
    assert.equal(await page.title(), 'Sign in to Passway · Passway');
    await page.getByLabel('Email').waitFor();
    await page.screenshot({ path: artifactPath('console-00-sign-in.png') });
    await assertAccessible(page, 'sign-in');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
