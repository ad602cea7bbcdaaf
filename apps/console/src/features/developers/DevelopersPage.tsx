import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { fmt, t } from '../../i18n';
import { api } from '../../shared/api/client';
import { formatDateTime } from '../../shared/lib/format';
import { useFormErrors } from '../../shared/lib/form-errors';
import { usePageTitle } from '../../shared/lib/page-title';
import { useConfirm } from '../../shared/ui/ConfirmDialog';
import { FormError, Field, SelectField } from '../../shared/ui/Field';
import { DataTable, QueryStates } from '../../shared/ui/DataTable';
import { SecretOnce } from '../../shared/ui/SecretOnce';
import { EmptyState } from '../../shared/ui/States';
import { WebhooksSection } from '../webhooks/WebhooksSection';

type KeyRole = 'admin' | 'staff' | 'scanner';

/** API keys (shown once, then only a prefix; revoke) and a link to the API reference. */
export function DevelopersPage() {
  const { confirm, dialog } = useConfirm();
  usePageTitle(t.developers.title);
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: async () => (await api.GET('/api/v1/api-keys')).data! });
  const [issued, setIssued] = useState<{ apiKey: string; name: string | null }>();
  const form = useFormErrors(['name', 'role', 'events']);
  const create = useMutation({
    mutationFn: async (body: { name?: string; role: KeyRole }) => (await api.POST('/api/v1/api-keys', { body })).data!,
    onSuccess: async (key) => {
      setIssued({ apiKey: key.apiKey, name: key.name });
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
    onError: (error) => form.fromError(error),
  });
  const revoke = useMutation({
    mutationFn: async (keyId: string) => (await api.DELETE('/api/v1/api-keys/{keyId}', { params: { path: { keyId } } })).data!,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.developers.title}</h1>
        <a className="button" href="/docs" target="_blank" rel="noreferrer">
          {t.developers.apiReference}
        </a>
      </div>
      <h2>{t.developers.keys}</h2>
      {issued ? (
        <SecretOnce
          secret={issued.apiKey}
          warning={t.developers.shownOnce}
          storedLabel={t.developers.stored}
          testId="new-api-key"
          onDone={() => setIssued(undefined)}
        />
      ) : (
        <form
          className="card toolbar"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const values = Object.fromEntries(new FormData(event.currentTarget).entries()) as Record<string, string>;
            form.clear();
            create.mutate({ role: values.role as KeyRole, ...(values.name ? { name: values.name } : {}) });
          }}
        >
          <FormError message={form.errors.form} />
          <Field label={t.developers.keyName} name="name" error={form.errors.fields.name} />
          <SelectField label={t.developers.role} name="role" defaultValue="staff" error={form.errors.fields.role}>
            <option value="admin">{t.developers.roles.admin}</option>
            <option value="staff">{t.developers.roles.staff}</option>
            <option value="scanner">{t.developers.roles.scanner}</option>
          </SelectField>
          <button type="submit" className="button primary" disabled={create.isPending}>
            {t.developers.createKey}
          </button>
        </form>
      )}
      <QueryStates query={keys} isEmpty={(list) => list.length === 0} empty={<EmptyState title={t.developers.noKeys} />}>
        {(list) => (
          <DataTable
            label={t.developers.keys}
            columns={[t.developers.keyName, t.developers.role, t.developers.prefix, t.developers.scope, t.developers.created]}
            actions
          >
            {list.map((key) => (
              <tr key={key.id}>
                <td>{key.name ?? '—'}</td>
                <td>{key.role}</td>
                <td className="mono">{key.prefix}…</td>
                <td>{key.eventIds ? fmt(t.developers.events, { count: key.eventIds.length }) : t.developers.allEvents}</td>
                <td>{formatDateTime(key.createdAt)}</td>
                <td>
                  {key.revokedAt ? (
                    <span className="badge revoked">{t.developers.revoked}</span>
                  ) : (
                    <button
                      type="button"
                      className="button small danger"
                      disabled={revoke.isPending}
                      onClick={() => {
                        void confirm(fmt(t.developers.confirmRevoke, { name: key.name ?? key.prefix }), t.developers.revoke).then(
                          (ok) => ok && revoke.mutate(key.id),
                        );
                      }}
                    >
                      {t.developers.revoke}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryStates>
      <WebhooksSection />
      {dialog}
    </section>
  );
}
