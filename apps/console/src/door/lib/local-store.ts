import type { RedemptionResult } from '@passway/rules';
import { AdmissionBucket, bucketKey, LocalAdmission, packBucket, unpackBucket } from './admission-bucket';

export type { LocalAdmission } from './admission-bucket';

export type ScanState = 'pending' | 'synced' | 'refused';

/** A scan made on this device. Offline ones wait here (pending) until the batch upload answers. */
export interface LocalScan {
  nonce: string;
  code: string;
  codeHash: string;
  eventId: string | null;
  method: 'qr_scan' | 'manual';
  scannedAt: string;
  /** What the device decided (offline) or the server answered (online). */
  result: RedemptionResult | 'not_found';
  offline: boolean;
  state: ScanState;
  /** The server's answer to an uploaded offline scan, when it differs from the device's. */
  serverResult?: string;
  /** The server's record of the scan, once uploaded. */
  serverScanId?: string | null;
  holderName?: string | null;
  /** An offline admission taken back on this device: the undo goes up right after the scan. */
  undo?: { reason: string; state: 'waiting' | 'done' | 'refused'; refusal?: string };
}

/** Whether the server's copy counts the admission as checked in. */
export function isCheckedIn(admission: LocalAdmission): boolean {
  return admission.usagesCount > 0 || admission.status === 'used';
}

/** Whether a scan still counts as a use on this device (an undone admission does not). */
export function countsAsUse(scan: LocalScan): boolean {
  return scan.result === 'success' && scan.undo === undefined;
}

const DB_NAME = 'passway-door';
/** 2: admissions packed into buckets (version 1 kept one record per admission). */
const DB_VERSION = 2;

/**
 * The door's IndexedDB: the offline copy in packed buckets, scans by nonce, and a small key-value
 * meta store. The offline copy is also held in memory (a Map by code hash), read once at start:
 * an offline decision is a Map lookup, and counting or searching 50,000 admissions needs no disk.
 */
export class LocalStore {
  private readonly byHash = new Map<string, LocalAdmission>();
  private readonly buckets = new Map<string, Map<string, LocalAdmission>>();
  private readonly unsaved = new Set<string>();
  /** The meta store and the pending scans, mirrored: an offline decision reads neither from disk. */
  private readonly metaValues = new Map<string, unknown>();
  private readonly pending = new Map<string, LocalScan>();
  /** Per event: admissions not revoked, and those of them checked in (kept as rows come and go). */
  private readonly tallies = new Map<string, { total: number; checkedIn: number }>();

  private constructor(private readonly db: IDBDatabase) {}

