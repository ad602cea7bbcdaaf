import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PassLinkSigner } from '../libs/common/src/passes/pass-link';
import { Stack } from '../tools/stack';
import { closeGatewayDb, createTenant, eventually, isolatedEnv, startDedicatedStack, TestTenant } from './support/e2e-env';
import { FakeApnsControl } from './support/fake-apns';
import { walletTestIdentity } from './support/pkpass';

const DEVICES = 30;

/**
 * notifications is SIGKILLed in the middle of pushing one change to many devices: the pushes APNs
 * answered are recorded and never sent again; those in flight (unanswered) and those not yet sent
 * go out after the restart, once each.
 */
describe('wallet pushes when notifications dies mid-push', () => {
  const identity = walletTestIdentity();
  let stack: Stack;
  let tenant: TestTenant;
  let apns: FakeApnsControl;

  before(async () => {
    const isolated = await isolatedEnv('wallet_crash');
    // Five devices at a time, so the kill lands between waves of one push round.
    stack = await startDedicatedStack('wallet-crash', { ...isolated, WALLET_PUSH_FANOUT: '5', WALLET_PUSH_LEASE_MS: '2000' });
    tenant = await createTenant({ name: 'Wallet Crash' }, stack.gatewayUrl, isolated.DATABASE_URL);
    apns = FakeApnsControl.fromEnv();
  });

  after(async () => {
    await apns.release();
    await stack.stop();
    await closeGatewayDb();
  });

  it('loses no push and sends none twice for one change', async () => {
    const signer = new PassLinkSigner(process.env.PASS_LINK_SECRET!, stack.gatewayUrl);
    const pass = await tenant.api.post('/passes', { type: 'single', name: 'Crash course' });
    assert.equal(pass.status, 201, pass.text);
    const tokens = Array.from({ length: DEVICES }, () => randomBytes(32).toString('hex'));
    for (const [index, token] of tokens.entries()) {
      const response = await fetch(`${stack.gatewayUrl}/wallet/v1/devices/crash-${index}-${token.slice(0, 8)}/registrations/${identity.passTypeId}/${pass.body.id}`, {
        method: 'POST',
        headers: { authorization: `ApplePass ${signer.walletToken(pass.body.id)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ pushToken: token }),
      });
      assert.equal(response.status, 201);
    }

    const acceptedFor = async () => {
      const pushes = (await apns.pushes()).filter((push) => tokens.includes(push.token) && push.accepted);
      return new Map(tokens.map((token) => [token, pushes.filter((push) => push.token === token).length]));
    };

    await apns.holdAfter(10);
    assert.equal((await tenant.api.post(`/passes/${pass.body.id}/revoke`)).status, 200);
    // Ten answered, the next wave held unanswered: now the process dies.
    await eventually(async () => ((await apns.held()) >= 5 ? true : undefined), 30_000);
    await stack.stopApp('notifications', 'SIGKILL');
    const before = await acceptedFor();
    assert.equal([...before.values()].filter((count) => count === 1).length, 10);
    await apns.release();

    await stack.startApp('notifications');
    const after = await eventually(async () => {
      const counts = await acceptedFor();
      return [...counts.values()].every((count) => count >= 1) ? counts : undefined;
    }, 60_000);
    // A later change down the same path: once its pushes are in, nothing more of the first can come.
    assert.equal((await tenant.api.post(`/passes/${pass.body.id}/activate`)).status, 200);
    const final = await eventually(async () => {
      const counts = await acceptedFor();
      return [...counts.values()].every((count) => count >= 2) ? counts : undefined;
    }, 60_000);
    assert.deepEqual([...after.values()].filter((count) => count !== 1), [], 'every device got the revoke exactly once');
    assert.deepEqual([...final.values()].filter((count) => count !== 2), [], 'and the reactivation exactly once');
  });
});
