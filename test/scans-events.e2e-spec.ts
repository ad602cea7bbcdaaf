import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, eventually, TestTenant } from './support/e2e-env';

/** The pass.scanned event a real scan publishes (built in one place, in the scans service's redemption SQL). */
describe('pass.scanned events from real scans', () => {
  let acme: TestTenant;

  beforeAll(async () => {
    acme = await createTenant({ name: 'Acme Scan Events' });
  });

  afterAll(async () => {
    await closeGatewayDb();
  });

  it('carries every field of the scan, for a redemption and for a refusal alike', async () => {
    const pass = (await acme.api.post('/passes', { type: 'single', name: 'Door Guest', clientName: 'Dora Holder' })).body;
    const redeemed = (await acme.api.post('/scan', { code: pass.code })).body;
    const refused = (await acme.api.post('/scan', { code: pass.code, method: 'manual' })).body;
    assert.equal(redeemed.result, 'success', JSON.stringify(redeemed));
    assert.equal(refused.result, 'already_used');

    const items = await eventually(async () => {
      const body = (await acme.api.get('/triggers?event=pass.scanned')).body;
      const mine = body.filter((item: { passId: string }) => item.passId === pass.id);
      return mine.length === 2 ? mine : undefined;
    });
    const common = {
      passId: pass.id,
      code: pass.code,
      passName: 'Door Guest',
      holderName: 'Dora Holder',
      passType: 'single',
      maxUsages: null,
      channel: 'online',
      eventId: null,
    };
    assert.deepEqual(
      items.find((item: { id: string }) => item.id === redeemed.scan.id),
      {
        ...common,
        id: redeemed.scan.id,
        success: true,
        result: 'success',
        usagesCount: 1,
        passStatus: 'used',
        scannedAt: redeemed.scan.scannedAt,
        method: 'qr_scan',
      },
    );
    assert.deepEqual(
      items.find((item: { id: string }) => item.id === refused.scan.id),
      {
        ...common,
        id: refused.scan.id,
        success: false,
        result: 'already_used',
        usagesCount: 1,
        passStatus: 'used',
        scannedAt: refused.scan.scannedAt,
        method: 'manual',
      },
    );
  });
});
