import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { decide, displayStatusOf } from '../libs/common/src/redemption-rules/redemption-rules';
import { RULE_VECTORS } from '../libs/common/src/redemption-rules/rule-vectors';
import { closeGatewayDb, createTenant, eventually, TestTenant } from './support/e2e-env';
import { projectedAdmission, projectedEvent } from './support/scans-projection';

/**
 * The door app decides offline with libs/common redemption-rules; the scans service decides with
 * its one-statement SQL redemption. Both must agree: every rule vector is set up as a real pass,
 * scanned through the real API at a chosen moment (an offline batch item's scannedAt), and the
 * server's answer is compared with the module's.
 */
describe('redemption rules: the shared module and the SQL redemption agree', () => {
  let acme: TestTenant;
  // Two hours ago, so passes can be brought to their state by online scans now (inside their windows).
  const at = Math.floor(Date.now() / 1000) * 1000 - 2 * 3_600_000;
  const iso = (offset: number | null) => (offset === null ? undefined : new Date(at + offset).toISOString());

  beforeAll(async () => {
    acme = await createTenant({ name: 'Rules agreement' });
  });
  afterAll(closeGatewayDb);

  for (const vector of RULE_VECTORS) {
    it(vector.name, async () => {
      const { state } = vector;
      let eventId: string | undefined;
      if (state.eventSuspended) {
        const event = await acme.api.post('/events', { name: `Rules ${randomUUID().slice(0, 8)}`, startsAt: '2031-01-01T10:00:00Z' });
        assert.equal(event.status, 201, event.text);
        eventId = event.body.id;
      }
      const created = await acme.api.post('/passes', {
        type: state.type,
        clientName: 'Rule Vector',
        eventId,
        ...(state.maxUsages !== null ? { maxUsages: state.maxUsages } : {}),
        ...(iso(state.validFrom) ? { validFrom: iso(state.validFrom) } : {}),
        ...(iso(state.validUntil) ? { validUntil: iso(state.validUntil) } : {}),
      });
      assert.equal(created.status, 201, created.text);
      const pass = created.body as { id: string; code: string };

      // Bring the pass to the vector's state with real scans and real status changes.
      for (let i = 0; i < state.usagesCount; i += 1) {
        const scan = await acme.api.post('/scan', { code: pass.code });
        assert.equal(scan.body.result, 'success', scan.text);
      }
      if (state.status === 'revoked') assert.equal((await acme.api.post(`/passes/${pass.id}/revoke`)).status, 200);
      await eventually(async () => {
        const row = await projectedAdmission(pass.id);
        return row?.status === state.status && row.usages_count === state.usagesCount ? true : undefined;
      });
      if (eventId) {
        assert.equal((await acme.api.post(`/events/${eventId}/suspend`)).status, 200);
        await eventually(async () => ((await projectedEvent(eventId))?.status === 'suspended' ? true : undefined));
      }

      const moduleDecision = decide(
        {
          ...state,
          validFrom: state.validFrom === null ? null : at + state.validFrom,
          validUntil: state.validUntil === null ? null : at + state.validUntil,
        },
        at,
      );
      const batch = await acme.api.post('/scans/batch', {
        items: [{ nonce: `rules-${randomUUID()}`, code: pass.code, scannedAt: new Date(at).toISOString() }],
      });
      assert.equal(batch.status, 200, batch.text);
      const [item] = batch.body.items;

      assert.equal(moduleDecision.result, vector.expected, 'the module');
      assert.equal(item.result, vector.expected, 'the SQL redemption');
      assert.equal(item.pass.usagesCount, moduleDecision.after.usagesCount);
      const expectedStatus = moduleDecision.result === 'success' ? moduleDecision.after.status : displayStatusOf(moduleDecision.after, at);
      assert.equal(item.pass.status, expectedStatus);
    });
  }
});