  static async open(): Promise<LocalStore> {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = (change) => {
        const db = request.result;
        if (change.oldVersion < 1) {
          const scans = db.createObjectStore('scans', { keyPath: 'nonce' });
          scans.createIndex('state', 'state');
          db.createObjectStore('meta');
        }
        if (change.oldVersion === 1) {
          // The old copy goes, and with it the cursors that would skip the rows it held: a full download follows.
          db.deleteObjectStore('admissions');
          const meta = request.transaction!.objectStore('meta');
          meta.delete('syncedAt');
          meta.delete(IDBKeyRange.bound('cursor:', 'cursor:\uffff'));
        }
        db.createObjectStore('admissionBuckets', { keyPath: 'key' });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const store = new LocalStore(db);
    const tx = db.transaction(['admissionBuckets', 'meta', 'scans']);
    const meta = tx.objectStore('meta');
    const [buckets, metaKeys, metaValues, pending] = await Promise.all([
      request<AdmissionBucket[]>(tx.objectStore('admissionBuckets').getAll()),
      request(meta.getAllKeys()),
      request(meta.getAll()),
      request<LocalScan[]>(tx.objectStore('scans').index('state').getAll('pending')),
    ]);
    for (const bucket of buckets) store.hold(unpackBucket(bucket));
    store.unsaved.clear();
    metaKeys.forEach((key, i) => store.metaValues.set(String(key), metaValues[i]));
    for (const scan of pending) store.pending.set(scan.nonce, scan);
    return store;
  }

  /** Changes the copy in memory at once; on disk with the next save(). */
  hold(rows: readonly LocalAdmission[]): void {
    for (const row of rows) {
      const key = bucketKey(row);
      let bucket = this.buckets.get(key);
      if (!bucket) this.buckets.set(key, (bucket = new Map()));
      const before = bucket.get(row.codeHash);
      if (before) this.count(before, -1);
      this.count(row, 1);
      bucket.set(row.codeHash, row);
      this.byHash.set(row.codeHash, row);
      this.unsaved.add(key);
    }
  }

  /** Checked-in and total of one event's copy, without walking it. */
  tally(eventId: string): { total: number; checkedIn: number } {
    return { ...(this.tallies.get(eventId) ?? { total: 0, checkedIn: 0 }) };
  }

  private count(admission: LocalAdmission, sign: 1 | -1): void {
    if (admission.status === 'revoked') return;
    let tally = this.tallies.get(admission.eventId);
    if (!tally) this.tallies.set(admission.eventId, (tally = { total: 0, checkedIn: 0 }));
    tally.total += sign;
    if (isCheckedIn(admission)) tally.checkedIn += sign;
  }

  /**
   * Writes the changed buckets and the given meta entries in one transaction, so a feed cursor is
   * saved only with the rows it moved past. Rejects with QuotaExceededError on a full disk.
   */
  async save(meta: Record<string, unknown> = {}): Promise<void> {
    const tx = this.db.transaction(['admissionBuckets', 'meta'], 'readwrite');
    const buckets = tx.objectStore('admissionBuckets');
    for (const key of this.unsaved) {
      const rows = [...this.buckets.get(key)!.values()];
      buckets.put(packBucket(key, rows[0].eventId, rows));
    }
    for (const [key, value] of Object.entries(meta)) tx.objectStore('meta').put(value, key);
    await done(tx);
    this.unsaved.clear();
    for (const [key, value] of Object.entries(meta)) this.metaValues.set(key, value);
  }

  async putAdmissions(rows: readonly LocalAdmission[]): Promise<void> {
    this.hold(rows);
    await this.save();
  }

  admission(codeHash: string): LocalAdmission | undefined {
    return this.byHash.get(codeHash);
  }

  *admissionsOf(eventId: string): Iterable<LocalAdmission> {
    for (const [key, bucket] of this.buckets) if (key.startsWith(`${eventId}/`)) yield* bucket.values();
  }

  async addScan(scan: LocalScan): Promise<void> {
    await this.putScans([scan]);
  }

  async scans(state?: ScanState): Promise<LocalScan[]> {
    if (state === 'pending') return [...this.pending.values()].sort(byScannedAt);
    const store = this.db.transaction('scans').objectStore('scans');
    const rows: LocalScan[] = await request(state ? store.index('state').getAll(state) : store.getAll());
    return rows.sort(byScannedAt);
  }

  async putScans(scans: LocalScan[]): Promise<void> {
    const tx = this.db.transaction('scans', 'readwrite');
    for (const scan of scans) tx.objectStore('scans').put(scan);
    await done(tx);
    for (const scan of scans) {
      if (scan.state === 'pending') this.pending.set(scan.nonce, scan);
      else this.pending.delete(scan.nonce);
    }
  }

  async meta<T>(key: string): Promise<T | undefined> {
    return this.metaValues.get(key) as T | undefined;
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    const tx = this.db.transaction('meta', 'readwrite');
    tx.objectStore('meta').put(value, key);
    await done(tx);
    this.metaValues.set(key, value);
  }

  /** Forgets the offline copy, the device and its cursors; scans stay (a revoked device keeps its pending ones for an export). */
  async wipeAdmissions(): Promise<void> {
    this.byHash.clear();
    this.buckets.clear();
    this.tallies.clear();
    this.unsaved.clear();
    this.metaValues.clear();
    const tx = this.db.transaction(['admissionBuckets', 'meta'], 'readwrite');
    tx.objectStore('admissionBuckets').clear();
    tx.objectStore('meta').clear();
    await done(tx);
  }
}

/** A write the browser refused for lack of space (QuotaExceededError), told apart so the app can explain it. */
export function isStorageFull(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED');
}

function byScannedAt(a: LocalScan, b: LocalScan): number {
  return a.scannedAt.localeCompare(b.scannedAt);
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException('transaction aborted', 'AbortError'));
  });
}
