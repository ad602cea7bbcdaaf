import type { AdmissionState, RedemptionResult } from '@passway/rules';

/** One pass as the device keeps it: the scan rules plus what the result screen shows. No raw code. */
export interface LocalAdmission extends AdmissionState {
  codeHash: string;
  passId: string;
  eventId: string;
  name: string | null;
  holderName: string | null;
}

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
  holderName?: string | null;
}

const DB_NAME = 'passway-door';
const DB_VERSION = 1;
const CHUNK = 2_000;

/** The door's IndexedDB: admissions by code hash, scans by nonce, and a small key-value meta store. */
export class LocalStore {
  private constructor(private readonly db: IDBDatabase) {}

  static open(): Promise<LocalStore> {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        const admissions = db.createObjectStore('admissions', { keyPath: 'codeHash' });
        admissions.createIndex('passId', 'passId', { unique: true });
        admissions.createIndex('eventId', 'eventId');
        const scans = db.createObjectStore('scans', { keyPath: 'nonce' });
        scans.createIndex('state', 'state');
        db.createObjectStore('meta');
      };
      request.onsuccess = () => resolve(new LocalStore(request.result));
      request.onerror = () => reject(request.error);
    });
  }

  /** Applies feed rows in ~2k-row transactions (one transaction per row would be ~25× slower). */
  async putAdmissions(rows: LocalAdmission[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const tx = this.db.transaction('admissions', 'readwrite');
      const store = tx.objectStore('admissions');
      for (const row of rows.slice(i, i + CHUNK)) {
        // A pass's code never changes, but a row found under its passId with another hash is replaced.
        store.put(row);
      }
      await done(tx);
    }
  }

  async admission(codeHash: string): Promise<LocalAdmission | undefined> {
    return request(this.db.transaction('admissions').objectStore('admissions').get(codeHash));
  }

  async admissionsOf(eventId: string): Promise<LocalAdmission[]> {
    return request(this.db.transaction('admissions').objectStore('admissions').index('eventId').getAll(eventId));
  }

  async addScan(scan: LocalScan): Promise<void> {
    const tx = this.db.transaction('scans', 'readwrite');
    tx.objectStore('scans').put(scan);
    await done(tx);
  }

  async scans(state?: ScanState): Promise<LocalScan[]> {
    const store = this.db.transaction('scans').objectStore('scans');
    const rows: LocalScan[] = await request(state ? store.index('state').getAll(state) : store.getAll());
    return rows.sort((a, b) => a.scannedAt.localeCompare(b.scannedAt));
  }

  async putScans(scans: LocalScan[]): Promise<void> {
    const tx = this.db.transaction('scans', 'readwrite');
    for (const scan of scans) tx.objectStore('scans').put(scan);
    await done(tx);
  }

  async meta<T>(key: string): Promise<T | undefined> {
    return request(this.db.transaction('meta').objectStore('meta').get(key));
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    const tx = this.db.transaction('meta', 'readwrite');
    tx.objectStore('meta').put(value, key);
    await done(tx);
  }

  /** Forgets the offline copy, the device and its cursors; scans stay (a revoked device keeps its pending ones for an export). */
  async wipeAdmissions(): Promise<void> {
    const tx = this.db.transaction(['admissions', 'meta'], 'readwrite');
    tx.objectStore('admissions').clear();
    tx.objectStore('meta').clear();
    await done(tx);
  }
}

/** A write the browser refused for lack of space (QuotaExceededError), told apart so the app can explain it. */
export function isStorageFull(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED');
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
