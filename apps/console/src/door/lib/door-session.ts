import { isPassCode, normalizePassCode, type RedemptionResult } from '@passway/rules';
import type { PasswayClient, Schemas } from '@passway/sdk';
import { codeHash } from './code-hash';
import { Connectivity } from './connectivity';
import { ApiAnswerError, DeviceRevokedError, OfflineError } from './door-api';
import { countsAsUse, isCheckedIn, isStorageFull, LocalAdmission, LocalScan, LocalStore } from './local-store';
import { decideLocally } from './offline-decision';

/** Where a code came from: a hardware scanner sends bursts, a camera sees a code for seconds. */
export type ScanSource = 'camera' | 'wedge' | 'manual';
/** The same code is ignored this long after a scan (pretix: 5 s camera, 2.5 s hardware). */
export const SAME_CODE_GUARD_MS: Record<ScanSource, number> = { camera: 5_000, wedge: 2_500, manual: 0 };
const BATCH_SIZE = 500;
const FEED_PAGE = 5_000;

export type Verdict = RedemptionResult | 'not_found' | 'not_passway' | 'cant_verify';

export interface ScanOutcome {
  verdict: Verdict;
  code: string;
  offline: boolean;
  holderName: string | null;
  passName: string | null;
  passType: 'single' | 'multi' | null;
  usagesCount: number | null;
  maxUsages: number | null;
  validFrom: number | null;
  validUntil: number | null;
  at: number;
  /** The server's record of an online scan (what an undo names); null offline. */
  scanId: string | null;
  /** An offline scan's nonce (its name on this device until it is uploaded); null online. */
  nonce: string | null;
}

/** The last admission this device made: the one "Undo last admission" takes back. */
export interface LastAdmission {
  /** Set once the server recorded the admission; an offline one not uploaded yet has only its nonce. */
  scanId: string | null;
  /** Set for an admission made offline (kept after its upload, for the recent list). */
  nonce: string | null;
  code: string;
  holderName: string | null;
  passName: string | null;
  at: number;
}

export interface DeviceProfile {
  apiKey: string;
  deviceId: string;
  deviceName: string;
  tenantName: string;
  events: { id: string; name: string; status: string }[];
}

export interface SyncReport {
  at: number;
  uploaded: number;
  pending: number;
  /** Every uploaded scan the server refused, with the device's own verdict beside it. */
  refused: LocalScan[];
  /** Offline admissions undone here whose undo the server refused (the pass was admitted again elsewhere since). */
  undoRefused: LocalScan[];
}

/** Everything the door does besides drawing: the scan pipeline, the offline copy and the sync. */
export class DoorSession {
  private lastSeen = new Map<string, number>();
  private lastSync: SyncReport | null = null;
  private admitted: LastAdmission | null = null;

  constructor(
    readonly store: LocalStore,
    readonly api: PasswayClient,
    readonly connectivity: Connectivity,
    readonly profile: DeviceProfile,
  ) {}

  get eventIds(): string[] {
    return this.profile.events.map((event) => event.id);
  }

  get report(): SyncReport | null {
    return this.lastSync;
  }

  /** The admission "Undo last admission" would take back, if any. */
  get lastAdmission(): LastAdmission | null {
    return this.admitted;
  }

  /**
   * Takes back this device's last admission with a reason (`POST /scans/:scanId/undo`: the server
   * lowers the pass's count, frees a single pass, and audit-logs it). The offline copy follows.
   * An offline admission not uploaded yet is undone here at once and its undo waits with it: the
   * next sync uploads the scan, then the undo. Throws ApiAnswerError with the server's code, e.g.
   * 409 not_last_admission when the pass was admitted again since (by another door).
   */
  async undoLastAdmission(reason: string): Promise<LastAdmission> {
    const last = this.admitted;
    if (!last) throw new Error('There is no admission to undo.');
    if (last.scanId === null) {
      const scan = (await this.store.scans('pending')).find((pending) => pending.nonce === last.nonce);
      if (!scan) throw new Error('There is no admission to undo.');
      await this.store.putScans([{ ...scan, undo: { reason, state: 'waiting' } }]);
      this.admitted = null;
      return last;
    }
    const { data } = await this.api.POST('/api/v1/scans/{scanId}/undo', {
      params: { path: { scanId: last.scanId } },
      body: { reason },
    });
    const answer = data as unknown as { pass: NonNullable<ScanAnswer['pass']> };
    this.admitted = null;
    const local = this.store.admission(await codeHash(last.code));
    if (local) {
      const status = answer.pass.status === 'expired' ? 'active' : (answer.pass.status as LocalAdmission['status']);
      await this.store.putAdmissions([{ ...local, status, usagesCount: answer.pass.usagesCount }]).catch(() => undefined);
    }
    return last;
  }

