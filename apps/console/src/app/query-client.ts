import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../shared/api/errors';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A 4xx will not change by asking again; network errors and 5xx get two more tries.
      retry: (failures, error) => !(error instanceof ApiError && error.isClientError) && failures < 2,
      refetchOnWindowFocus: false,
    },
    mutations: { retry: false },
  },
});
