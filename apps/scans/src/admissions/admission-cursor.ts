import { invalidArgument } from '@passway/common';

/**
 * Where a door device is in an event's admissions feed. Rows carry the id of the transaction that
 * last changed them (`change_xid`); a delta is every visible row with `change_xid >= from`, read
 * in (change_xid, pass_id) order, page by page after `after`.
 *
 * `next` is the watermark of the snapshot the delta's first page was read with (the oldest
 * transaction of this database still running then): every transaction below it had finished, so
 * its rows were visible then or are in a later page; one at or above it may still have been
 * running, so the next delta starts there again. A row may thus come twice (a device applies it
 * idempotently), but none is ever skipped, however commits and pages interleave.
 */
export interface AdmissionCursor {
  from: string;
  next: string;
  after: { xid: string; passId: string } | null;
}

const XID = /^\d{1,20}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(cursor: AdmissionCursor): string {
  const parts = [cursor.from, cursor.next, ...(cursor.after ? [cursor.after.xid, cursor.after.passId] : [])];
  return Buffer.from(parts.join('.')).toString('base64url');
}

export function decodeCursor(text: string): AdmissionCursor {
  const parts = Buffer.from(text, 'base64url').toString('utf8').split('.');
  const valid =
    (parts.length === 2 || parts.length === 4) &&
    XID.test(parts[0]) &&
    XID.test(parts[1]) &&
    (parts.length === 2 || (XID.test(parts[2]) && UUID.test(parts[3])));
  if (!valid) throw invalidArgument('since must be a cursor this endpoint returned', 'invalid_cursor');
  return { from: parts[0], next: parts[1], after: parts.length === 4 ? { xid: parts[2], passId: parts[3] } : null };
}
