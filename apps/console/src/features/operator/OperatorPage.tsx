import { useEffect, useState } from 'react';
import { t } from '../../i18n';
import { usePageTitle } from '../../shared/lib/page-title';
import { Field } from '../../shared/ui/Field';
import { EmptyState, ErrorState, Loading } from '../../shared/ui/States';
import { useOrganizations } from './operator-api';
import { OrganizationRow } from './OrganizationRow';

/** Platform operators: every organisation, its plan, tokens (top-ups go into its ledger), suspend or resume. */
export function OperatorPage() {
  usePageTitle(t.operator.title);
  const [input, setInput] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(input.trim()), 400);
    return () => clearTimeout(timer);
  }, [input]);
  const organizations = useOrganizations(search);
  return (
    <section className="stack">
      <h1>{t.operator.title}</h1>
      <div className="toolbar">
        <Field label={t.operator.search} name="search" type="search" value={input} onChange={(change) => setInput(change.target.value)} />
      </div>
      {organizations.isPending ? (
        <Loading />
      ) : organizations.isError ? (
        <ErrorState error={organizations.error} onRetry={() => void organizations.refetch()} />
      ) : organizations.data.length === 0 ? (
        <EmptyState title={search ? t.attendees.noMatches : t.operator.empty} />
      ) : (
        <div className="table-scroll" role="region" aria-label={t.operator.title} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th>{t.operator.organization}</th>
                <th>{t.overview.plan}</th>
                <th>{t.overview.tokens}</th>
                <th>{t.operator.members}</th>
                <th>{t.operator.topUpColumn}</th>
                <th>{t.operator.status}</th>
              </tr>
            </thead>
            <tbody>
              {organizations.data.map((organization) => (
                <OrganizationRow key={organization.id} organization={organization} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
