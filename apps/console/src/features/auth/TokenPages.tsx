import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { fmt, t } from '../../i18n';
import { api } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { useFormErrors } from '../../shared/lib/form-errors';
import { Field, FormError } from '../../shared/ui/Field';
import { Loading } from '../../shared/ui/States';
import { AuthLayout, formValues } from './AuthLayout';

function useToken(): string {
  return ((useSearch({ strict: false }) as { token?: string }).token ?? '').trim();
}

/** The emailed verification link: confirms the address, signs in, opens the overview. */
export function VerifyEmailPage() {
  const token = useToken();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api
      .POST('/api/v1/auth/verify-email', { body: { token } })
      .then(({ data }) => {
        queryClient.setQueryData(['session'], data);
        return navigate({ to: '/' });
      })
      .catch((failure: unknown) => setError(failure instanceof ApiError ? failure.message : t.app.genericError));
  }, [token, navigate, queryClient]);
  return (
    <AuthLayout title={t.auth.verifyTitle}>
      {error ? (
        <>
          <p role="alert" className="field-error">
            {error}
          </p>
          <Link to="/login">{t.auth.backToSignIn}</Link>
        </>
      ) : (
        <Loading label={t.auth.verifying} />
      )}
    </AuthLayout>
  );
}

/** Ask for a reset link, or (with ?token=) choose the new password. */
export function ResetPasswordPage() {
  const token = useToken();
  const [done, setDone] = useState<string>();
  const [pending, setPending] = useState(false);
  const form = useFormErrors(['email', 'password', 'token']);
  if (done) {
    return (
      <AuthLayout title={t.auth.resetTitle}>
        <p role="status">{done}</p>
        <Link to="/login">{t.auth.backToSignIn}</Link>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title={t.auth.resetTitle}
      onSubmit={async (event) => {
        const values = formValues(event);
        form.clear();
        setPending(true);
        try {
          if (token) {
            await api.POST('/api/v1/auth/password-reset/confirm', { body: { token, password: values.password } });
            setDone(t.auth.passwordChanged);
          } else {
            const { data } = await api.POST('/api/v1/auth/password-reset', { body: { email: values.email } });
            setDone(data!.message);
          }
        } catch (error) {
          form.fromError(error);
        } finally {
          setPending(false);
        }
      }}
    >
      <FormError message={form.errors.form} />
      {token ? (
        <Field
          label={t.auth.newPassword}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          error={form.errors.fields.password}
        />
      ) : (
        <Field label={t.auth.email} name="email" type="email" autoComplete="email" required error={form.errors.fields.email} />
      )}
      <button className="button primary" type="submit" disabled={pending}>
        {token ? t.auth.setPassword : t.auth.sendResetLink}
      </button>
    </AuthLayout>
  );
}

/** The invitation link: shows the organisation and role, then joins (new account or existing password). */
export function InvitePage() {
  const token = useToken();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const form = useFormErrors(['name', 'password']);
  const preview = useQuery({
    queryKey: ['invitation', token],
    queryFn: async () => (await api.GET('/api/v1/invitations/lookup', { params: { query: { token } } })).data!,
  });
  if (preview.isPending)
    return (
      <AuthLayout title={t.auth.inviteTitle}>
        <Loading />
      </AuthLayout>
    );
  if (preview.isError) {
    return (
      <AuthLayout title={t.auth.inviteTitle}>
        <p role="alert" className="field-error">
          {preview.error instanceof ApiError ? preview.error.message : t.app.genericError}
        </p>
        <Link to="/login">{t.auth.backToSignIn}</Link>
      </AuthLayout>
    );
  }
  const invitation = preview.data;
  return (
    <AuthLayout
      title={fmt(t.auth.joinTitle, { organization: invitation.organizationName })}
      onSubmit={async (event) => {
        const values = formValues(event);
        form.clear();
        setPending(true);
        try {
          const { data } = await api.POST('/api/v1/invitations/accept', {
            body: { token, password: values.password, ...(values.name ? { name: values.name } : {}) },
          });
          queryClient.setQueryData(['session'], data);
          await navigate({ to: '/' });
        } catch (error) {
          form.fromError(error);
        } finally {
          setPending(false);
        }
      }}
    >
      <p>{fmt(t.auth.invitedAs, { email: invitation.email, role: t.roles[invitation.role] })}</p>
      <FormError message={form.errors.form} />
      {!invitation.hasAccount && <Field label={t.auth.name} name="name" autoComplete="name" required error={form.errors.fields.name} />}
      <Field
        label={invitation.hasAccount ? t.auth.password : t.auth.choosePassword}
        name="password"
        type="password"
        autoComplete={invitation.hasAccount ? 'current-password' : 'new-password'}
        required
        error={form.errors.fields.password}
      />
      <button className="button primary" type="submit" disabled={pending}>
        {t.auth.acceptInvitation}
      </button>
    </AuthLayout>
  );
}
