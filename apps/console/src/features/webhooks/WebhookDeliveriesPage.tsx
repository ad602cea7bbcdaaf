import { getRouteApi, Link } from '@tanstack/react-router';
import { Fragment, useState } from 'react';
import { fmt, t } from '../../i18n';
import { formatDateTime } from '../../shared/lib/format';
import { usePageTitle } from '../../shared/lib/page-title';
import { FormError } from '../../shared/ui/Field';
import { DataTable, NoMatches, QueryStates } from '../../shared/ui/DataTable';
import { Pager } from '../../shared/ui/Pager';
import { EmptyState } from '../../shared/ui/States';
import { useDeliveries, useRetryDelivery, useWebhooks } from './webhooks-api';

const route = getRouteApi('/console/developers/webhooks/$webhookId');
const PAGE_SIZE = 25;

/** The error of an attempt, unless it only repeats its HTTP status ("HTTP 500"), which has its own element. */
function extraError(error: string | null, statusCode: number | null): boolean {
  return Boolean(error) && !(statusCode !== null && error === `HTTP ${statusCode}`);
}

/** One subscription's delivery log: each event sent, every attempt's HTTP status, time and error; Retry. */
export function WebhookDeliveriesPage() {
  const { webhookId } = route.useParams();
  usePageTitle(t.webhooks.deliveries);
  const [page, setPage] = useState(1);
  const [failedOnly, setFailedOnly] = useState(false);
  const webhook = useWebhooks().data?.find((candidate) => candidate.id === webhookId);
  const deliveries = useDeliveries(webhookId, page, PAGE_SIZE);
  const retry = useRetryDelivery(webhookId);
  const shown = deliveries.data?.items.filter((delivery) => !failedOnly || delivery.status === 'failed') ?? [];
  return (
    <section className="stack">
      <div className="page-header">
        <div>
          <p>
            <Link to="/developers">{t.developers.title}</Link>
          </p>
          <h1>{t.webhooks.deliveries}</h1>
          {webhook && (
            <p className="muted mono break">
              {webhook.event} → {webhook.targetUrl}
            </p>
          )}
        </div>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={failedOnly} onChange={(change) => setFailedOnly(change.target.checked)} /> {t.webhooks.failedOnly}
      </label>
      <FormError message={retry.error ? (retry.error as Error).message : undefined} />
      <QueryStates
        query={deliveries}
        isEmpty={(result) => result.total === 0}
        empty={
          <EmptyState title={t.webhooks.noDeliveries}>
            <p>{t.webhooks.noDeliveriesHint}</p>
          </EmptyState>
        }
      >
        {(result) =>
          shown.length === 0 ? (
            <NoMatches title={t.webhooks.noFailed} onClear={() => setFailedOnly(false)} />
          ) : (
            <>
              <DataTable
                label={t.webhooks.deliveries}
                columns={[t.webhooks.sentAt, t.webhooks.event, t.webhooks.status, t.webhooks.response, t.webhooks.attempts]}
                actions
              >
                {shown.map((delivery) => (
                  <Fragment key={delivery.id}>
                    <tr>
                      <td>{formatDateTime(delivery.createdAt)}</td>
                      <td>
                        {delivery.event}
                        <div className="muted small mono">{delivery.messageId}</div>
                      </td>
                      <td>
                        <span className={`badge delivery-${delivery.status}`}>{t.webhooks.statuses[delivery.status]}</span>
                      </td>
                      <td>
                        <span className="status-code" data-testid="delivery-status-code">
                          {delivery.lastStatusCode !== null ? `HTTP ${delivery.lastStatusCode}` : '—'}
                        </span>
                        {delivery.durationMs !== null && <span className="muted small"> · {delivery.durationMs} ms</span>}
                        {extraError(delivery.error, delivery.lastStatusCode) && <div className="small">{delivery.error}</div>}
                      </td>
                      <td>
                        <details>
                          <summary>{fmt(t.webhooks.attemptCount, { count: delivery.attemptCount })}</summary>
                          <h3 className="small">{t.webhooks.request}</h3>
                          <pre className="payload" data-testid="delivery-request" tabIndex={0}>
                            {delivery.request}
                          </pre>
                          <ol className="list small">
                            {delivery.attempts.map((attempt) => (
                              <li key={attempt.attempt}>
                                {formatDateTime(attempt.attemptedAt)} ·{' '}
                                <span className="status-code" data-testid="attempt-status-code">
                                  {attempt.statusCode !== null ? `HTTP ${attempt.statusCode}` : t.webhooks.noResponse}
                                </span>{' '}
                                · {attempt.durationMs} ms{extraError(attempt.error, attempt.statusCode) ? ` · ${attempt.error}` : ''}
                                {attempt.responseExcerpt ? (
                                  <>
                                    <span className="visually-hidden">{t.webhooks.responseBody}</span>
                                    <pre className="payload" data-testid="attempt-response" tabIndex={0}>
                                      {attempt.responseExcerpt}
                                    </pre>
                                  </>
                                ) : null}
                              </li>
                            ))}
                          </ol>
                        </details>
                      </td>
                      <td>
                        {(delivery.status === 'failed' || delivery.status === 'succeeded') && (
                          <button
                            type="button"
                            className="button small"
                            disabled={retry.isPending}
                            onClick={() => retry.mutate(delivery.id)}
                          >
                            {fmt(t.webhooks.retry, { event: delivery.event })}
                          </button>
                        )}
                      </td>
                    </tr>
                  </Fragment>
                ))}
              </DataTable>
              <Pager page={page} size={PAGE_SIZE} total={result.total} onPage={setPage} />
            </>
          )
        }
      </QueryStates>
    </section>
  );
}
