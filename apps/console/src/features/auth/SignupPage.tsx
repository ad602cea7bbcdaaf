import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { fmt, t } from '../../i18n';
import { api } from '../../shared/api/client';
import { useFormErrors } from '../../shared/lib/form-errors';
import { Field, FormError } from '../../shared/ui/Field';
import { AuthLayout, formValues } from './AuthLayout';

const PASSWORD_MIN = 10;

export function SignupPage() {
  const [sentTo, setSentTo] = useState<string>();
  const [pending, setPending] = useState(false);
  const form = useFormErrors(['name', 'email', 'password', 'organizationName']);
  if (sentTo) {
    return (
      <AuthLayout title={t.auth.checkInbox}>
        <p role="status">{fmt(t.auth.verificationSent, { email: sentTo })}</p>
        <Link to="/login">{t.auth.backToSignIn}</Link>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title={t.auth.signUpTitle}
      onSubmit={async (event) => {
        const values = formValues(event);
        form.clear();
        if (values.password.length < PASSWORD_MIN) return form.setField('password', fmt(t.auth.passwordTooShort, { min: PASSWORD_MIN }));
        setPending(true);
        try {
          await api.POST('/api/v1/auth/signup', {
            body: {
              name: values.name,
              email: values.email,
              password: values.password,
              ...(values.organizationName ? { organizationName: values.organizationName } : {}),
            },
          });
          setSentTo(values.email);
        } catch (error) {
          form.fromError(error);
        } finally {
          setPending(false);
        }
      }}
      footer={
        <p>
          {t.auth.haveAccount} <Link to="/login">{t.auth.signIn}</Link>
        </p>
      }
    >
      <FormError message={form.errors.form} />
      <Field label={t.auth.name} name="name" autoComplete="name" required error={form.errors.fields.name} />
      <Field label={t.auth.email} name="email" type="email" autoComplete="email" required error={form.errors.fields.email} />
      <Field
        label={t.auth.password}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        hint={fmt(t.auth.passwordHint, { min: PASSWORD_MIN })}
        error={form.errors.fields.password}
      />
      <Field
        label={t.auth.organizationName}
        name="organizationName"
        autoComplete="organization"
        error={form.errors.fields.organizationName}
      />
      <button className="button primary" type="submit" disabled={pending}>
        {t.auth.createAccountButton}
      </button>
    </AuthLayout>
  );
}
