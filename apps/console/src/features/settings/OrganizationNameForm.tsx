import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { useState } from 'react';
import { t } from '../../i18n';
import { api } from '../../shared/api/client';
import { useFormErrors } from '../../shared/lib/form-errors';
import { Field, FormError } from '../../shared/ui/Field';

const FIELDS = ['name'] as const;

/** An admin renames the organisation (`PATCH /organization`); the API's error shows next to the field. */
export function OrganizationNameForm({ name }: { name: string }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const form = useFormErrors(FIELDS);
  const [saved, setSaved] = useState(false);
  const rename = useMutation({
    mutationFn: async (next: string) => (await api.PATCH('/api/v1/organization', { body: { name: next } })).data!,
    onSuccess: async (organization) => {
      queryClient.setQueryData(['organization'], organization);
      // The shell reads the session from its route context: refresh both, so the header shows the new name.
      await queryClient.refetchQueries({ queryKey: ['session'] });
      await router.invalidate();
      setSaved(true);
    },
    onError: (error) => form.fromError(error),
  });
  return (
    <form
      className="card stack"
      noValidate
      aria-labelledby="organization-name-title"
      onSubmit={(submit) => {
        submit.preventDefault();
        form.clear();
        setSaved(false);
        rename.mutate(String(new FormData(submit.currentTarget).get('name') ?? ''));
      }}
    >
      <h3 id="organization-name-title">{t.settings.editOrganization}</h3>
      <FormError message={form.errors.form} />
      <Field label={t.settings.organizationName} name="name" required maxLength={200} defaultValue={name} error={form.errors.fields.name} />
      <div>
        <button type="submit" className="button primary" disabled={rename.isPending}>
          {t.settings.saveOrganization}
        </button>{' '}
        {saved && (
          <span role="status" className="muted">
            {t.settings.saved}
          </span>
        )}
      </div>
    </form>
  );
}
