import { useConfirm } from '../../shared/ui/ConfirmDialog';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { fmt, t } from '../../i18n';
import { formatDateTime } from '../../shared/lib/format';
import { useFormErrors } from '../../shared/lib/form-errors';
import { Field, FormError, SelectField } from '../../shared/ui/Field';
import { DataTable, QueryStates } from '../../shared/ui/DataTable';
import { SecretOnce } from '../../shared/ui/SecretOnce';
import { EmptyState } from '../../shared/ui/States';
import { useCreateWebhook, useDeleteWebhook, useWebhooks, WEBHOOK_EVENTS, type WebhookEvent } from './webhooks-api';

/** Webhook subscriptions: subscribe (the signing secret is shown once), delete, and a link to each delivery log. */
export function WebhooksSection() {
  const { confirm, dialog } = useConfirm();
  const webhooks = useWebhooks();
  const remove = useDeleteWebhook();
  const form = useFormErrors(['event', 'targetUrl']);
  const [secret, setSecret] = useState<string>();
  const create = useCreateWebhook((error) => form.fromError(error));
  return (
    <section className="stack" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t.webhooks.title}</h2>
      {secret ? (
        <SecretOnce
          secret={secret}
          warning={t.webhooks.secretOnce}
          storedLabel={t.webhooks.stored}
          testId="new-webhook-secret"
          onDone={() => setSecret(undefined)}
        />
      ) : (
        <form
          className="card toolbar"
          noValidate
          aria-label={t.webhooks.subscribe}
          onSubmit={(submit) => {
            submit.preventDefault();
            const values = Object.fromEntries(new FormData(submit.currentTarget).entries()) as Record<string, string>;
            form.clear();
            if (!values.targetUrl) return form.setField('targetUrl', t.webhooks.urlRequired);
            create.mutate(
              { event: values.event as WebhookEvent, targetUrl: values.targetUrl.trim() },
              {
                onSuccess: (created) => {
                  setSecret(created.secret);
                },
              },
            );
          }}
        >
          <FormError message={form.errors.form} />
          <SelectField label={t.webhooks.event} name="event" defaultValue="pass.scanned" error={form.errors.fields.event}>
            {WEBHOOK_EVENTS.map((event) => (
              <option key={event} value={event}>
                {event}
              </option>
            ))}
          </SelectField>
          <Field
            label={t.webhooks.targetUrl}
            name="targetUrl"
            type="url"
            placeholder="https://example.com/hooks/passway"
            error={form.errors.fields.targetUrl}
          />
          <button type="submit" className="button primary" disabled={create.isPending}>
            {t.webhooks.subscribe}
          </button>
        </form>
      )}
      <QueryStates
        query={webhooks}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState title={t.webhooks.empty}>
            <p>{t.webhooks.emptyHint}</p>
          </EmptyState>
        }
      >
        {(list) => (
          <DataTable
            label={t.webhooks.title}
            columns={[t.webhooks.event, t.webhooks.targetUrl, t.webhooks.state, t.developers.created]}
            actions
          >
            {list.map((webhook) => (
              <tr key={webhook.id}>
                <td>
                  <Link to="/developers/webhooks/$webhookId" params={{ webhookId: webhook.id }}>
                    {webhook.event}
                  </Link>
                </td>
                <td className="mono break">{webhook.targetUrl}</td>
                <td>
                  <span className={`badge ${webhook.active ? 'active' : 'revoked'}`}>
                    {webhook.active ? t.webhooks.active : (webhook.disabledReason ?? t.webhooks.disabled)}
                  </span>
                </td>
                <td>{formatDateTime(webhook.createdAt)}</td>
                <td>
                  <Link className="button small" to="/developers/webhooks/$webhookId" params={{ webhookId: webhook.id }}>
                    {fmt(t.webhooks.deliveriesOf, { event: webhook.event })}
                  </Link>{' '}
                  <button
                    type="button"
                    className="button small danger"
                    disabled={remove.isPending}
                    onClick={() => {
                      void confirm(fmt(t.webhooks.confirmDelete, { url: webhook.targetUrl }), t.webhooks.delete).then(
                        (ok) => ok && remove.mutate(webhook.id),
                      );
                    }}
                  >
                    {t.webhooks.delete}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryStates>
      {dialog}
    </section>
  );
}
