import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { fmt, t } from '../../i18n';
import { api } from '../../shared/api/client';
import type { EventStatsView, ScanRecordView } from '../../shared/api/views';
import { formatTime } from '../../shared/lib/format';
import { usePageTitle } from '../../shared/lib/page-title';
import { ErrorState, Loading } from '../../shared/ui/States';
import { useEvent } from '../events/EventPage';
import { applyScan, applyUndo, LiveScanItem, LiveState, perFiveMinutes } from './live-state';

const route = getRouteApi('/console/events/$eventId/live');
type Connection = 'connecting' | 'live' | 'reconnecting';

/**
 * Live check-in: the snapshot (stats + last 50 scans) from REST, then every scan and undone
 * admission from the gateway's SSE stream. The browser resends Last-Event-ID on reconnect; a stream that failed for
 * good is reopened with ?lastEventId= so nothing is missed.
 */
export function LivePage() {
  const { eventId } = route.useParams();
  const event = useEvent(eventId);
  usePageTitle(`${t.live.title} · ${event.data?.name ?? ''}`);
  const queryClient = useQueryClient();
  const snapshot = useQuery({
    queryKey: ['live-snapshot', eventId],
    queryFn: async () => {
      const [stats, scans] = await Promise.all([
        api.GET('/api/v1/events/{eventId}/stats', { params: { path: { eventId } } }),
        api.GET('/api/v1/scans', { params: { query: { eventId, limit: 50 } } }),
      ]);
      return { stats: stats.data as unknown as EventStatsView, scans: (scans.data ?? []) as unknown as ScanRecordView[] };
    },
    staleTime: Infinity,
  });
  const [state, setState] = useState<LiveState>();
  const [connection, setConnection] = useState<Connection>('connecting');
  const [updatedAt, setUpdatedAt] = useState<string>();

  useEffect(() => {
    if (!snapshot.data) return;
    const { stats, scans } = snapshot.data;
    const recent: LiveScanItem[] = scans.map((scan) => ({
      id: scan.id,
      code: scan.code,
      passName: null,
      holderName: scan.holderName,
      result: scan.result,
      success: scan.success,
      scannedAt: scan.scannedAt,
      method: scan.method,
      undoneAt: scan.undoneAt,
    }));
    setState({
      attendees: stats.attendees,
      checkedIn: stats.checkedIn,
      byResult: { ...stats.scansByResult },
      recent,
      seen: new Set(recent.map((scan) => scan.id)),
      undone: new Set(recent.filter((scan) => scan.undoneAt).map((scan) => scan.id)),
    });
  }, [snapshot.data]);

  useEffect(() => {
    if (!snapshot.data) return;
    let source: EventSource | undefined;
    let lastId: string | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      const url = `/api/v1/events/${eventId}/live${lastId ? `?lastEventId=${encodeURIComponent(lastId)}` : ''}`;
      const current = new EventSource(url, { withCredentials: true });
      source = current;
      current.addEventListener('ready', (message) => {
        if (source !== current) return;
        lastId = (message as MessageEvent).lastEventId || lastId;
        setConnection('live');
        setUpdatedAt(new Date().toISOString());
      });
      const onChange = (apply: (state: LiveState, data: never) => LiveState) => (message: Event) => {
        if (source !== current) return;
        const data = JSON.parse((message as MessageEvent).data) as never;
        lastId = (message as MessageEvent).lastEventId || lastId;
        setState((previous) => (previous ? apply(previous, data) : previous));
        setUpdatedAt(new Date().toISOString());
        setConnection('live');
      };
      current.addEventListener('scan', onChange(applyScan));
      current.addEventListener('undo', onChange(applyUndo));
      current.addEventListener('reset', () => void queryClient.invalidateQueries({ queryKey: ['live-snapshot', eventId] }));
      current.onerror = () => {
        if (source !== current) return;
        if (current.readyState === EventSource.CLOSED) {
          // A non-200 answer closes an EventSource for good: reopen (with the cursor) after a pause.
          setConnection('reconnecting');
          current.close();
          if (!stopped) retryTimer = setTimeout(open, 2000);
        } else setConnection('reconnecting');
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [eventId, snapshot.data, queryClient]);

  const buckets = useMemo(() => perFiveMinutes(state?.recent ?? []), [state?.recent]);
  if (snapshot.isPending || !state)
    return snapshot.isError ? <ErrorState error={snapshot.error} onRetry={() => void snapshot.refetch()} /> : <Loading />;
  const rate = state.attendees ? Math.round((state.checkedIn / state.attendees) * 1000) / 10 : 0;
  const lastQuarter = state.recent.filter(
    (scan) => scan.success && !scan.undoneAt && Date.parse(scan.scannedAt) > Date.now() - 15 * 60_000,
  ).length;
  const max = Math.max(1, ...buckets.map((bucket) => bucket.count));
  return (
    <section className="stack">
      <div className="page-header">
        <div>
          <p>
            <Link to="/events/$eventId" params={{ eventId }}>
              {event.data?.name}
            </Link>
          </p>
          <h1>{t.live.title}</h1>
        </div>
        <p className={`connection ${connection}`} role="status">
          <span aria-hidden="true">●</span> {t.live.connection[connection]}
          {updatedAt && <span className="muted small"> · {fmt(t.live.updated, { time: formatTime(updatedAt) })}</span>}
        </p>
      </div>
      <div className="cards" aria-live="polite">
        <div className="card stat">
          <span className="muted">{t.live.checkedIn}</span>
          <strong data-testid="checked-in">{fmt(t.live.ofTotal, { in: state.checkedIn, total: state.attendees })}</strong>
          <span className="small">{fmt(t.live.percent, { rate })}</span>
        </div>
        <div className="card stat">
          <span className="muted">{t.live.rate}</span>
          <strong>{fmt(t.live.perMinute, { rate: Math.round((lastQuarter / 15) * 10) / 10 })}</strong>
          <span className="small muted">{t.live.last15}</span>
        </div>
      </div>
      <h2>{t.live.chartTitle}</h2>
      <div
        className="bars"
        role="img"
        aria-label={buckets.map((bucket) => `${formatTime(new Date(bucket.start).toISOString())}: ${bucket.count}`).join(', ')}
      >
        {buckets.map((bucket) => (
          <div className="bar" key={bucket.start}>
            <span className="bar-fill" style={{ height: `${(bucket.count / max) * 100}%` }} />
            <span className="bar-label small">{new Date(bucket.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</span>
          </div>
        ))}
      </div>
      <h2>{t.live.byResult}</h2>
      <ul className="result-list">
        {Object.entries(state.byResult).map(([result, count]) => (
          <li key={result} className={`badge ${result}`}>
            {t.live.results[result as keyof typeof t.live.results] ?? result}: {count}
          </li>
        ))}
      </ul>
      <h2>{t.live.recent}</h2>
      <div className="table-scroll" role="region" aria-label={t.live.recent} tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th>{t.live.time}</th>
              <th>{t.live.result}</th>
              <th>{t.live.attendee}</th>
              <th>{t.live.method}</th>
            </tr>
          </thead>
          <tbody>
            {state.recent.map((scan) => (
              <tr key={scan.id}>
                <td>{formatTime(scan.scannedAt)}</td>
                <td>
                  <span className={`badge ${scan.result}`}>
                    {t.live.results[scan.result as keyof typeof t.live.results] ?? scan.result}
                  </span>
                  {scan.undoneAt && <span className="badge undone">{t.live.undone}</span>}
                </td>
                <td>
                  {scan.holderName ?? scan.passName ?? '—'} <span className="muted small mono">{scan.code}</span>
                </td>
                <td>{scan.method}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