  /**
   * One code from the camera, a hardware scanner or manual entry. Returns null when the same code
   * was just handled (ignored). Not a Passway code: answered without a request.
   */
  async scan(
    raw: string,
    source: ScanSource,
    method: 'qr_scan' | 'manual' = source === 'manual' ? 'manual' : 'qr_scan',
  ): Promise<ScanOutcome | null> {
    const code = normalizePassCode(raw);
    const now = Date.now();
    const guard = SAME_CODE_GUARD_MS[source];
    const seen = this.lastSeen.get(code);
    if (guard > 0 && seen !== undefined && now - seen < guard) return null;
    this.lastSeen.set(code, now);
    if (!isPassCode(code)) return blank('not_passway', code, false, now);

    if (this.connectivity.mode === 'online') {
      try {
        return await this.scanOnline(code, method, now);
      } catch (error) {
        if (!(error instanceof OfflineError)) throw error;
      }
    }
    return this.scanOffline(code, method, now);
  }

  private async scanOnline(code: string, method: 'qr_scan' | 'manual', at: number): Promise<ScanOutcome> {
    try {
      const { data } = await this.api.POST('/api/v1/scan', { body: { code, method } });
      const answer = data as unknown as ScanAnswer;
      if (!answer.pass) return blank('not_found', code, false, at);
      const scanId = answer.scan?.id ?? null;
      // The scans service could not confirm the pass (its copy lags and the passes service is away).
      if (answer.result === 'offline') return blank('cant_verify', code, false, at);
      const local = this.store.admission(await codeHash(code));
      if (local) {
        // Keep the offline copy as current as the answer (the next delta confirms it): in memory
        // now, on disk without holding up the result.
        const status = answer.pass.status === 'expired' ? 'active' : (answer.pass.status as LocalAdmission['status']);
        void this.store.putAdmissions([{ ...local, status, usagesCount: answer.pass.usagesCount }]).catch(() => undefined);
      }
      if (answer.success && scanId) {
        this.admitted = { scanId, nonce: null, code, holderName: local?.holderName ?? null, passName: answer.pass.name ?? null, at };
      }
      return {
        scanId,
        nonce: null,
        verdict: answer.result as RedemptionResult,
        code,
        offline: false,
        holderName: local?.holderName ?? null,
        passName: answer.pass.name ?? null,
        passType: answer.pass.type as 'single' | 'multi',
        usagesCount: answer.pass.usagesCount,
        maxUsages: answer.pass.maxUsages ?? null,
        validFrom: local?.validFrom ?? null,
        validUntil: local?.validUntil ?? null,
        at,
      };
    } catch (error) {
      if (error instanceof ApiAnswerError && error.status === 404) return blank('not_found', code, false, at);
      throw error;
    }
  }

  /** The shared rules on the local copy; the scan is queued with a nonce for the next upload. */
  private async scanOffline(code: string, method: 'qr_scan' | 'manual', at: number): Promise<ScanOutcome> {
    if (!(await this.store.meta<string>('syncedAt'))) return blank('cant_verify', code, true, at);
    const hash = await codeHash(code);
    const admission = this.store.admission(hash);
    const inScope = admission && this.eventIds.includes(admission.eventId);
    const pending = await this.store.scans('pending');
    const suspended = inScope ? (await this.store.meta<string>(`eventStatus:${admission.eventId}`)) === 'suspended' : false;
    const decision = inScope ? decideLocally(admission, pending, suspended, at) : null;
    const verdict: Verdict = decision ? decision.result : 'not_found';
    const nonce = `door-${crypto.randomUUID()}`;
    await this.store.addScan({
      nonce,
      code,
      codeHash: hash,
      eventId: admission?.eventId ?? null,
      method,
      scannedAt: new Date(at).toISOString(),
      result: verdict as LocalScan['result'],
      offline: true,
      state: 'pending',
      holderName: admission?.holderName ?? null,
    });
    if (!decision || !admission) return blank(verdict, code, true, at);
    if (verdict === 'success') {
      this.admitted = { scanId: null, nonce, code, holderName: admission.holderName, passName: admission.name, at };
    }
    return {
      scanId: null,
      nonce,
      verdict,
      code,
      offline: true,
      holderName: admission.holderName,
      passName: admission.name,
      passType: admission.type,
      usagesCount: decision.after.usagesCount,
      maxUsages: admission.maxUsages,
      validFrom: admission.validFrom,
      validUntil: admission.validUntil,
      at,
    };
  }

