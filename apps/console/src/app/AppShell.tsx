import { Link, Outlet } from '@tanstack/react-router';
import { t } from '../i18n';
import { useSession } from './shell-route';

const NAVIGATION = [{ to: '/', label: t.nav.overview }] as const;

/** The signed-in layout: skip link, organisation header, navigation, and the page. */
export function AppShell() {
  const session = useSession();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <header className="topbar">
        <span className="brand">{t.app.name}</span>
        <span className="org-name">{session.organization.name}</span>
      </header>
      <nav className="sidebar" aria-label={t.app.mainNavigation}>
        <ul>
          {NAVIGATION.map((item) => (
            <li key={item.to}>
              <Link to={item.to} activeProps={{ 'aria-current': 'page', className: 'active' }} activeOptions={{ exact: item.to === '/' }}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="page" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
