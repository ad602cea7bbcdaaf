import { useEffect } from 'react';
import { t } from '../../i18n';

/** Every route names itself in the document title (WCAG 2.4.2). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · ${t.app.name}`;
  }, [title]);
}
