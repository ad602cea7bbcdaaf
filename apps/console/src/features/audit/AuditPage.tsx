import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { t } from '../../i18n';
import { api } from '../../shared/api/client';
import { toPage } from '../../shared/api/pagination';
import { formatDateTime } from '../../shared/lib/format';
import { usePageTitle } from '../../shared/lib/page-title';
import { Pager } from '../../shared/ui/Pager';
import { EmptyState, ErrorState, Loading } from '../../shared/ui/States';

const PAGE_SIZE = 50;

/** Read-only: who (a person or a key) did what to which resource, when, from where. */
export function AuditPage() {
  usePageTitle(t.audit.title);
  const [page, setPage] = useState(1);
  const [resource, setResource] = useState('');
  const log = useQuery({
    queryKey: ['audit', page, resource],
    placeholderData: (previous) => previous,
    queryFn: async () => {
      const { data, response } = await api.GET('/api/v1/audit-log', {
        params: { query: { page, limit: PAGE_SIZE, ...(resource ? { resource } : {}) } },
      });
      return toPage(data, response);
    },
  });
  return (
    <section className="stack">
      <h1>{t.audit.title}</h1>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="audit-resource">{t.audit.resource}</label>
          <select
            id="audit-resource"
            value={resource}
            onChange={(change) => {
              setResource(change.target.value);
              setPage(1);
            }}
          >
            <option value="">{t.audit.all}</option>
            {['passes', 'events', 'api-keys', 'members', 'invitations', 'webhooks', 'session', 'organization'].map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
      </div>
      {log.isPending ? (
        <Loading />
      ) : log.isError ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} />
      ) : log.data.total === 0 ? (
        <EmptyState title={t.audit.empty} />
      ) : (
        <>
          <div className="table-scroll" role="region" aria-label={t.audit.title} tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th>{t.audit.time}</th>
                  <th>{t.audit.actor}</th>
                  <th>{t.audit.action}</th>
                  <th>{t.audit.target}</th>
                  <th>{t.audit.ip}</th>
                </tr>
              </thead>
              <tbody>
                {log.data.items.map((entry) => (
                  <tr key={entry.id}>
                    <td>{formatDateTime(entry.occurredAt)}</td>
                    <td>{entry.actor.label ?? entry.actor.type}</td>
                    <td className="mono">{entry.action}</td>
                    <td className="mono small">{entry.resourceId ?? '—'}</td>
                    <td>{entry.ip ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} size={PAGE_SIZE} total={log.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
