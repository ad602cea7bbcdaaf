import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, TestTenant } from './support/e2e-env';
import { GatewayProcess, startGateway } from './support/gateway-process';

/**
 * PASS_LINK_SECRET rotation: a gateway started with a new key (id k2) and the shared stack's key as
 * the previous one still opens links the shared stack sent (k1); one without the previous key refuses them.
 */
describe('security: pass-link keys rotate', () => {
  let tenant: TestTenant;
  let sentBefore: URL;
  const gateways: GatewayProcess[] = [];
  const NEW_KEY = { PASS_LINK_SECRET: 'the-rotated-pass-link-secret-0123456789', PASS_LINK_KEY_ID: 'k2' };

  beforeAll(async () => {
    tenant = await createTenant({ name: 'Link Rotation' });
    const pass = (await tenant.api.post('/passes', { type: 'single', name: 'Rotated' })).body;
    sentBefore = new URL(pass.publicUrl);
    assert.match(sentBefore.searchParams.get('token')!, /^k1\./, 'links carry the id of the key that signed them');
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await closeGatewayDb();
  });

  const open = (gateway: GatewayProcess, url: URL) => fetch(`${gateway.url}${url.pathname}${url.search}`);

  it('keeps links signed with the previous key valid during the window, and refuses them after', async () => {
    const during = await startGateway('link-rotation-during', {
      ...NEW_KEY,
      PASS_LINK_PREVIOUS_SECRET: process.env.PASS_LINK_SECRET!,
      PASS_LINK_PREVIOUS_KEY_ID: 'k1',
    });
    gateways.push(during);
    assert.equal((await open(during, sentBefore)).status, 200, 'a link sent before the rotation still opens');
    const forged = new URL(sentBefore);
    forged.searchParams.set('token', `k2.${sentBefore.searchParams.get('token')!.slice(3)}`);
    assert.equal((await open(during, forged)).status, 404, 'the MAC is checked against the key its id names');

    const afterWindow = await startGateway('link-rotation-after', NEW_KEY);
    gateways.push(afterWindow);
    assert.equal((await open(afterWindow, sentBefore)).status, 404, 'once the previous key is dropped, its links are refused');
  });
});
