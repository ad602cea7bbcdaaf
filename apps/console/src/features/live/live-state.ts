/** The live dashboard's state: a snapshot from REST, then one scan (or undo) at a time from the stream. */
export interface LiveScanItem {
  id: string;
  code: string;
  passName: string | null;
  holderName: string | null;
  result: string;
  success: boolean;
  scannedAt: string;
  method: string;
  undoneAt?: string | null;
}

/** What the stream's `undo` message carries (pass.admission_undone) that the dashboard uses. */
export interface LiveUndo {
  scanId: string;
  /** The pass's uses after the undo: 0 means it is no longer checked in. */
  usagesCount: number;
  undoneAt: string;
}

export interface LiveState {
  attendees: number;
  checkedIn: number;
  byResult: Record<string, number>;
  recent: LiveScanItem[];
  seen: Set<string>;
  /** Admissions taken back, by scan id: an undo replayed after a reconnect changes nothing. */
  undone: Set<string>;
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
    undone: state.undone,
  };
}

/** Applies an undone admission: the pass leaves the checked-in count when it has no use left, and its row says so. */
export function applyUndo(state: LiveState, undo: LiveUndo): LiveState {
  if (state.undone.has(undo.scanId)) return state;
  return {
    ...state,
    checkedIn: Math.max(0, state.checkedIn - (undo.usagesCount === 0 ? 1 : 0)),
    recent: state.recent.map((scan) => (scan.id === undo.scanId ? { ...scan, undoneAt: undo.undoneAt } : scan)),
    undone: new Set(state.undone).add(undo.scanId),
  };
}

/** Successful check-ins (not undone) per 5 minutes over the last hour, oldest first. */
export function perFiveMinutes(scans: LiveScanItem[], now = Date.now()): { start: number; count: number }[] {
  const bucket = 5 * 60_000;
  const end = Math.floor(now / bucket) * bucket;
  const buckets = Array.from({ length: 12 }, (_, index) => ({ start: end - (11 - index) * bucket, count: 0 }));
  for (const scan of scans) {
    if (!scan.success || scan.undoneAt) continue;
    const at = Math.floor(Date.parse(scan.scannedAt) / bucket) * bucket;
    const found = buckets.find((entry) => entry.start === at);
    if (found) found.count += 1;
  }
  return buckets;
}