  /** Uploads pending scans (and the undos waiting with them), then pulls what changed; answers what the server refused. */
  async sync(): Promise<SyncReport> {
    const pending = await this.store.scans('pending');
    const refused: LocalScan[] = [];
    const undoRefused: LocalScan[] = [];
    for (const chunk of uploadChunks(pending)) {
      const { data } = await this.api.POST('/api/v1/scans/batch', {
        body: { items: chunk.map((scan) => ({ nonce: scan.nonce, code: scan.code, scannedAt: scan.scannedAt, method: scan.method })) },
      });
      const answers = new Map((data as unknown as { items: (ScanAnswer & { nonce: string })[] }).items.map((item) => [item.nonce, item]));
      const settled: LocalScan[] = [];
      for (const scan of chunk) {
        const answer = answers.get(scan.nonce);
        if (!answer) {
          settled.push(scan);
          continue;
        }
        const serverScanId = answer.scan?.id ?? null;
        const uploaded: LocalScan = answer.success
          ? { ...scan, state: 'synced', serverResult: 'success', serverScanId }
          : { ...scan, state: 'refused', serverResult: answer.result, serverScanId };
        if (!answer.success) refused.push(uploaded);
        // An undo goes up before the scan is marked uploaded: if it is cut short, the next sync
        // replays the scan (same nonce, same record) and tries the undo again.
        if (uploaded.undo?.state === 'waiting' && answer.success && serverScanId) {
          uploaded.undo = await this.sendUndo(serverScanId, uploaded.undo.reason);
          if (uploaded.undo.state === 'refused') undoRefused.push(uploaded);
        }
        if (this.admitted?.nonce === scan.nonce) {
          this.admitted = answer.success && serverScanId && !uploaded.undo ? { ...this.admitted, scanId: serverScanId } : null;
        }
        settled.push(uploaded);
      }
      await this.store.putScans(settled);
    }
    await this.pull();
    this.lastSync = { at: Date.now(), uploaded: pending.length, pending: (await this.store.scans('pending')).length, refused, undoRefused };
    await this.store.setMeta('lastReport', this.lastSync);
    return this.lastSync;
  }

  private async sendUndo(scanId: string, reason: string): Promise<NonNullable<LocalScan['undo']>> {
    try {
      await this.api.POST('/api/v1/scans/{scanId}/undo', { params: { path: { scanId } }, body: { reason } });
      return { reason, state: 'done' };
    } catch (error) {
      if (!(error instanceof ApiAnswerError)) throw error;
      if (error.code === 'already_undone') return { reason, state: 'done' };
      return { reason, state: 'refused', refusal: error.code ?? String(error.status) };
    }
  }

  /**
   * The admissions of every event of the device: a full download first, then deltas from the kept
   * cursor. Each event's pages are saved together with its cursor once the event is read through.
   */
  async pull(onProgress?: (loaded: number) => void): Promise<number> {
    const began = performance.now();
    const spent = { fetching: 0, holding: 0, saving: 0 };
    const timed = async <T>(phase: keyof typeof spent, work: () => T | Promise<T>): Promise<T> => {
      const start = performance.now();
      try {
        return await work();
      } finally {
        spent[phase] += performance.now() - start;
      }
    };
    let loaded = 0;
    for (const eventId of this.eventIds) {
      let since = await this.store.meta<string>(`cursor:${eventId}`);
      let eventStatus: string | undefined;
      for (;;) {
        const { data } = await timed('fetching', () =>
          this.api.GET('/api/v1/events/{eventId}/admissions', {
            params: { path: { eventId }, query: { limit: FEED_PAGE, ...(since ? { since } : {}) } },
          }),
        );
        const page = data as Schemas['AdmissionFeedPageDto'];
        await timed('holding', () => this.store.hold(page.items.map((item) => toLocal(item, eventId))));
        eventStatus = page.eventStatus;
        since = page.nextCursor;
        loaded += page.items.length;
        onProgress?.(loaded);
        if (!page.hasMore) break;
      }
      try {
        await timed('saving', () => this.store.save({ [`eventStatus:${eventId}`]: eventStatus, [`cursor:${eventId}`]: since }));
      } catch (error) {
        if (isStorageFull(error)) throw new StorageFullError();
        throw error;
      }
    }
    await this.store.setMeta('syncedAt', new Date().toISOString());
    // For `npm run bench` (and a browser's performance panel): where a download's time went.
    performance.measure('door: pull', { start: began, detail: { ...spent, loaded } });
    return loaded;
  }

