import { useConfirm } from '../../shared/ui/ConfirmDialog';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { fmt, t } from '../../i18n';
import { api } from '../../shared/api/client';
import type { EventView } from '../../shared/api/views';
import { ApiError } from '../../shared/api/errors';
import { formatDateTime } from '../../shared/lib/format';
import { useFormErrors } from '../../shared/lib/form-errors';
import { usePageTitle } from '../../shared/lib/page-title';
import { Field, FormError, SelectField } from '../../shared/ui/Field';
import { ErrorState, Loading } from '../../shared/ui/States';

type MemberRole = 'owner' | 'admin' | 'event_manager' | 'door_staff';
const ROLES: MemberRole[] = ['owner', 'admin', 'event_manager', 'door_staff'];

/** Members and their roles, pending invitations, and the invite form. */
export function TeamPage() {
  const { confirm, dialog } = useConfirm();
  usePageTitle(t.team.title);
  const queryClient = useQueryClient();
  const members = useQuery({ queryKey: ['members'], queryFn: async () => (await api.GET('/api/v1/members')).data! });
  const invitations = useQuery({ queryKey: ['invitations'], queryFn: async () => (await api.GET('/api/v1/invitations')).data! });
  const events = useQuery({
    queryKey: ['events'],
    queryFn: async () => (await api.GET('/api/v1/events', { params: { query: { limit: 100 } } })).data as unknown as EventView[],
  });
  const [role, setRole] = useState<MemberRole>('event_manager');
  const [notice, setNotice] = useState<string>();
  const form = useFormErrors(['email', 'role', 'events']);
  const invalidate = () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: ['members'] }), queryClient.invalidateQueries({ queryKey: ['invitations'] })]);
  const invite = useMutation({
    mutationFn: async (body: { email: string; role: MemberRole; events?: string[] }) =>
      (await api.POST('/api/v1/invitations', { body })).data!,
    onSuccess: async (invitation) => {
      setNotice(fmt(t.team.invited, { email: invitation.email }));
      await invalidate();
    },
    onError: (error) => form.fromError(error),
  });
  const changeRole = useMutation({
    mutationFn: async ({ memberId, role: next, events: scope }: { memberId: string; role: MemberRole; events?: string[] }) =>
      (
        await api.PATCH('/api/v1/members/{memberId}', {
          params: { path: { memberId } },
          body: { role: next, ...(scope ? { events: scope } : {}) },
        })
      ).data!,
    onError: (error) => setNotice(error instanceof ApiError ? error.message : t.app.genericError),
    onSettled: invalidate,
  });
  const remove = useMutation({
    mutationFn: async (memberId: string) => (await api.DELETE('/api/v1/members/{memberId}', { params: { path: { memberId } } })).data!,
    onError: (error) => setNotice(error instanceof ApiError ? error.message : t.app.genericError),
    onSettled: invalidate,
  });
  const scoped = role === 'event_manager' || role === 'door_staff';
  return (
    <section className="stack">
      <h1>{t.team.title}</h1>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <form
        className="card stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          const chosen = data.getAll('events').map(String);
          form.clear();
          setNotice(undefined);
          invite.mutate({ email: String(data.get('email')), role, ...(scoped && chosen.length ? { events: chosen } : {}) });
        }}
      >
        <h2>{t.team.invite}</h2>
        <FormError message={form.errors.form} />
        <div className="grid-2">
          <Field label={t.team.email} name="email" type="email" required error={form.errors.fields.email} />
          <SelectField
            label={t.team.role}
            name="role"
            value={role}
            onChange={(change) => setRole(change.target.value as MemberRole)}
            error={form.errors.fields.role}
          >
            {ROLES.map((option) => (
              <option key={option} value={option}>
                {t.roles[option]}
              </option>
            ))}
          </SelectField>
        </div>
        {scoped && (
          <fieldset aria-describedby={form.errors.fields.events ? 'invite-events-error' : undefined}>
            <legend>{t.team.events}</legend>
            {(events.data ?? []).map((event) => (
              <label key={event.id} className="checkbox">
                <input type="checkbox" name="events" value={event.id} /> {event.name}
              </label>
            ))}
            {form.errors.fields.events && (
              <span id="invite-events-error" className="field-error">
                {form.errors.fields.events}
              </span>
            )}
          </fieldset>
        )}
        <p className="muted small">{t.team.roleHelp[role]}</p>
        <div className="actions">
          <button type="submit" className="button primary" disabled={invite.isPending}>
            {t.team.sendInvite}
          </button>
        </div>
      </form>
      <h2>{t.team.members}</h2>
      {members.isPending ? (
        <Loading />
      ) : members.isError ? (
        <ErrorState error={members.error} onRetry={() => void members.refetch()} />
      ) : (
        <div className="table-scroll" role="region" aria-label={t.team.members} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th>{t.team.name}</th>
                <th>{t.team.email}</th>
                <th>{t.team.role}</th>
                <th>{t.team.since}</th>
                <th>
                  <span className="visually-hidden">{t.developers.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.map((member) => (
                <tr key={member.id}>
                  <td>{member.name}</td>
                  <td>{member.email}</td>
                  <td>
                    <label className="visually-hidden" htmlFor={`role-${member.id}`}>
                      {fmt(t.team.roleOf, { name: member.name })}
                    </label>
                    <select
                      id={`role-${member.id}`}
                      value={member.role}
                      onChange={(change) =>
                        changeRole.mutate({
                          memberId: member.id,
                          role: change.target.value as MemberRole,
                          events: member.eventIds ?? undefined,
                        })
                      }
                    >
                      {ROLES.map((option) => (
                        <option key={option} value={option}>
                          {t.roles[option]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{formatDateTime(member.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="button small"
                      onClick={() => {
                        void confirm(fmt(t.team.confirmRemove, { name: member.name }), t.team.remove).then(
                          (ok) => ok && remove.mutate(member.id),
                        );
                      }}
                    >
                      {t.team.remove}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {invitations.data && invitations.data.length > 0 && (
        <>
          <h2>{t.team.pending}</h2>
          <ul className="list">
            {invitations.data.map((invitation) => (
              <li key={invitation.id}>
                {invitation.email} · {t.roles[invitation.role]} · {fmt(t.team.expires, { date: formatDateTime(invitation.expiresAt) })}
              </li>
            ))}
          </ul>
        </>
      )}
      {dialog}
    </section>
  );
}
