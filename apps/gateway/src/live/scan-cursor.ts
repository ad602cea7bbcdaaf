/**
 * Where a live stream stands on the pass-events topic: the last offset it has seen in each
 * partition. It is the SSE `id` of every message ("0:12,1:40,…"), so a reconnect (Last-Event-ID,
 * or ?lastEventId=) tells any gateway exactly what the browser already has.
 */
export type ScanCursor = Map<number, bigint>;

export function formatCursor(cursor: ScanCursor): string {
  return [...cursor.entries()]
    .sort(([a], [b]) => a - b)
    .map(([partition, offset]) => `${partition}:${offset}`)
    .join(',');
}

/** null for anything that is not a cursor (then the stream starts from now). */
export function parseCursor(text: string | undefined | null): ScanCursor | null {
  if (!text || text.length > 2000 || !/^(\d{1,4}:-?\d{1,19})(,\d{1,4}:-?\d{1,19})*$/.test(text)) return null;
  const cursor: ScanCursor = new Map();
  for (const part of text.split(',')) {
    const [partition, offset] = part.split(':');
    cursor.set(Number(partition), BigInt(offset));
  }
  return cursor;
}
