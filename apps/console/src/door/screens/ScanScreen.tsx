import { useCallback, useEffect, useRef, useState } from 'react';
import { CameraError, startCamera } from '../lib/camera';
import { DeviceRevokedError, OfflineError } from '../lib/door-api';
import { DoorSession, ScanOutcome, ScanSource, StorageFullError, SyncReport } from '../lib/door-session';
import { signal, toneOf } from '../lib/feedback';
import type { Mode } from '../lib/connectivity';
import { listenForWedge } from '../lib/wedge';
import { doorText } from '../strings';
import { ManualCheckIn } from './ManualCheckIn';
import { ResultOverlay } from './ResultOverlay';
import { SyncReportPanel } from './SyncReportPanel';
import { UndoLastAdmission } from './UndoLastAdmission';

const SYNC_EVERY_MS = 30_000;
const SHOW_ADMIT_MS = 2_000;
const SHOW_REFUSAL_MS = 5_000;
/** Past this, the sync chip turns red: offline decisions rest on an old copy. */
const STALE_AFTER_S = 5 * 60;

declare global {
  interface Window {
    /** Timings of each result, read by `npm run bench`: camera frame (or scan start) to painted result. */
    __doorMetrics?: { source: ScanSource; frameAt: number | null; startedAt: number; shownAt: number; offline: boolean; verdict: string }[];
  }
}

