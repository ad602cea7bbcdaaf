import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { fmt, t } from '../../i18n';
import { api } from '../../shared/api/client';
import { toPage } from '../../shared/api/pagination';
import type { EventView } from '../../shared/api/views';
import { download, toCsv } from '../../shared/lib/csv';
import { formatDateTime } from '../../shared/lib/format';
import { useFormErrors } from '../../shared/lib/form-errors';
import { usePageTitle } from '../../shared/lib/page-title';
import { Field, FormError } from '../../shared/ui/Field';
import { DataTable, NoMatches, QueryStates } from '../../shared/ui/DataTable';
import { Pager } from '../../shared/ui/Pager';
import { EmptyState, ErrorState, Loading } from '../../shared/ui/States';
import { useSession } from '../../app/shell-route';
import { can } from '../auth/session';
import { CsvImport } from './CsvImport';
import { EventSettings } from './EventSettings';

const route = getRouteApi('/console/events/$eventId');
const PAGE_SIZE = 25;

export function useEvent(eventId: string) {
  return useQuery({
    queryKey: ['event', eventId],
    queryFn: async () => (await api.GET('/api/v1/events/{eventId}', { params: { path: { eventId } } })).data as unknown as EventView,
  });
}

export function EventPage() {
  const { eventId } = route.useParams();
  const session = useSession();
  const event = useEvent(eventId);
  const [tab, setTab] = useState<'attendees' | 'import' | 'settings'>('attendees');
  usePageTitle(event.data?.name ?? t.events.title);
  if (event.isPending) return <Loading />;
  if (event.isError) return <ErrorState error={event.error} onRetry={() => void event.refetch()} />;
  const manage = can(session, 'manage');
  return (
    <section className="stack">
      <div className="page-header">
        <div>
          <h1>{event.data.name}</h1>
          <p className="muted">
            {formatDateTime(event.data.startsAt)}
            {event.data.venue ? ` · ${event.data.venue}` : ''} · <span className={`badge ${event.data.status}`}>{event.data.status}</span>
          </p>
        </div>
        <Link className="button primary" to="/events/$eventId/live" params={{ eventId }}>
          {t.live.open}
        </Link>
      </div>
      {manage && (
        <>
          <div className="tabs" role="tablist" aria-label={t.events.sections}>
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'attendees'}
              className={tab === 'attendees' ? 'active' : ''}
              onClick={() => setTab('attendees')}
            >
              {t.attendees.title}
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'import'}
              className={tab === 'import' ? 'active' : ''}
              onClick={() => setTab('import')}
            >
              {t.import.title}
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'settings'}
              className={tab === 'settings' ? 'active' : ''}
              onClick={() => setTab('settings')}
            >
              {t.eventSettings.title}
            </button>
          </div>
          {tab === 'attendees' ? (
            <Attendees eventId={eventId} eventName={event.data.name} />
          ) : tab === 'import' ? (
            <CsvImport event={event.data} onDone={() => setTab('attendees')} />
          ) : (
            <EventSettings event={event.data} />
          )}
        </>
      )}
    </section>
  );
}

