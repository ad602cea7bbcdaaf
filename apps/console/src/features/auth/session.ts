import { queryOptions } from '@tanstack/react-query';
import { api } from '../../shared/api/client';

/** Who is signed in and in which organisation; a 401 means nobody (the shell sends them to sign-in). */
export const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: async () => {
    const { data } = await api.GET('/api/v1/organization');
    return { organization: data! };
  },
  staleTime: 60_000,
});

export type Session = Awaited<ReturnType<typeof sessionQuery.queryFn & object>>;