/** The scanning screen: camera, hardware scanner, manual entry, status chips, counter, results and the sync report. */
export function ScanScreen({ session, onRevoked }: { session: DoorSession; onRevoked: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [mode, setMode] = useState<Mode>(session.connectivity.mode);
  const [outcome, setOutcome] = useState<(ScanOutcome & { source: ScanSource; frameAt: number | null; startedAt: number }) | null>(null);
  const [recent, setRecent] = useState<ScanOutcome[]>([]);
  const [camera, setCamera] = useState<'starting' | 'on' | 'denied' | 'unavailable'>('starting');
  const [pending, setPending] = useState(0);
  const [counter, setCounter] = useState({ checkedIn: 0, total: 0 });
  const [report, setReport] = useState<SyncReport | null>(session.report);
  const [problem, setProblem] = useState<string | null>(null);
  const [syncedAt, setSyncedAt] = useState<number | null>(null);
  const [lastAdmission, setLastAdmission] = useState(session.lastAdmission);
  /** Admissions this device took back: their line in the recent results says so. */
  const [undoneScans, setUndoneScans] = useState<ReadonlySet<string>>(new Set());

  const refresh = useCallback(async () => {
    setPending((await session.store.scans('pending')).length);
    setCounter(await session.counter());
    const at = await session.store.meta<string>('syncedAt');
    setSyncedAt(at ? Date.parse(at) : null);
  }, [session]);

  const guarded = useCallback(
    async (work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        if (error instanceof DeviceRevokedError) return onRevoked();
        if (error instanceof StorageFullError) return setProblem(doorText.storageFull);
        if (error instanceof DOMException && error.name === 'QuotaExceededError') return setProblem(doorText.storageFull);
        if (!(error instanceof OfflineError)) setProblem(String((error as Error).message ?? error));
      } finally {
        // After the result is painted: the counter and the chips are not what the door waits for.
        setTimeout(() => void refresh().catch(() => undefined), 0);
      }
    },
    [onRevoked, refresh],
  );

  const sync = useCallback(
    () =>
      guarded(async () => {
        if (session.connectivity.mode !== 'online') return;
        const next = await session.sync();
        await session.checkDevice();
        setReport(next);
        // An offline admission the server refused is no longer there to undo.
        setLastAdmission(session.lastAdmission);
      }),
    [guarded, session],
  );

  const handle = useCallback(
    (raw: string, source: ScanSource, frameAt: number | null = null) =>
      guarded(async () => {
        const startedAt = performance.now();
        const result = await session.scan(raw, source);
        if (!result) return; // the same code again, within its guard time
        setOutcome({ ...result, source, frameAt, startedAt });
        setRecent((list) => [result, ...list].slice(0, 8));
        setLastAdmission(session.lastAdmission);
        signal(toneOf(result.verdict));
        if (result.offline === false && session.connectivity.mode === 'online' && (await session.store.scans('pending')).length > 0)
          void sync();
      }),
    [guarded, session, sync],
  );

  // When the result was painted, for the frame-to-result and decision timings of `npm run bench`.
  useEffect(() => {
    if (!outcome) return;
    const { source, frameAt, startedAt, offline, verdict } = outcome;
    requestAnimationFrame(() =>
      (window.__doorMetrics ??= []).push({ source, frameAt, startedAt, shownAt: performance.now(), offline, verdict }),
    );
  }, [outcome]);

  useEffect(() => {
    if (!outcome) return;
    const timer = setTimeout(() => setOutcome(null), outcome.verdict === 'success' ? SHOW_ADMIT_MS : SHOW_REFUSAL_MS);
    return () => clearTimeout(timer);
  }, [outcome]);

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    if (video.current) {
      startCamera(video.current, (text, frameAt) => void handle(text, 'camera', frameAt)).then(
        (camera) => (cancelled ? camera.stop() : ((stop = camera.stop), setCamera('on'))),
        (error: unknown) => setCamera(error instanceof CameraError ? error.failure : 'unavailable'),
      );
    }
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [handle]);

  useEffect(() => listenForWedge((code) => void handle(code, 'wedge')), [handle]);

  useEffect(() => {
    void refresh();
    const unsubscribe = session.connectivity.subscribe((next) => {
      setMode(next);
      if (next === 'online') void sync();
    });
    const timer = setInterval(() => void sync(), SYNC_EVERY_MS);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [refresh, session, sync]);

  const age = syncedAt ? Math.max(0, Math.round((Date.now() - syncedAt) / 1000)) : null;
  return (
    <main className="door-scan">
      <header className="door-bar">
        <span className="door-chip" data-testid="device">
          {doorText.paired(session.profile.deviceName, session.profile.tenantName)}
        </span>
        <span className={`door-chip door-chip--${mode}`} data-testid="mode" data-mode={mode}>
          {mode === 'online' ? doorText.online : doorText.offline}
        </span>
        <span
          className={`door-chip${age === null || age > STALE_AFTER_S ? ' door-chip--stale' : pending > 0 ? ' door-chip--warn' : ''}`}
          data-testid="pending"
          data-count={pending}
        >
          {doorText.pending(pending)} · {age === null ? doorText.never : doorText.syncedAgo(age)}
        </span>
        <span className="door-counter" data-testid="counter" data-checked-in={counter.checkedIn} data-total={counter.total}>
          {doorText.counter(counter.checkedIn, counter.total)}
        </span>
        <button type="button" onClick={() => void sync()} disabled={mode === 'offline'}>
          {doorText.syncNow}
        </button>
      </header>
      <div className="door-camera">
        <video ref={video} muted playsInline />
        {camera === 'denied' && (
          <p className="door-problem" data-testid="camera-problem">
            {doorText.cameraDenied}
          </p>
        )}
        {camera === 'unavailable' && (
          <p className="door-problem" data-testid="camera-problem">
            {doorText.cameraUnavailable}
          </p>
        )}
      </div>
      {problem && (
        <p className="door-problem" role="alert" data-testid="problem">
          {problem}
        </p>
      )}
      <ManualCheckIn session={session} onCode={(code) => void handle(code, 'manual')} />
      <UndoLastAdmission
        session={session}
        last={lastAdmission}
        onRevoked={onRevoked}
        onUndone={(undone) => {
          setUndoneScans((previous) => new Set([...previous, undone.scanId, undone.nonce].filter((ref) => ref !== null)));
          setLastAdmission(session.lastAdmission);
          void refresh();
        }}
      />
      <ol className="door-recent" aria-label="Recent results">
        {recent.map((item, index) => {
          const ref = item.scanId ?? item.nonce;
          const undone = ref !== null && undoneScans.has(ref);
          return (
            <li
              key={`${item.at}-${index}`}
              className={`door-recent__item door-recent__item--${undone ? 'undone' : toneOf(item.verdict)}`}
              data-undone={undone || undefined}
            >
              {undone ? <s>{doorText.verdicts[item.verdict]}</s> : doorText.verdicts[item.verdict]} {item.holderName ?? ''}
              {item.offline ? ` (${doorText.offlineTag})` : ''}
              {undone ? ` (${doorText.undoneTag})` : ''}
            </li>
          );
        })}
      </ol>
      {report && <SyncReportPanel report={report} />}
      {outcome && <ResultOverlay outcome={outcome} onDismiss={() => setOutcome(null)} />}
    </main>
  );
}
