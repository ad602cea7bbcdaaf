import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client';
import type { EventView } from '../../shared/api/views';

type EventUpdate = {
  name?: string;
  slug?: string;
  startsAt?: string;
  endsAt?: string | null;
  venue?: string | null;
  attendeeFields?: { key: string; label?: string; required?: boolean }[];
  branding?: Partial<Record<'primaryColor' | 'backgroundColor' | 'textColor' | 'logoUrl', string | null>>;
};

/** PATCH /events/:id; the answer replaces the cached event. */
export function useUpdateEvent(eventId: string, onError?: (error: unknown) => void, onSuccess?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: EventUpdate) =>
      (await api.PATCH('/api/v1/events/{eventId}', { params: { path: { eventId } }, body })).data as unknown as EventView,
    onSuccess: async (event) => {
      queryClient.setQueryData(['event', eventId], event);
      await queryClient.invalidateQueries({ queryKey: ['events'] });
      onSuccess?.();
    },
    onError,
  });
}

/** Suspend (no scan admits anyone) or resume an event. */
export function useEventStatus(eventId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (action: 'suspend' | 'resume') =>
      (action === 'suspend'
        ? await api.POST('/api/v1/events/{eventId}/suspend', { params: { path: { eventId } } })
        : await api.POST('/api/v1/events/{eventId}/resume', { params: { path: { eventId } } })
      ).data as unknown as EventView,
    onSuccess: async (event) => {
      queryClient.setQueryData(['event', eventId], event);
      await queryClient.invalidateQueries({ queryKey: ['events'] });
    },
  });
}
