import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client';
import type { EventView } from '../../shared/api/views';

export const devicesQuery = queryOptions({
  queryKey: ['devices'],
  queryFn: async () => (await api.GET('/api/v1/devices')).data!,
});

export const eventChoicesQuery = queryOptions({
  queryKey: ['events'],
  queryFn: async () => (await api.GET('/api/v1/events', { params: { query: { limit: 100 } } })).data as unknown as EventView[],
});

export function useCreateDevice(onError: (error: unknown) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { name: string; events: string[] }) => (await api.POST('/api/v1/devices', { body })).data!,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['devices'] }),
    onError,
  });
}

export function useRevokeDevice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (deviceId: string) => (await api.DELETE('/api/v1/devices/{deviceId}', { params: { path: { deviceId } } })).data!,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['devices'] }),
  });
}
