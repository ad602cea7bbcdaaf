export const PASS_TYPES = ['single', 'multi'] as const;
export type PassType = (typeof PASS_TYPES)[number];

/** `expired` is never stored: an active pass past its validUntil reads as expired. */
export const PASS_STATUSES = ['active', 'used', 'expired', 'revoked'] as const;
export type PassStatus = (typeof PASS_STATUSES)[number];

export interface PassField {
  key: string;
  value: string;
  isPublic: boolean;
}

export interface PassClientView {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
}

/** A pass as `GET /passes/:id` returns it (plus the tenant-owned ids it refers to). */
export interface PassView {
  id: string;
  tenantId: string;
  code: string;
  name: string | null;
  note: string | null;
  type: PassType;
  status: PassStatus;
  usagesCount: number;
  /**
   * Internal (events and gRPC only; the REST presenters leave it out): the version of the scans
   * service's usage counter that usagesCount reflects. It rises at every redemption and undo, so
   * the scans projection can tell an older copy of the count from a newer one. Absent means equal
   * to usagesCount (older events).
   */
  tallyVersion?: number;
  maxUsages: number | null;
  validFrom: string | null;
  validUntil: string | null;
  fields: PassField[];
  client: PassClientView | null;
  templateId: string | null;
  locationId: string | null;
  eventId: string | null;
  publicUrl: string;
  createdAt: string;
  updatedAt: string;
}
