import { PassType } from '../passes/pass.view';
import type { CheckInMethod } from './scan.dto';

/**
 * `offline`: the scans service could not vouch for the pass (its projection is behind and the
 * passes service did not answer), so it refused rather than admit on stale data; try again.
 */
export const SCAN_RESULTS = [
  'success',
  'revoked',
  'already_used',
  'not_yet_valid',
  'expired',
  'max_usages_reached',
  'event_suspended',
  'offline',
] as const;
export type ScanResult = (typeof SCAN_RESULTS)[number];

/** How a scan reached the service: live at the door, or later in an offline scanner's batch. */
export type ScanChannel = 'online' | 'offline';

/** The outcome of one redemption attempt, as the scans service returns it. */
export interface ScanOutcome {
  success: boolean;
  result: ScanResult;
  pass: {
    id: string;
    code: string;
    name: string | null;
    type: PassType;
    /** Stored status after the scan (`used` once a single pass is redeemed); `expired` when past validUntil. */
    status: string;
    usagesCount: number;
    maxUsages: number | null;
  };
  scan: { id: string; scannedAt: string };
}

/** One item of a batch answer: the outcome, or why the item could not be applied. */
export type BatchItemOutcome =
  | (ScanOutcome & { nonce: string; replayed: boolean })
  | { nonce: string; success: false; result: 'not_found'; error: string; pass: null; scan: null; replayed: false };

/** What the scans service knows about an event's scans (`GET /events/:id/stats` combines it with the passes service's counts). */
export interface EventScanStatsView {
  /** Every recorded scan of the event's passes, by result (results with no scans are left out). */
  scansByResult: Record<string, number>;
  /** Successful check-ins per UTC hour, oldest first; hours without any are left out. */
  byHour: { hour: string; scans: number }[];
}

/** A recorded scan, as history lists return it. */
export interface ScanRecordView {
  id: string;
  passId: string;
  code: string;
  /** The pass's holder, as the scans service knows them. */
  holderName: string | null;
  success: boolean;
  result: ScanResult;
  channel: ScanChannel;
  /** How the pass was checked in: `qr_scan`, `manual`, or `self_service`. */
  method: CheckInMethod;
  /** The API key that made the scan (null for the self-service page). */
  apiKeyId: string | null;
  nonce: string | null;
  usagesCount: number;
  passStatus: string;
  scannedAt: string;
  recordedAt: string;
  /** When door staff took this admission back (`POST /scans/:scanId/undo`), and why; null otherwise. */
  undoneAt: string | null;
  undoReason: string | null;
}

/** The answer of `POST /scans/:scanId/undo`: the pass after the undo, and the undone admission. */
export interface UndoOutcome {
  pass: ScanOutcome['pass'];
  scan: { id: string; scannedAt: string; undoneAt: string; reason: string };
}
