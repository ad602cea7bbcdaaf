import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { Admission, displayStatus, refusalOf, storedStatusOf } from './admission';

const at = new Date('2026-06-01T12:00:00Z');
const admission = (overrides: Partial<Admission> = {}): Admission => ({
  passId: 'p',
  tenantId: 't',
  code: 'C',
  name: null,
  type: 'single',
  status: 'active',
  validFrom: null,
  validUntil: null,
  maxUsages: null,
  usagesCount: 0,
  eventId: null,
  eventSuspended: false,
  ...overrides,
});

describe('admission rules', () => {
  it('admits an active pass inside its window and below its limit', () => {
    assert.equal(refusalOf(admission(), at), null);
    assert.equal(refusalOf(admission({ type: 'multi', maxUsages: 3, usagesCount: 2 }), at), null);
    assert.equal(refusalOf(admission({ validFrom: at, validUntil: at }), at), null, 'both bounds are inclusive');
  });

  it('refuses in the order of the REST contract', () => {
    assert.equal(refusalOf(admission({ eventSuspended: true, status: 'revoked' }), at), 'event_suspended');
    assert.equal(refusalOf(admission({ status: 'revoked', validUntil: new Date(0) }), at), 'revoked');
    assert.equal(refusalOf(admission({ status: 'used' }), at), 'already_used');
    assert.equal(refusalOf(admission({ validFrom: new Date(at.getTime() + 1) }), at), 'not_yet_valid');
    assert.equal(refusalOf(admission({ validUntil: new Date(at.getTime() - 1) }), at), 'expired');
    assert.equal(refusalOf(admission({ type: 'multi', maxUsages: 2, usagesCount: 2 }), at), 'max_usages_reached');
  });

  it('derives expired for display the way the passes service does, and stores it as active', () => {
    assert.equal(displayStatus(admission({ validUntil: new Date(at.getTime() - 1) }), at), 'expired');
    assert.equal(displayStatus(admission({ status: 'used', validUntil: new Date(0) }), at), 'used');
    assert.equal(storedStatusOf({ status: 'expired' }), 'active');
    assert.equal(storedStatusOf({ status: 'revoked' }), 'revoked');
  });
});
