/**
 * The redemption rules, in one dependency-free module shared by the scans service and the door
 * app's browser bundle (apps/console imports this file directly). The scans service's
 * redemption statement (REDEEM_SQL) is the same rule in SQL; both are tested on the vectors of
 * rule-vectors.ts (unit: this module; e2e: the real statement through the API).
 *
 * Times are epoch milliseconds so the module needs no Date handling of its own.
 */

/** Crockford's base32 (no I, L, O or U), 12 to 32 characters. */
export const PASS_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{12,32}$/;

export type RulePassType = 'single' | 'multi';
/** Statuses an admission stores; `expired` is derived from validUntil at the moment of a scan. */
export type AdmissionStatus = 'active' | 'used' | 'revoked';
export type Refusal = 'event_suspended' | 'revoked' | 'already_used' | 'not_yet_valid' | 'expired' | 'max_usages_reached';
export type RedemptionResult = 'success' | Refusal;

/** What a redemption decision depends on. */
export interface AdmissionState {
  type: RulePassType;
  status: AdmissionStatus;
  validFrom: number | null;
  validUntil: number | null;
  maxUsages: number | null;
  usagesCount: number;
  eventSuspended: boolean;
}

export interface Decision {
  result: RedemptionResult;
  /** The admission after the attempt: a success counts one use and makes a single pass `used`. */
  after: AdmissionState;
}

/** A person may type a code by hand: trimmed and upper-cased, as the API does. */
export function normalizePassCode(raw: string): string {
  return raw.trim().toUpperCase();
}

/** Whether a scanned or typed string can be a Passway pass code at all (checked before any request). */
export function isPassCode(raw: string): boolean {
  return PASS_CODE_PATTERN.test(normalizePassCode(raw));
}

/**
 * Why an admission cannot be redeemed at `at`, or null when it can. The order is the REST contract's,
 * with a suspended event first. Both validity bounds are inclusive.
 */
export function refusalOf(state: AdmissionState, at: number): Refusal | null {
  if (state.eventSuspended) return 'event_suspended';
  if (state.status === 'revoked') return 'revoked';
  if (state.status === 'used') return 'already_used';
  if (state.validFrom !== null && state.validFrom > at) return 'not_yet_valid';
  if (state.validUntil !== null && state.validUntil < at) return 'expired';
  if (state.maxUsages !== null && state.usagesCount >= state.maxUsages) return 'max_usages_reached';
  return null;
}

/** The whole decision: the result and the admission it leaves behind. */
export function decide(state: AdmissionState, at: number): Decision {
  const refusal = refusalOf(state, at);
  if (refusal) return { result: refusal, after: state };
  return {
    result: 'success',
    after: { ...state, usagesCount: state.usagesCount + 1, status: state.type === 'single' ? 'used' : state.status },
  };
}

/** The status a person sees: an active pass past validUntil reads as expired (as the passes service derives it). */
export function displayStatusOf(state: Pick<AdmissionState, 'status' | 'validUntil'>, at: number): AdmissionStatus | 'expired' {
  if (state.status === 'active' && state.validUntil !== null && state.validUntil < at) return 'expired';
  return state.status;
}
