import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { t } from '../../i18n';
import { api } from '../../shared/api/client';
import type { EventView } from '../../shared/api/views';
import { useFormErrors } from '../../shared/lib/form-errors';
import { Field, FormError, SelectField } from '../../shared/ui/Field';
import { fromLocalInput } from '../events/datetime';

interface NewPass {
  type: 'single' | 'multi';
  name?: string;
  clientName?: string;
  clientEmail?: string;
  maxUsages?: number;
  eventId?: string;
  validFrom?: string | null;
  validUntil?: string | null;
}

const FIELDS = ['type', 'name', 'clientName', 'clientEmail', 'maxUsages', 'eventId', 'validFrom', 'validUntil'] as const;

/** Issues one pass (one token); the holder is emailed when an address is given. Opens the new pass. */
export function CreatePassForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const form = useFormErrors(FIELDS);
  const [type, setType] = useState<'single' | 'multi'>('single');
  const events = useQuery({
    queryKey: ['events'],
    queryFn: async () => (await api.GET('/api/v1/events', { params: { query: { limit: 100 } } })).data as unknown as EventView[],
  });
  const create = useMutation({
    mutationFn: async (body: NewPass) => (await api.POST('/api/v1/passes', { body })).data!,
    onSuccess: async (pass) => {
      await queryClient.invalidateQueries({ queryKey: ['passes'] });
      onDone();
      await navigate({ to: '/passes/$passId', params: { passId: pass.id } });
    },
    onError: (error) => form.fromError(error),
  });
  return (
    <form
      className="card stack"
      noValidate
      aria-labelledby="new-pass-title"
      onSubmit={(submit) => {
        submit.preventDefault();
        const values = Object.fromEntries(new FormData(submit.currentTarget).entries()) as Record<string, string>;
        form.clear();
        create.mutate({
          type,
          ...(values.name ? { name: values.name } : {}),
          ...(values.clientName ? { clientName: values.clientName } : {}),
          ...(values.clientEmail ? { clientEmail: values.clientEmail } : {}),
          ...(type === 'multi' && values.maxUsages ? { maxUsages: Number(values.maxUsages) } : {}),
          ...(values.eventId ? { eventId: values.eventId } : {}),
          ...(values.validFrom ? { validFrom: fromLocalInput(values.validFrom) } : {}),
          ...(values.validUntil ? { validUntil: fromLocalInput(values.validUntil) } : {}),
        });
      }}
    >
      <h2 id="new-pass-title">{t.passes.create}</h2>
      <FormError message={form.errors.form} />
      <div className="grid-2">
        <SelectField label={t.passes.type} name="type" value={type} onChange={(change) => setType(change.target.value as typeof type)}>
          <option value="single">{t.passes.types.single}</option>
          <option value="multi">{t.passes.types.multi}</option>
        </SelectField>
        {type === 'multi' && (
          <Field label={t.passes.maxUsages} name="maxUsages" type="number" min={1} error={form.errors.fields.maxUsages} />
        )}
        <Field label={t.passes.passName} name="name" error={form.errors.fields.name} />
        <Field label={t.passes.holderName} name="clientName" error={form.errors.fields.clientName} />
        <Field
          label={t.passes.holderEmail}
          name="clientEmail"
          type="email"
          error={form.errors.fields.clientEmail}
          hint={t.passes.emailHint}
        />
        <SelectField label={t.passes.event} name="eventId" defaultValue="" error={form.errors.fields.eventId}>
          <option value="">{t.passes.noEvent}</option>
          {(events.data ?? []).map((event) => (
            <option key={event.id} value={event.id}>
              {event.name}
            </option>
          ))}
        </SelectField>
        <Field label={t.passes.validFrom} name="validFrom" type="datetime-local" error={form.errors.fields.validFrom} />
        <Field label={t.passes.validUntil} name="validUntil" type="datetime-local" error={form.errors.fields.validUntil} />
      </div>
      <p className="muted small">{t.passes.costsToken}</p>
      <div className="actions">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {t.passes.createButton}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {t.app.cancel}
        </button>
      </div>
    </form>
  );
}