  /** Checked-in and total for the device's events, from the local copy plus pending scans. */
  async counter(): Promise<{ checkedIn: number; total: number }> {
    let checkedIn = 0;
    let total = 0;
    for (const eventId of this.eventIds) {
      const tally = this.store.tally(eventId);
      total += tally.total;
      checkedIn += tally.checkedIn;
    }
    // Pending admissions of passes the server's copy does not count yet, each pass once.
    const admittedHere = new Set<string>();
    for (const scan of await this.store.scans('pending')) {
      if (!countsAsUse(scan) || admittedHere.has(scan.codeHash)) continue;
      const admission = this.store.admission(scan.codeHash);
      if (admission && admission.status !== 'revoked' && !isCheckedIn(admission) && this.eventIds.includes(admission.eventId)) {
        admittedHere.add(scan.codeHash);
        checkedIn += 1;
      }
    }
    return { checkedIn, total };
  }

  /** Manual check-in: the server's attendee search when online, the local copy (names only) when not. */
  async search(term: string): Promise<SearchHit[]> {
    if (this.connectivity.mode === 'online') {
      try {
        const hits: SearchHit[] = [];
        for (const eventId of this.eventIds) {
          const { data } = await this.api.GET('/api/v1/events/{eventId}/attendees', {
            params: { path: { eventId }, query: { search: term, limit: 20 } },
          });
          for (const attendee of (data ?? []) as unknown as AttendeeAnswer[]) {
            hits.push({
              code: attendee.code,
              holderName: attendee.holder?.name ?? null,
              passName: attendee.name ?? null,
              checkedIn: attendee.checkedIn,
            });
          }
        }
        return hits;
      } catch (error) {
        if (!(error instanceof OfflineError)) throw error;
      }
    }
    const needle = term.trim().toLowerCase();
    const hits: SearchHit[] = [];
    for (const eventId of this.eventIds) {
      for (const admission of this.store.admissionsOf(eventId)) {
        if ((admission.holderName ?? '').toLowerCase().includes(needle) || (admission.name ?? '').toLowerCase().includes(needle)) {
          hits.push({
            code: null,
            codeHash: admission.codeHash,
            holderName: admission.holderName,
            passName: admission.name,
            checkedIn: admission.usagesCount > 0 || admission.status === 'used',
          });
        }
        if (hits.length >= 20) return hits;
      }
    }
    return hits;
  }

  /** Asks the server who this device is: a revoked device learns it here (DeviceRevokedError). */
  async checkDevice(): Promise<void> {
    await this.api.GET('/api/v1/devices/me');
  }
}

/** `POST /scan` and each `/scans/batch` item (the REST contract's shape; not yet described in the OpenAPI document). */
interface ScanAnswer {
  success: boolean;
  result: string;
  pass: {
    id: string;
    code: string;
    name: string | null;
    type: string;
    status: string;
    usagesCount: number;
    maxUsages: number | null;
  } | null;
  scan?: { id: string; scannedAt: string } | null;
}

/** `GET /events/:id/attendees` items (docs/events.md). */
interface AttendeeAnswer {
  code: string;
  name: string | null;
  checkedIn: boolean;
  holder: Record<string, string | null> | null;
}

export interface SearchHit {
  /** Null offline: the device keeps no raw codes, so an offline hit is checked in by scanning or typing its code. */
  code: string | null;
  codeHash?: string;
  holderName: string | null;
  passName: string | null;
  checkedIn: boolean;
}

export class StorageFullError extends Error {
  constructor() {
    super("This phone's storage is full, so the offline copy could not be saved. Scanning online and manual entry still work.");
  }
}

export { DeviceRevokedError };

function toLocal(item: Schemas['AdmissionFeedItemDto'], eventId: string): LocalAdmission {
  return {
    codeHash: item.codeHash,
    eventId,
    name: item.name ?? null,
    holderName: item.holderName ?? null,
    type: item.type,
    status: item.status,
    validFrom: item.validFrom ? Date.parse(item.validFrom) : null,
    validUntil: item.validUntil ? Date.parse(item.validUntil) : null,
    maxUsages: item.maxUsages ?? null,
    usagesCount: item.usagesCount,
  };
}

/**
 * The pending scans in upload order, cut after each undone admission: the server applies a batch
 * in order, so the undo must reach it before the scans that came after it (a single pass admitted,
 * undone, and admitted again would otherwise be refused as already used).
 */
function uploadChunks(pending: LocalScan[]): LocalScan[][] {
  const chunks: LocalScan[][] = [];
  let chunk: LocalScan[] = [];
  for (const scan of pending) {
    chunk.push(scan);
    if (chunk.length === BATCH_SIZE || scan.undo?.state === 'waiting') {
      chunks.push(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function blank(verdict: Verdict, code: string, offline: boolean, at: number): ScanOutcome {
  return {
    verdict,
    code,
    offline,
    holderName: null,
    passName: null,
    passType: null,
    usagesCount: null,
    maxUsages: null,
    validFrom: null,
    validUntil: null,
    at,
    scanId: null,
    nonce: null,
  };
}
