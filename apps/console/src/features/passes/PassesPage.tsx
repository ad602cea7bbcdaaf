import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { Fragment, useEffect, useState } from 'react';
import { t } from '../../i18n';
import { api } from '../../shared/api/client';
import type { PassEmailView, ScanRecordView } from '../../shared/api/views';
import { toPage } from '../../shared/api/pagination';
import { formatDateTime } from '../../shared/lib/format';
import { usePageTitle } from '../../shared/lib/page-title';
import { Field } from '../../shared/ui/Field';
import { Pager } from '../../shared/ui/Pager';
import { EmptyState, ErrorState, Loading } from '../../shared/ui/States';

const PAGE_SIZE = 25;

/** Every pass: search by holder, email or code; filter by status. */
export function PassesPage() {
  usePageTitle(t.passes.title);
  const [page, setPage] = useState(1);
  const [input, setInput] = useState('');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => { setSearch(input.trim()); setPage(1); }, 400);
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
      <h1>{t.passes.title}</h1>
      <div className="toolbar">
        <Field label={t.passes.search} name="search" type="search" value={input} onChange={(change) => setInput(change.target.value)} />
        <div className="field">
          <label htmlFor="pass-status">{t.passes.status}</label>
          <select id="pass-status" value={status} onChange={(change) => { setStatus(change.target.value); setPage(1); }}>
            <option value="">{t.attendees.all}</option>
            {['active', 'used', 'expired', 'revoked'].map((value) => <option key={value} value={value}>{value}</option>)}
          </select>
        </div>
      </div>
      {passes.isPending ? <Loading /> : passes.isError ? <ErrorState error={passes.error} onRetry={() => void passes.refetch()} /> : passes.data.total === 0 ? <EmptyState title={search || status ? t.attendees.noMatches : t.passes.empty} /> : (
        <>
          <div className="table-scroll" role="region" aria-label={t.passes.title} tabIndex={0}>
            <table>
              <thead><tr><th>{t.passes.name}</th><th>{t.passes.holder}</th><th>{t.attendees.code}</th><th>{t.passes.status}</th><th>{t.passes.created}</th></tr></thead>
              <tbody>
                {passes.data.items.map((pass) => (
                  <tr key={pass.id}>
                    <td><Link to="/passes/$passId" params={{ passId: pass.id }}>{pass.name ?? '—'}</Link></td>
                    <td>{pass.client?.name ?? '—'}</td>
                    <td className="mono">{pass.code}</td>
                    <td><span className={`badge ${pass.status}`}>{pass.status}</span></td>
                    <td>{formatDateTime(pass.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} size={PAGE_SIZE} total={passes.data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}

const passRoute = getRouteApi('/console/passes/$passId');

/** One pass: fields, scans, emails; revoke or activate. */
export function PassPage() {
  const { passId } = passRoute.useParams();
  const queryClient = useQueryClient();
  const pass = useQuery({ queryKey: ['pass', passId], queryFn: async () => (await api.GET('/api/v1/passes/{passId}', { params: { path: { passId } } })).data! });
  const scans = useQuery({ queryKey: ['pass', passId, 'scans'], queryFn: async () => (await api.GET('/api/v1/passes/{passId}/scans', { params: { path: { passId } } })).data as unknown as ScanRecordView[] });
  const emails = useQuery({ queryKey: ['pass', passId, 'emails'], queryFn: async () => (await api.GET('/api/v1/passes/{passId}/emails', { params: { path: { passId } } })).data as unknown as PassEmailView[] });
  usePageTitle(pass.data?.name ?? t.passes.title);
  const change = useMutation({
    mutationFn: async (action: 'revoke' | 'activate') =>
      action === 'revoke'
        ? (await api.POST('/api/v1/passes/{passId}/revoke', { params: { path: { passId } } })).data
        : (await api.POST('/api/v1/passes/{passId}/activate', { params: { path: { passId } } })).data,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['pass', passId] }),
  });
  if (pass.isPending) return <Loading />;
  if (pass.isError) return <ErrorState error={pass.error} onRetry={() => void pass.refetch()} />;
  const data = pass.data;
  return (
    <section className="stack">
      <div className="page-header">
        <div>
          <h1>{data.name ?? data.code}</h1>
          <p className="muted"><span className="mono">{data.code}</span> · <span className={`badge ${data.status}`}>{data.status}</span></p>
        </div>
        {data.status === 'revoked' ? (
          <button type="button" className="button" onClick={() => change.mutate('activate')} disabled={change.isPending}>{t.passes.activate}</button>
        ) : (
          <button type="button" className="button danger" onClick={() => { if (window.confirm(t.passes.confirmRevoke)) change.mutate('revoke'); }} disabled={change.isPending}>{t.passes.revoke}</button>
        )}
      </div>
      <dl className="details">
        <dt>{t.passes.holder}</dt><dd>{data.client?.name ?? '—'} {data.client?.email ? `<${data.client.email}>` : ''}</dd>
        <dt>{t.passes.validity}</dt><dd>{formatDateTime(data.validFrom)} – {formatDateTime(data.validUntil)}</dd>
        <dt>{t.attendees.checkIns}</dt><dd>{data.usagesCount}</dd>
        {data.fields.map((field) => (<Fragment key={field.key}><dt>{field.key}</dt><dd>{field.value}</dd></Fragment>))}
      </dl>
      <h2>{t.passes.scans}</h2>
      {scans.data && scans.data.length > 0 ? (
        <ul className="list">{scans.data.map((scan) => <li key={scan.id}>{formatDateTime(scan.scannedAt)} · {scan.result} · {scan.method}</li>)}</ul>
      ) : <p className="muted">{t.passes.noScans}</p>}
      <h2>{t.passes.emails}</h2>
      {emails.data && emails.data.length > 0 ? (
        <ul className="list">{emails.data.map((email) => <li key={email.id}>{formatDateTime(email.createdAt)} · {email.subject} · {email.status}</li>)}</ul>
      ) : <p className="muted">{t.passes.noEmails}</p>}
    </section>
  );
}
