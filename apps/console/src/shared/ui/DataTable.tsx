import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { t } from '../../i18n';
import { EmptyState, ErrorState, Loading } from './States';

/**
 * The states of a list's query, in the order every list screen shows them: loading, the error
 * with a retry, the empty state, else the list itself (`children`, given the data).
 */
export function QueryStates<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty: (data: T) => boolean;
  empty: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <>{isEmpty(query.data) ? empty : children(query.data)}</>;
}

/** A filtered list with no match: says so and offers to clear the filters. */
export function NoMatches({ title = t.attendees.noMatches, onClear }: { title?: string; onClear: () => void }) {
  return (
    <EmptyState title={title}>
      <button type="button" className="button" onClick={onClear}>
        {t.attendees.clearFilters}
      </button>
    </EmptyState>
  );
}

/**
 * A table in a keyboard-scrollable, labelled region (narrow screens scroll it sideways). `columns`
 * are the header cells; `actions` adds a last column whose header is read to screen readers only.
 */
export function DataTable({
  label,
  columns,
  actions = false,
  children,
}: {
  label: string;
  columns: ReactNode[];
  actions?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index}>{column}</th>
            ))}
            {actions && (
              <th>
                <span className="visually-hidden">{t.developers.actions}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
