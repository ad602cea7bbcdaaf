import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client';

export const PLANS = ['free', 'basic', 'pro'] as const;
export type Plan = (typeof PLANS)[number];

export function useOrganizations(search: string) {
  return useQuery({
    queryKey: ['operator', 'organizations', search],
    placeholderData: (previous) => previous,
    queryFn: async () => (await api.GET('/api/v1/operator/organizations', { params: { query: search ? { search } : {} } })).data!,
  });
}

type Change = { action: 'plan'; plan: Plan } | { action: 'topup'; tokens: number } | { action: 'suspend' } | { action: 'resume' };

/** Every operator action answers the organisation as it is now. */
export function useOperatorAction(organizationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: Change) => {
      const path = { params: { path: { organizationId } } };
      switch (change.action) {
        case 'plan':
          return (await api.PATCH('/api/v1/operator/organizations/{organizationId}', { ...path, body: { plan: change.plan } })).data!;
        case 'topup':
          return (await api.POST('/api/v1/operator/organizations/{organizationId}/topup', { ...path, body: { tokens: change.tokens } }))
            .data!;
        case 'suspend':
          return (await api.POST('/api/v1/operator/organizations/{organizationId}/suspend', path)).data!;
        case 'resume':
          return (await api.POST('/api/v1/operator/organizations/{organizationId}/resume', path)).data!;
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['operator', 'organizations'] }),
  });
}
