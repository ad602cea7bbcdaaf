import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { t } from '../../i18n';
import { api } from '../../shared/api/client';
import { formatDateTime, formatNumber } from '../../shared/lib/format';
import { usePageTitle } from '../../shared/lib/page-title';
import { ErrorState, Loading } from '../../shared/ui/States';
import { useSession } from '../../app/shell-route';
import { browserTimeZone } from '../events/datetime';
import { OrganizationNameForm } from './OrganizationNameForm';

/** The organisation (plan, limits, tokens) and the signed-in profile. */
export function SettingsPage() {
  usePageTitle(t.settings.title);
  const session = useSession();
  const organization = useQuery({ queryKey: ['organization'], queryFn: async () => (await api.GET('/api/v1/organization')).data! });
  return (
    <section className="stack">
      <h1>{t.settings.title}</h1>
      <h2>{t.settings.organization}</h2>
      {organization.isPending ? (
        <Loading />
      ) : organization.isError ? (
        <ErrorState error={organization.error} onRetry={() => void organization.refetch()} />
      ) : (
        <dl className="details card" data-testid="organization-settings">
          <dt>{t.settings.name}</dt>
          <dd>{organization.data.name}</dd>
          <dt>{t.settings.slug}</dt>
          <dd className="mono">{organization.data.slug}</dd>
          <dt>{t.overview.plan}</dt>
          <dd>{organization.data.plan}</dd>
          <dt>{t.overview.tokens}</dt>
          <dd>
            {organization.data.tokenBalance === null ? t.overview.unlimited : formatNumber(organization.data.tokenBalance)} ·{' '}
            <Link to="/">{t.overview.ledger}</Link>
          </dd>
          <dt>{t.settings.rateLimits}</dt>
          <dd>
            {t.settings.manage}: {organization.data.limits.rateLimits.manage.limit}/min · {t.settings.integrations}:{' '}
            {organization.data.limits.rateLimits.integrations.limit}/min
          </dd>
          <dt>{t.settings.webhookQuota}</dt>
          <dd>{organization.data.limits.webhookQuota}</dd>
          <dt>{t.settings.createdAt}</dt>
          <dd>{formatDateTime(organization.data.createdAt)}</dd>
        </dl>
      )}
      {organization.data && (session.role === 'owner' || session.role === 'admin') && (
        <OrganizationNameForm key={organization.data.name} name={organization.data.name} />
      )}
      <p className="muted small">{t.settings.billingHint}</p>
      <h2>{t.settings.profile}</h2>
      <dl className="details card">
        <dt>{t.settings.name}</dt>
        <dd>{session.user.name}</dd>
        <dt>{t.auth.email}</dt>
        <dd>{session.user.email}</dd>
        <dt>{t.team.role}</dt>
        <dd>{session.role ? t.roles[session.role] : '—'}</dd>
        <dt>{t.settings.timeZone}</dt>
        <dd>{browserTimeZone()}</dd>
      </dl>
      <p className="muted small">
        <Link to="/reset-password">{t.settings.changePassword}</Link>
      </p>
    </section>
  );
}
