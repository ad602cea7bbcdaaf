import { decide, type AdmissionState, type RedemptionResult } from '@passway/rules';
import { countsAsUse, type LocalAdmission, type LocalScan } from './local-store';

/**
 * The admission as it stands on this device: the server's copy plus this device's own scans that
 * the server has not counted yet (pending uploads, less any undone here). Effective uses = server uses + pending ones.
 */
export function effectiveState(admission: LocalAdmission, pending: LocalScan[], eventSuspended: boolean): AdmissionState {
  let state: AdmissionState = { ...admission, eventSuspended };
  for (const scan of pending) {
    if (scan.codeHash === admission.codeHash && countsAsUse(scan)) {
      state = { ...state, usagesCount: state.usagesCount + 1, status: state.type === 'single' ? 'used' : state.status };
    }
  }
  return state;
}

/** The offline decision: the shared redemption rules (libs/common), applied to the effective state. */
export function decideLocally(
  admission: LocalAdmission,
  pending: LocalScan[],
  eventSuspended: boolean,
  at: number,
): { result: RedemptionResult; after: AdmissionState } {
  return decide(effectiveState(admission, pending, eventSuspended), at);
}
