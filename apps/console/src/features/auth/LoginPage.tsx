import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { t } from '../../i18n';
import { api } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { useFormErrors } from '../../shared/lib/form-errors';
import { Field, FormError } from '../../shared/ui/Field';
import { AuthLayout, formValues } from './AuthLayout';

export function LoginPage() {
  const search = useSearch({ strict: false }) as { redirect?: string };
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const form = useFormErrors(['email', 'password']);
  return (
    <AuthLayout
      title={t.auth.signInTitle}
      onSubmit={async (event) => {
        const values = formValues(event);
        setPending(true);
        form.clear();
        try {
          const { data } = await api.POST('/api/v1/auth/login', { body: { email: values.email, password: values.password } });
          queryClient.setQueryData(['session'], data);
          const target = search.redirect?.replace(/^\/app/, '') || '/';
          await navigate({ to: target });
        } catch (error) {
          if (error instanceof ApiError && error.code === 'email_not_verified')
            form.fromError(new ApiError(403, t.auth.notVerified, error.code, [], error.requestId));
          else form.fromError(error);
        } finally {
          setPending(false);
        }
      }}
      footer={
        <>
          <p>
            {t.auth.noAccount} <Link to="/signup">{t.auth.createAccount}</Link>
          </p>
          <p>
            <Link to="/reset-password">{t.auth.forgotPassword}</Link>
          </p>
        </>
      }
    >
      <FormError message={form.errors.form} />
      <Field label={t.auth.email} name="email" type="email" autoComplete="username" required error={form.errors.fields.email} />
      <Field
        label={t.auth.password}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={form.errors.fields.password}
      />
      <button className="button primary" type="submit" disabled={pending}>
        {pending ? t.auth.signingIn : t.auth.signIn}
      </button>
    </AuthLayout>
  );
}
