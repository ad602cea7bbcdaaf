import type { AdmissionState, RedemptionResult } from './redemption-rules';

/**
 * Cases both implementations of the rules must agree on: this module (redemption-rules.spec.ts)
 * and the scans service's redemption statement, driven through the real API
 * (test/redemption-rules-agreement.e2e-spec.ts). Times are offsets in ms from the moment of the scan.
 */
export interface RuleVector {
  name: string;
  state: Omit<AdmissionState, 'validFrom' | 'validUntil'> & { validFrom: number | null; validUntil: number | null };
  expected: RedemptionResult;
  expectedAfter: { status: AdmissionState['status']; usagesCount: number };
}

const base = {
  type: 'single',
  status: 'active',
  validFrom: null,
  validUntil: null,
  maxUsages: null,
  usagesCount: 0,
  eventSuspended: false,
} as const;

export const RULE_VECTORS: RuleVector[] = [
  {
    name: 'an active single pass is admitted and becomes used',
    state: { ...base },
    expected: 'success',
    expectedAfter: { status: 'used', usagesCount: 1 },
  },
  {
    name: 'a used single pass',
    state: { ...base, status: 'used', usagesCount: 1 },
    expected: 'already_used',
    expectedAfter: { status: 'used', usagesCount: 1 },
  },
  {
    name: 'a revoked pass',
    state: { ...base, status: 'revoked' },
    expected: 'revoked',
    expectedAfter: { status: 'revoked', usagesCount: 0 },
  },
  {
    name: 'validFrom equal to the scan time (inclusive)',
    state: { ...base, validFrom: 0, validUntil: 3_600_000 },
    expected: 'success',
    expectedAfter: { status: 'used', usagesCount: 1 },
  },
  {
    name: 'validUntil equal to the scan time (inclusive)',
    state: { ...base, validFrom: -3_600_000, validUntil: 0 },
    expected: 'success',
    expectedAfter: { status: 'used', usagesCount: 1 },
  },
  {
    name: 'one millisecond before validFrom',
    state: { ...base, validFrom: 1, validUntil: 3_600_000 },
    expected: 'not_yet_valid',
    expectedAfter: { status: 'active', usagesCount: 0 },
  },
  {
    name: 'one millisecond after validUntil',
    state: { ...base, validFrom: -3_600_000, validUntil: -1 },
    expected: 'expired',
    expectedAfter: { status: 'active', usagesCount: 0 },
  },
  {
    name: 'a multi pass below its limit stays active',
    state: { ...base, type: 'multi', maxUsages: 3, usagesCount: 1 },
    expected: 'success',
    expectedAfter: { status: 'active', usagesCount: 2 },
  },
  {
    name: 'a multi pass at its limit',
    state: { ...base, type: 'multi', maxUsages: 2, usagesCount: 2 },
    expected: 'max_usages_reached',
    expectedAfter: { status: 'active', usagesCount: 2 },
  },
  {
    name: 'an unlimited multi pass',
    state: { ...base, type: 'multi', usagesCount: 5 },
    expected: 'success',
    expectedAfter: { status: 'active', usagesCount: 6 },
  },
  {
    name: 'revoked wins over expired',
    state: { ...base, status: 'revoked', validFrom: -7_200_000, validUntil: -3_600_000 },
    expected: 'revoked',
    expectedAfter: { status: 'revoked', usagesCount: 0 },
  },
  {
    name: 'already used wins over not yet valid',
    state: { ...base, status: 'used', usagesCount: 1, validFrom: 3_600_000 },
    expected: 'already_used',
    expectedAfter: { status: 'used', usagesCount: 1 },
  },
  {
    name: 'a suspended event wins over everything',
    state: { ...base, status: 'revoked', eventSuspended: true },
    expected: 'event_suspended',
    expectedAfter: { status: 'revoked', usagesCount: 0 },
  },
  {
    name: 'a suspended event refuses an admissible pass',
    state: { ...base, eventSuspended: true },
    expected: 'event_suspended',
    expectedAfter: { status: 'active', usagesCount: 0 },
  },
];
