import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { decide, displayStatusOf, isPassCode, normalizePassCode } from './redemption-rules';
import { RULE_VECTORS } from './rule-vectors';

describe('redemption rules (shared by the scans service and the door app)', () => {
  const at = Date.parse('2026-06-01T12:00:00Z');
  for (const vector of RULE_VECTORS) {
    it(vector.name, () => {
      const state = {
        ...vector.state,
        validFrom: vector.state.validFrom === null ? null : at + vector.state.validFrom,
        validUntil: vector.state.validUntil === null ? null : at + vector.state.validUntil,
      };
      const decision = decide(state, at);
      assert.equal(decision.result, vector.expected);
      assert.deepEqual({ status: decision.after.status, usagesCount: decision.after.usagesCount }, vector.expectedAfter);
    });
  }

  it('tells pass codes from anything else, after trimming and upper-casing', () => {
    assert.equal(normalizePassCode('  7qk2m9r4xw3tbn5h\n'), '7QK2M9R4XW3TBN5H');
    assert.equal(isPassCode(' 7qk2m9r4xw3tbn5h '), true);
    for (const other of ['https://example.com/ticket/1', 'WIFI:S:guest;T:WPA;P:x;;', '7QK2M9R4XW3TBN5I', 'SHORT', '']) {
      assert.equal(isPassCode(other), false, other);
    }
  });

  it('derives expired for display only from an active pass', () => {
    assert.equal(displayStatusOf({ status: 'active', validUntil: at - 1 }, at), 'expired');
    assert.equal(displayStatusOf({ status: 'used', validUntil: at - 1 }, at), 'used');
    assert.equal(displayStatusOf({ status: 'active', validUntil: null }, at), 'active');
  });
});
