import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { t } from '../../i18n';
import { api } from '../../shared/api/client';
import type { EventView, LedgerEntryView } from '../../shared/api/views';
import { formatDateTime, formatNumber } from '../../shared/lib/format';
import { usePageTitle } from '../../shared/lib/page-title';
import { EmptyState, ErrorState, Loading } from '../../shared/ui/States';
import { useSession } from '../../app/shell-route';
import { can } from '../auth/session';

export function OverviewPage() {
  usePageTitle(t.overview.title);
  const session = useSession();
  const admin = can(session, 'admin');
  const organization = useQuery({
    queryKey: ['organization'],
    queryFn: async () => (await api.GET('/api/v1/organization')).data!,
    enabled: can(session, 'manage'),
  });
  const ledger = useQuery({
    queryKey: ['ledger'],
    queryFn: async () =>
      (await api.GET('/api/v1/organization/tokens', { params: { query: { limit: 10 } } })).data as unknown as LedgerEntryView[],
    enabled: admin,
  });
  const events = useQuery({
    queryKey: ['events', 'upcoming'],
    queryFn: async () => (await api.GET('/api/v1/events', { params: { query: { limit: 5 } } })).data as unknown as EventView[],
  });
  return (
    <section className="stack">
      <h1>{t.overview.title}</h1>
      {organization.data && (
        <div className="cards">
          <div className="card stat">
            <span className="muted">{t.overview.plan}</span>
            <strong>{organization.data.plan}</strong>
          </div>
          <div className="card stat">
            <span className="muted">{t.overview.tokens}</span>
            <strong>{organization.data.tokenBalance === null ? t.overview.unlimited : formatNumber(organization.data.tokenBalance)}</strong>
            {organization.data.tokenBalance !== null && organization.data.tokenBalance < 50 && (
              <span className="warning small">{t.overview.lowBalance}</span>
            )}
          </div>
          <div className="card stat">
            <span className="muted">{t.overview.tokensUsed}</span>
            <strong>{formatNumber(organization.data.tokensUsed)}</strong>
          </div>
        </div>
      )}
      <h2>{t.overview.upcoming}</h2>
      {events.isPending ? (
        <Loading />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : events.data.length === 0 ? (
        <EmptyState title={t.overview.noEvents}>
          <Link className="button primary" to="/events">
            {t.events.create}
          </Link>
        </EmptyState>
      ) : (
        <ul className="list">
          {events.data.map((event) => (
            <li key={event.id}>
              <Link to="/events/$eventId" params={{ eventId: event.id }}>
                {event.name}
              </Link>{' '}
              <span className="muted">{formatDateTime(event.startsAt, undefined)}</span>
            </li>
          ))}
        </ul>
      )}
      {admin && ledger.data && ledger.data.length > 0 && (
        <>
          <h2>{t.overview.ledger}</h2>
          <div className="table-scroll" role="region" aria-label={t.overview.ledger} tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th>{t.overview.date}</th>
                  <th>{t.overview.change}</th>
                  <th>{t.overview.reason}</th>
                  <th>{t.overview.balanceAfter}</th>
                </tr>
              </thead>
              <tbody>
                {ledger.data.map((entry) => (
                  <tr key={entry.id}>
                    <td>{formatDateTime(entry.createdAt)}</td>
                    <td>{entry.delta > 0 ? `+${entry.delta}` : entry.delta}</td>
                    <td>{entry.reason}</td>
                    <td>{entry.balanceAfter ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
