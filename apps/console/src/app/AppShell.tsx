import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import { can } from '../features/auth/session';
import { t } from '../i18n';
import { api, onUnauthenticated } from '../shared/api/client';
import { useSession } from './shell-route';

/** The signed-in layout: skip link, organisation header, role-aware navigation, the page. */
export function AppShell() {
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onUnauthenticated(() => {
        queryClient.clear();
        void navigate({ to: '/login', search: { redirect: window.location.pathname } });
      }),
    [navigate, queryClient],
  );
  const navigation = [
    { to: '/', label: t.nav.overview, show: true },
    { to: '/events', label: t.nav.events, show: true },
    { to: '/passes', label: t.nav.passes, show: can(session, 'manage') },
    { to: '/devices', label: t.nav.devices, show: can(session, 'manage') },
    { to: '/developers', label: t.nav.developers, show: can(session, 'admin') },
    { to: '/team', label: t.nav.team, show: can(session, 'admin') },
    { to: '/audit', label: t.nav.audit, show: can(session, 'admin') },
    { to: '/settings', label: t.nav.settings, show: true },
    { to: '/operator', label: t.nav.operator, show: session.user.isOperator },
  ] as const;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <header className="topbar">
        <span className="brand">{t.app.name}</span>
        <span className="org-name">{session.organization?.name}</span>
        <span className="spacer" />
        <span className="muted small user-name">
          {session.user.name} · {session.role ? t.roles[session.role] : ''}
        </span>
        <button
          type="button"
          className="button small"
          onClick={async () => {
            await api.POST('/api/v1/auth/logout').catch(() => undefined);
            queryClient.clear();
            await navigate({ to: '/login' });
          }}
        >
          {t.app.signOut}
        </button>
      </header>
      <nav className="sidebar" aria-label={t.app.mainNavigation}>
        <ul>
          {navigation
            .filter((item) => item.show)
            .map((item) => (
              <li key={item.to}>
                <Link to={item.to} activeProps={{ 'aria-current': 'page', className: 'active' }} activeOptions={{ exact: item.to === '/' }}>
                  {item.label}
                </Link>
              </li>
            ))}
        </ul>
      </nav>
      <main id="main" className="page" tabIndex={-1}>
        {session.organization?.suspended ? (
          <div className="form-error" role="alert">
            {t.app.suspended}
          </div>
        ) : (
          <Outlet />
        )}
      </main>
    </div>
  );
}