function Attendees({ eventId, eventName }: { eventId: string; eventName: string }) {
  const [page, setPage] = useState(1);
  const [searchInput, setSearchInput] = useState('');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<'' | 'active' | 'used'>('');
  const [adding, setAdding] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => {
      setSearch(searchInput.trim());
      setPage(1);
    }, 400);
    return () => clearTimeout(timer);
  }, [searchInput]);
  const attendees = useQuery({
    queryKey: ['attendees', eventId, { page, search, status }],
    placeholderData: (previous) => previous,
    queryFn: async () => {
      const { data, response } = await api.GET('/api/v1/passes', {
        params: { query: { eventId, page, limit: PAGE_SIZE, ...(search ? { search } : {}), ...(status ? { status } : {}) } },
      });
      return toPage(data, response);
    },
  });
  const [exporting, setExporting] = useState(false);
  const exportCsv = async () => {
    setExporting(true);
    try {
      const rows: (string | number | null)[][] = [];
      for (let next = 1; ; next += 1) {
        const { data } = await api.GET('/api/v1/passes', {
          params: { query: { eventId, page: next, limit: 100, ...(search ? { search } : {}), ...(status ? { status } : {}) } },
        });
        for (const pass of data ?? []) {
          const fields = Object.fromEntries(
            ((pass as { fields?: { key: string; value: string }[] }).fields ?? []).map((field) => [field.key, field.value]),
          );
          rows.push([
            pass.code,
            pass.name ?? '',
            pass.client?.name ?? '',
            pass.client?.email ?? '',
            pass.status,
            pass.usagesCount,
            JSON.stringify(fields) === '{}'
              ? ''
              : Object.entries(fields)
                  .map(([k, v]) => `${k}=${v}`)
                  .join('; '),
          ]);
        }
        if (!data || data.length < 100) break;
      }
      download(
        `${eventName.replace(/[^\w-]+/g, '-')}-attendees.csv`,
        toCsv(['code', 'pass', 'name', 'email', 'status', 'check-ins', 'fields'], rows),
      );
    } finally {
      setExporting(false);
    }
  };
  return (
    <div className="stack">
      <div className="toolbar">
        <Field
          label={t.attendees.search}
          name="search"
          type="search"
          value={searchInput}
          onChange={(event) => setSearchInput(event.target.value)}
        />
        <div className="field">
          <label htmlFor="attendee-status">{t.attendees.checkedInFilter}</label>
          <select
            id="attendee-status"
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as typeof status);
              setPage(1);
            }}
          >
            <option value="">{t.attendees.all}</option>
            <option value="used">{t.attendees.checkedIn}</option>
            <option value="active">{t.attendees.notCheckedIn}</option>
          </select>
        </div>
        <span className="spacer" />
        <button type="button" className="button" onClick={() => setAdding((open) => !open)} aria-expanded={adding}>
          {t.attendees.add}
        </button>
        <button type="button" className="button" onClick={() => void exportCsv()} disabled={exporting}>
          {t.attendees.export}
        </button>
      </div>
      {adding && <AddAttendee eventId={eventId} onDone={() => setAdding(false)} />}
      <QueryStates
        query={attendees}
        isEmpty={(result) => result.total === 0}
        empty={
          search || status ? (
            <NoMatches
              onClear={() => {
                setSearchInput('');
                setStatus('');
              }}
            />
          ) : (
            <EmptyState title={t.attendees.empty}>
              <p>{t.attendees.emptyHint}</p>
            </EmptyState>
          )
        }
      >
        {(result) => (
          <>
            <DataTable
              label={t.attendees.title}
              columns={[t.attendees.name, t.attendees.email, t.attendees.code, t.attendees.status, t.attendees.checkIns]}
            >
              {result.items.map((pass) => (
                <tr key={pass.id}>
                  <td>
                    <Link to="/passes/$passId" params={{ passId: pass.id }}>
                      {pass.client?.name ?? pass.name ?? '—'}
                    </Link>
                  </td>
                  <td>{pass.client?.email ?? '—'}</td>
                  <td className="mono">{pass.code}</td>
                  <td>
                    <span className={`badge ${pass.status}`}>{pass.status}</span>
                  </td>
                  <td>{pass.usagesCount}</td>
                </tr>
              ))}
            </DataTable>
            <Pager page={page} size={PAGE_SIZE} total={result.total} onPage={setPage} />
          </>
        )}
      </QueryStates>
    </div>
  );
}

function AddAttendee({ eventId, onDone }: { eventId: string; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useFormErrors(['clientName', 'clientEmail']);
  const add = useMutation({
    mutationFn: async (body: { clientName: string; clientEmail?: string }) =>
      (await api.POST('/api/v1/passes', { body: { type: 'single', eventId, name: body.clientName, ...body } })).data!,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['attendees', eventId] });
      onDone();
    },
    onError: (error) => form.fromError(error),
  });
  return (
    <form
      className="card stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const values = Object.fromEntries(new FormData(event.currentTarget).entries()) as Record<string, string>;
        form.clear();
        add.mutate({ clientName: values.clientName, ...(values.clientEmail ? { clientEmail: values.clientEmail } : {}) });
      }}
    >
      <h2>{t.attendees.add}</h2>
      <FormError message={form.errors.form} />
      <div className="grid-2">
        <Field label={t.attendees.name} name="clientName" required error={form.errors.fields.clientName} />
        <Field label={t.attendees.email} name="clientEmail" type="email" error={form.errors.fields.clientEmail} />
      </div>
      <p className="muted small">{fmt(t.attendees.costsToken, { count: 1 })}</p>
      <div className="actions">
        <button type="submit" className="button primary" disabled={add.isPending}>
          {t.attendees.addButton}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {t.app.cancel}
        </button>
      </div>
    </form>
  );
}
