import { useState } from 'react';
import { fmt, t } from '../../i18n';
import type { EventView } from '../../shared/api/views';
import { useFormErrors } from '../../shared/lib/form-errors';
import { Field, FormError } from '../../shared/ui/Field';
import { useUpdateEvent } from './event-api';
import { browserTimeZone, fromLocalInput, toLocalInput } from './datetime';

const FIELDS = ['name', 'slug', 'startsAt', 'endsAt', 'venue'] as const;

/** Name, slug, venue and times of an existing event. */
export function EventDetailsForm({ event }: { event: EventView }) {
  const form = useFormErrors(FIELDS);
  const [saved, setSaved] = useState(false);
  const update = useUpdateEvent(
    event.id,
    (error) => form.fromError(error),
    () => setSaved(true),
  );
  return (
    <form
      className="card stack"
      noValidate
      aria-labelledby="event-details-title"
      onSubmit={(submit) => {
        submit.preventDefault();
        const values = Object.fromEntries(new FormData(submit.currentTarget).entries()) as Record<string, string>;
        form.clear();
        setSaved(false);
        if (!values.startsAt) return form.setField('startsAt', t.events.startsAtRequired);
        update.mutate({
          name: values.name,
          slug: values.slug,
          startsAt: fromLocalInput(values.startsAt)!,
          endsAt: fromLocalInput(values.endsAt),
          venue: values.venue || null,
        });
      }}
    >
      <h2 id="event-details-title">{t.eventSettings.details}</h2>
      <FormError message={form.errors.form} />
      <div className="grid-2">
        <Field label={t.events.name} name="name" required defaultValue={event.name} error={form.errors.fields.name} />
        <Field
          label={t.events.slug}
          name="slug"
          required
          defaultValue={event.slug}
          error={form.errors.fields.slug}
          hint={t.events.slugHint}
        />
        <Field
          label={t.events.startsAt}
          name="startsAt"
          type="datetime-local"
          required
          defaultValue={toLocalInput(event.startsAt)}
          error={form.errors.fields.startsAt}
          hint={fmt(t.eventSettings.timeZone, { zone: browserTimeZone() })}
        />
        <Field
          label={t.events.endsAt}
          name="endsAt"
          type="datetime-local"
          defaultValue={toLocalInput(event.endsAt)}
          error={form.errors.fields.endsAt}
        />
        <Field label={t.events.venue} name="venue" defaultValue={event.venue ?? ''} error={form.errors.fields.venue} />
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={update.isPending}>
          {t.eventSettings.saveDetails}
        </button>
        {saved && (
          <span role="status" className="muted">
            {t.eventSettings.saved}
          </span>
        )}
      </div>
    </form>
  );
}
