import type { FormEvent, ReactNode } from 'react';
import { t } from '../../i18n';
import { usePageTitle } from '../../shared/lib/page-title';

export function AuthLayout({
  title,
  children,
  onSubmit,
  footer,
}: {
  title: string;
  children: ReactNode;
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
  footer?: ReactNode;
}) {
  usePageTitle(title);
  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand">{t.app.name}</p>
        {onSubmit ? (
          <form className="card stack" noValidate onSubmit={onSubmit}>
            <h1>{title}</h1>
            {children}
          </form>
        ) : (
          <div className="card stack">
            <h1>{title}</h1>
            {children}
          </div>
        )}
        {footer && <div className="auth-footer">{footer}</div>}
      </div>
    </main>
  );
}

export function formValues(event: FormEvent<HTMLFormElement>): Record<string, string> {
  event.preventDefault();
  return Object.fromEntries([...new FormData(event.currentTarget).entries()].map(([key, value]) => [key, String(value)]));
}
