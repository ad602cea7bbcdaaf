import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { t } from '../../i18n';
import { api } from '../../shared/api/client';
import type { EventView } from '../../shared/api/views';
import { formatDateTime } from '../../shared/lib/format';
import { useFormErrors } from '../../shared/lib/form-errors';
import { usePageTitle } from '../../shared/lib/page-title';
import { Field, FormError } from '../../shared/ui/Field';
import { EmptyState, ErrorState, Loading } from '../../shared/ui/States';
import { useSession } from '../../app/shell-route';
import { can } from '../auth/session';

function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

export function EventsPage() {
  usePageTitle(t.events.title);
  const session = useSession();
  const [creating, setCreating] = useState(false);
  const events = useQuery({
    queryKey: ['events'],
    queryFn: async () => (await api.GET('/api/v1/events', { params: { query: { limit: 100 } } })).data as unknown as EventView[],
  });
  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.events.title}</h1>
        {can(session, 'manage') && !session.eventIds && (
          <button type="button" className="button primary" onClick={() => setCreating(true)} aria-expanded={creating}>
            {t.events.create}
          </button>
        )}
      </div>
      {creating && <CreateEventForm onDone={() => setCreating(false)} />}
      {events.isPending ? (
        <Loading />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : events.data.length === 0 ? (
        <EmptyState title={t.events.empty} />
      ) : (
        <div className="table-scroll" role="region" aria-label={t.events.title} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th>{t.events.name}</th>
                <th>{t.events.slug}</th>
                <th>{t.events.startsAt}</th>
                <th>{t.events.status}</th>
              </tr>
            </thead>
            <tbody>
              {events.data.map((event) => (
                <tr key={event.id}>
                  <td>
                    <Link to="/events/$eventId" params={{ eventId: event.id }}>
                      {event.name}
                    </Link>
                  </td>
                  <td>{event.slug}</td>
                  <td>{formatDateTime(event.startsAt, undefined)}</td>
                  <td>
                    <span className={`badge ${event.status}`}>{event.status}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function CreateEventForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState<string>();
  const form = useFormErrors(['name', 'slug', 'startsAt', 'endsAt', 'venue']);
  const create = useMutation({
    mutationFn: async (body: { name: string; slug?: string; startsAt: string; endsAt?: string; venue?: string }) =>
      (await api.POST('/api/v1/events', { body })).data as unknown as EventView,
    onSuccess: async (event) => {
      await queryClient.invalidateQueries({ queryKey: ['events'] });
      onDone();
      await navigate({ to: '/events/$eventId', params: { eventId: event.id } });
    },
    onError: (error) => form.fromError(error),
  });
  return (
    <form
      className="card stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const values = Object.fromEntries(new FormData(event.currentTarget).entries()) as Record<string, string>;
        form.clear();
        if (!values.startsAt) return form.setField('startsAt', t.events.startsAtRequired);
        create.mutate({
          name: values.name,
          slug: values.slug || undefined,
          startsAt: new Date(values.startsAt).toISOString(),
          endsAt: values.endsAt ? new Date(values.endsAt).toISOString() : undefined,
          venue: values.venue || undefined,
        });
      }}
    >
      <h2>{t.events.create}</h2>
      <FormError message={form.errors.form} />
      <div className="grid-2">
        <Field
          label={t.events.name}
          name="name"
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={form.errors.fields.name}
        />
        <Field
          label={t.events.slug}
          name="slug"
          value={slug ?? slugify(name)}
          onChange={(event) => setSlug(event.target.value)}
          error={form.errors.fields.slug}
          hint={t.events.slugHint}
        />
        <Field label={t.events.startsAt} name="startsAt" type="datetime-local" required error={form.errors.fields.startsAt} />
        <Field label={t.events.endsAt} name="endsAt" type="datetime-local" error={form.errors.fields.endsAt} />
        <Field label={t.events.venue} name="venue" error={form.errors.fields.venue} />
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {t.events.createButton}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {t.app.cancel}
        </button>
      </div>
    </form>
  );
}
