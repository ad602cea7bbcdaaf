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
