import { PassType, PassView, RedemptionRules, ScanResult } from '@passway/common';

/** Statuses the projection stores; `expired` is derived from validUntil at the moment of a scan. */
export type AdmissionStatus = 'active' | 'used' | 'revoked';

/** A pass's scan rules plus its live usage counter: one row of scans.admissions. */
export interface Admission {
  passId: string;
  tenantId: string;
  code: string;
  name: string | null;
  type: PassType;
  status: AdmissionStatus;
  validFrom: Date | null;
  validUntil: Date | null;
  maxUsages: number | null;
  usagesCount: number;
  eventId: string | null;
  /** True when the pass's event is suspended (as far as the projection has seen). */
  eventSuspended: boolean;
}

export interface AdmissionRow {
  pass_id: string;
  tenant_id: string;
  code: string;
  name: string | null;
  type: PassType;
  status: AdmissionStatus;
  valid_from: Date | null;
  valid_until: Date | null;
  max_usages: number | null;
  usages_count: number;
  event_id: string | null;
  event_suspended: boolean;
}

export const ADMISSION_COLUMNS =
  'pass_id, tenant_id, code, name, type, status, valid_from, valid_until, max_usages, usages_count, event_id';
/** ADMISSION_COLUMNS of scans.admissions `a` plus whether its event is suspended. */
export const ADMISSION_SELECT = `SELECT a.pass_id, a.tenant_id, a.code, a.name, a.type, a.status, a.valid_from, a.valid_until, a.max_usages,
       a.usages_count, a.event_id, coalesce(e.status = 'suspended', false) AS event_suspended
  FROM scans.admissions a LEFT JOIN scans.events e ON e.id = a.event_id`;

export function toAdmission(row: AdmissionRow): Admission {
  return {
    passId: row.pass_id,
    tenantId: row.tenant_id,
    code: row.code,
    name: row.name,
    type: row.type,
    status: row.status,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    maxUsages: row.max_usages,
    usagesCount: row.usages_count,
    eventId: row.event_id ?? null,
    eventSuspended: row.event_suspended === true,
  };
}

/** The passes service publishes the derived status; `expired` is an active pass past validUntil. */
export function storedStatusOf(view: Pick<PassView, 'status'>): AdmissionStatus {
  return view.status === 'expired' ? 'active' : view.status;
}

/** The shared rules' view of an admission (libs/common redemption-rules, also run by the door app offline). */
export function ruleStateOf(admission: Admission): RedemptionRules.AdmissionState {
  return {
    type: admission.type,
    status: admission.status,
    validFrom: admission.validFrom ? admission.validFrom.getTime() : null,
    validUntil: admission.validUntil ? admission.validUntil.getTime() : null,
    maxUsages: admission.maxUsages,
    usagesCount: admission.usagesCount,
    eventSuspended: admission.eventSuspended,
  };
}

/**
 * Why a pass cannot be admitted at `at`, or null when it can: the shared redemption rules. The
 * redemption UPDATE's WHERE clause (redemption.repository.ts, REDEEM_SQL) is the same rule in SQL.
 */
export function refusalOf(admission: Admission, at: Date): Exclude<ScanResult, 'success'> | null {
  return RedemptionRules.refusalOf(ruleStateOf(admission), at.getTime());
}

/** The status a client sees, as the passes service derives it: active past validUntil reads as expired. */
export function displayStatus(admission: Admission, at: Date): string {
  return RedemptionRules.displayStatusOf(ruleStateOf(admission), at.getTime());
}
