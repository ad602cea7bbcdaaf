import { useConfirm } from '../../shared/ui/ConfirmDialog';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { Fragment, useEffect, useState } from 'react';
import { t } from '../../i18n';
import { api } from '../../shared/api/client';
import type { PassEmailView, ScanRecordView } from '../../shared/api/views';
import { toPage } from '../../shared/api/pagination';
import { formatDateTime } from '../../shared/lib/format';
import { usePageTitle } from '../../shared/lib/page-title';
import { Field, FormError } from '../../shared/ui/Field';
import { DataTable, NoMatches, QueryStates } from '../../shared/ui/DataTable';
import { Pager } from '../../shared/ui/Pager';
import { EmptyState, ErrorState, Loading } from '../../shared/ui/States';
import { CreatePassForm } from './CreatePassForm';

const PAGE_SIZE = 25;

/** Every pass: search by holder, email or code; filter by status. */
export function PassesPage() {
  usePageTitle(t.passes.title);
  const [page, setPage] = useState(1);
  const [input, setInput] = useState('');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => {
      setSearch(input.trim());
      setPage(1);
    }, 400);
    return () => clearTimeout(timer);
  }, [input]);
  const passes = useQuery({
    queryKey: ['passes', { page, search, status }],
    placeholderData: (previous) => previous,
    queryFn: async () => {
      const { data, response } = await api.GET('/api/v1/passes', {
        params: { query: { page, limit: PAGE_SIZE, ...(search ? { search } : {}), ...(status ? { status: status as 'active' } : {}) } },
      });
      return toPage(data, response);
    },
  });
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.passes.title}</h1>
        <button type="button" className="button primary" onClick={() => setCreating(true)} aria-expanded={creating}>
          {t.passes.create}
        </button>
      </div>
      {creating && <CreatePassForm onDone={() => setCreating(false)} />}
      <div className="toolbar">
        <Field label={t.passes.search} name="search" type="search" value={input} onChange={(change) => setInput(change.target.value)} />
        <div className="field">
          <label htmlFor="pass-status">{t.passes.status}</label>
          <select
            id="pass-status"
            value={status}
            onChange={(change) => {
              setStatus(change.target.value);
              setPage(1);
            }}
          >
            <option value="">{t.attendees.all}</option>
            {['active', 'used', 'expired', 'revoked'].map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
      </div>
      <QueryStates
        query={passes}
        isEmpty={(result) => result.total === 0}
        empty={
          search || status ? (
            <NoMatches
              onClear={() => {
                setInput('');
                setStatus('');
              }}
            />
          ) : (
            <EmptyState title={t.passes.empty}>
              <p>{t.passes.emptyHint}</p>
            </EmptyState>
          )
        }
      >
        {(result) => (
          <>
            <DataTable
              label={t.passes.title}
              columns={[t.passes.name, t.passes.holder, t.attendees.code, t.passes.status, t.passes.created]}
            >
              {result.items.map((pass) => (
                <tr key={pass.id}>
                  <td>
                    <Link to="/passes/$passId" params={{ passId: pass.id }}>
                      {pass.name ?? '—'}
                    </Link>
                  </td>
                  <td>{pass.client?.name ?? '—'}</td>
                  <td className="mono">{pass.code}</td>
                  <td>
                    <span className={`badge ${pass.status}`}>{pass.status}</span>
                  </td>
                  <td>{formatDateTime(pass.createdAt)}</td>
                </tr>
              ))}
            </DataTable>
            <Pager page={page} size={PAGE_SIZE} total={result.total} onPage={setPage} />
          </>
        )}
      </QueryStates>
    </section>
  );
}

const passRoute = getRouteApi('/console/passes/$passId');

