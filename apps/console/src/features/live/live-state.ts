/** The live dashboard's state: a snapshot from REST, then one scan at a time from the stream. */
export interface LiveScanItem {
  id: string;
  code: string;
  passName: string | null;
  result: string;
  success: boolean;
  scannedAt: string;
  method: string;
}

export interface LiveState {
  attendees: number;
  checkedIn: number;
  byResult: Record<string, number>;
  recent: LiveScanItem[];
  seen: Set<string>;
}

export const RECENT_LIMIT = 50;

/** Applies one scan; a scan already counted (same id, e.g. replayed after a reconnect) changes nothing. */
export function applyScan(state: LiveState, scan: LiveScanItem & { usagesCount?: number }): LiveState {
  if (state.seen.has(scan.id)) return state;
  const seen = new Set(state.seen).add(scan.id);
  const firstCheckIn = scan.success && (scan.usagesCount === undefined || scan.usagesCount === 1);
  return {
    attendees: state.attendees,
    checkedIn: state.checkedIn + (firstCheckIn ? 1 : 0),
    byResult: { ...state.byResult, [scan.result]: (state.byResult[scan.result] ?? 0) + 1 },
    recent: [scan, ...state.recent].slice(0, RECENT_LIMIT),
    seen,
  };
}

/** Successful check-ins per 5 minutes over the last hour, oldest first. */
export function perFiveMinutes(scans: LiveScanItem[], now = Date.now()): { start: number; count: number }[] {
  const bucket = 5 * 60_000;
  const end = Math.floor(now / bucket) * bucket;
  const buckets = Array.from({ length: 12 }, (_, index) => ({ start: end - (11 - index) * bucket, count: 0 }));
  for (const scan of scans) {
    if (!scan.success) continue;
    const at = Math.floor(Date.parse(scan.scannedAt) / bucket) * bucket;
    const found = buckets.find((entry) => entry.start === at);
    if (found) found.count += 1;
  }
  return buckets;
}
