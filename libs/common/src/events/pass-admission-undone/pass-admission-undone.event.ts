/**
 * Door staff took back an admission (`POST /scans/:scanId/undo`): the pass's usage counter went
 * down by one, and a single pass that the admission had made `used` is `active` again. On the scan
 * topic, keyed by the pass id, so it stays in order with the pass's `pass.scanned` events.
 */
export interface PassAdmissionUndoneValue {
  /** The admission (the successful scan) that was undone. */
  scanId: string;
  passId: string;
  code: string;
  passName: string | null;
  holderName: string | null;
  passType: 'single' | 'multi';
  /** After the undo. */
  usagesCount: number;
  maxUsages: number | null;
  /** Stored status after the undo. */
  passStatus: string;
  /** The version of the usage counter after the undo (see PassScannedValue.tallyVersion). */
  tallyVersion: number;
  reason: string;
  /** When the undone admission was scanned, and when it was undone. */
  scannedAt: string;
  undoneAt: string;
  /** The key that undid it (a device or an API key), or null for a console session. */
  apiKeyId: string | null;
  eventId: string | null;
}
