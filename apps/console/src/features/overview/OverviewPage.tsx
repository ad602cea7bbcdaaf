import { t } from '../../i18n';
import { usePageTitle } from '../../shared/lib/page-title';
import { useSession } from '../../app/shell-route';

export function OverviewPage() {
  usePageTitle(t.overview.title);
  const session = useSession();
  return (
    <section>
      <h1>{t.overview.title}</h1>
      <p>{session.organization.name}</p>
    </section>
  );
}
