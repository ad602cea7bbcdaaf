import type { ReactNode } from 'react';
import { fmt, t } from '../../i18n';
import { ApiError } from '../api/errors';

export function Loading({ label = t.app.loading }: { label?: string }) {
  return (
    <div className="skeleton" role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      <div className="skeleton-line" />
      <div className="skeleton-line" />
      <div className="skeleton-line short" />
    </div>
  );
}

/** The error state of a view: 403 says "no access", 404 "not found", anything else offers a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const apiError = error instanceof ApiError ? error : undefined;
  const message =
    apiError?.status === 403 ? t.app.noAccess : apiError?.status === 404 ? t.app.notFound : (apiError?.message ?? t.app.genericError);
  return (
    <div className="state error-state" role="alert">
      <p>{message}</p>
      {apiError?.requestId && <p className="muted small">{fmt(t.app.requestId, { id: apiError.requestId })}</p>}
      {onRetry && apiError?.status !== 403 && apiError?.status !== 404 && (
        <button type="button" className="button" onClick={onRetry}>
          {t.app.retry}
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state empty-state">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

export function NotFound() {
  return (
    <main id="main" className="page">
      <EmptyState title={t.app.notFound} />
    </main>
  );
}
