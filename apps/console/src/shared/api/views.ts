/**
 * Response shapes of routes whose OpenAPI response schema is not declared yet (the SDK types them
 * as `never`). Each mirrors the view in libs/common/src/contracts; remove an entry once its route
 * declares its response (@ApiOkResponse) and use the SDK's type instead.
 */
export interface EventView {
  id: string;
  name: string;
  slug: string;
  startsAt: string;
  endsAt: string | null;
  venue: string | null;
  status: 'active' | 'suspended';
  attendeeFields: AttendeeFieldView[];
  branding: BrandingView;
}

export interface AttendeeFieldView {
  key: string;
  label?: string | null;
  required: boolean;
}

export interface BrandingView {
  primaryColor: string | null;
  backgroundColor: string | null;
  textColor: string | null;
  logoUrl: string | null;
}

export interface EventStatsView {
  attendees: number;
  checkedIn: number;
  checkInRate: number;
  scansByResult: Record<string, number>;
  byHour: { hour: string; scans: number }[];
  scansAvailable: boolean;
}

export interface ScanRecordView {
  id: string;
  passId: string;
  code: string;
  holderName: string | null;
  success: boolean;
  result: string;
  method: string;
  scannedAt: string;
  /** When door staff took this admission back (POST /scans/:scanId/undo), or null. */
  undoneAt: string | null;
}

export interface LedgerEntryView {
  id: string;
  delta: number;
  balanceAfter: number | null;
  reason: string;
  createdAt: string;
}

export interface PassEmailView {
  id: string;
  subject: string;
  status: string;
  createdAt: string;
}