/** One pass: fields, scans, emails; revoke or activate. */
export function PassPage() {
  const { confirm, dialog } = useConfirm();
  const { passId } = passRoute.useParams();
  const queryClient = useQueryClient();
  const pass = useQuery({
    queryKey: ['pass', passId],
    queryFn: async () => (await api.GET('/api/v1/passes/{passId}', { params: { path: { passId } } })).data!,
  });
  const scans = useQuery({
    queryKey: ['pass', passId, 'scans'],
    queryFn: async () =>
      (await api.GET('/api/v1/passes/{passId}/scans', { params: { path: { passId } } })).data as unknown as ScanRecordView[],
  });
  const emails = useQuery({
    queryKey: ['pass', passId, 'emails'],
    queryFn: async () =>
      (await api.GET('/api/v1/passes/{passId}/emails', { params: { path: { passId } } })).data as unknown as PassEmailView[],
  });
  usePageTitle(pass.data?.name ?? t.passes.title);
  const change = useMutation({
    mutationFn: async (action: 'revoke' | 'activate') =>
      action === 'revoke'
        ? (await api.POST('/api/v1/passes/{passId}/revoke', { params: { path: { passId } } })).data
        : (await api.POST('/api/v1/passes/{passId}/activate', { params: { path: { passId } } })).data,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['pass', passId] }),
  });
  const resend = useMutation({
    mutationFn: async () => (await api.POST('/api/v1/passes/{passId}/emails/resend', { params: { path: { passId } } })).data,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['pass', passId, 'emails'] }),
  });
  if (pass.isPending) return <Loading />;
  if (pass.isError) return <ErrorState error={pass.error} onRetry={() => void pass.refetch()} />;
  const data = pass.data;
  return (
    <section className="stack">
      <div className="page-header">
        <div>
          <h1>{data.name ?? data.code}</h1>
          <p className="muted">
            <span className="mono">{data.code}</span> · <span className={`badge ${data.status}`}>{data.status}</span>
          </p>
        </div>
        {data.status === 'revoked' ? (
          <button type="button" className="button" onClick={() => change.mutate('activate')} disabled={change.isPending}>
            {t.passes.activate}
          </button>
        ) : (
          <button
            type="button"
            className="button danger"
            onClick={() => {
              void confirm(t.passes.confirmRevoke, t.passes.revoke).then((ok) => ok && change.mutate('revoke'));
            }}
            disabled={change.isPending}
          >
            {t.passes.revoke}
          </button>
        )}
      </div>
      <dl className="details">
        <dt>{t.passes.holder}</dt>
        <dd>
          {data.client?.name ?? '—'} {data.client?.email ? `<${data.client.email}>` : ''}
        </dd>
        <dt>{t.passes.validity}</dt>
        <dd>
          {formatDateTime(data.validFrom)} – {formatDateTime(data.validUntil)}
        </dd>
        <dt>{t.attendees.checkIns}</dt>
        <dd>{data.usagesCount}</dd>
        {data.fields.map((field) => (
          <Fragment key={field.key}>
            <dt>{field.key}</dt>
            <dd>{field.value}</dd>
          </Fragment>
        ))}
      </dl>
      <h2>{t.passes.scans}</h2>
      {scans.data && scans.data.length > 0 ? (
        <ul className="list">
          {scans.data.map((scan) => (
            <li key={scan.id}>
              {formatDateTime(scan.scannedAt)} · {scan.result} · {scan.method}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t.passes.noScans}</p>
      )}
      <div className="page-header">
        <h2>{t.passes.emails}</h2>
        {data.client?.email && data.status !== 'revoked' && (
          <button type="button" className="button" disabled={resend.isPending} onClick={() => resend.mutate()}>
            {t.passes.resend}
          </button>
        )}
      </div>
      <FormError message={resend.error ? (resend.error as Error).message : undefined} />
      {resend.isSuccess && (
        <p role="status" className="muted">
          {t.passes.resent}
        </p>
      )}
      {emails.data && emails.data.length > 0 ? (
        <ul className="list">
          {emails.data.map((email) => (
            <li key={email.id}>
              {formatDateTime(email.createdAt)} · {email.subject} · {email.status}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t.passes.noEmails}</p>
      )}
      {dialog}
    </section>
  );
}
