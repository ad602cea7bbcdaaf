import type { CheckInMethod } from '../../contracts/scans/scan.dto';
import type { ScanChannel, ScanResult } from '../../contracts/scans/scan.view';

/** A flat scan record, the shape `/triggers?event=pass.scanned` returns. Emitted for every scan, success or not. */
export interface PassScannedValue {
  id: string;
  passId: string;
  code: string;
  passName: string | null;
  /** The holder's name (the pass's client), or null. */
  holderName: string | null;
  passType: 'single' | 'multi';
  success: boolean;
  result: ScanResult;
  /** After this scan. */
  usagesCount: number;
  maxUsages: number | null;
  /** Stored status after this scan: a single pass's first success makes it `used`. */
  passStatus: string;
  scannedAt: string;
  /** `offline` for scans uploaded later in a batch (scannedAt is then the scanner's clock). */
  channel: ScanChannel;
  /** How the pass was checked in: `qr_scan`, `manual`, or `self_service`. */
  method: CheckInMethod;
  /** The pass's event (attendee group), or null. */
  eventId: string | null;
  /**
   * The version of the pass's usage counter after this scan: it goes up at every redemption and
   * every undo, so copies of the counter are ordered by it (the count alone goes down on an undo).
   * Internal: webhooks and /triggers leave it out. Absent on events from before undo existed, where
   * it equals usagesCount.
   */
  tallyVersion?: number;
}
