import { queryOptions } from '@tanstack/react-query';
import { api } from '../../shared/api/client';

/** Who is signed in, in which organisation, with which role; a 401 means nobody. */
export const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: async () => (await api.GET('/api/v1/auth/session')).data!,
  staleTime: 60_000,
});

export type Session = NonNullable<Awaited<ReturnType<typeof sessionQuery.queryFn & object>>>;

/** What the session's role may see: door staff scan only; billing, team and developers are for owners and admins. */
export function can(session: Session, what: 'manage' | 'admin'): boolean {
  const role = session.role;
  if (what === 'admin') return role === 'owner' || role === 'admin';
  return role === 'owner' || role === 'admin' || role === 'event_manager';
}
