import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api/client';
import { toPage } from '../../shared/api/pagination';
import type { Schemas } from '@passway/sdk';

export type WebhookEvent = Schemas['CreateWebhookDto']['event'];
/** The events a webhook may subscribe to: the keys must be exactly the API's enum (SUBSCRIBABLE_EVENT_TYPES), or this does not compile. */
const SUBSCRIBABLE: Record<WebhookEvent, true> = {
  'pass.created': true,
  'pass.scanned': true,
  'pass.status_changed': true,
  'pass.admission_undone': true,
  'client.created': true,
  'event.created': true,
  'event.updated': true,
};
export const WEBHOOK_EVENTS = Object.keys(SUBSCRIBABLE) as WebhookEvent[];

export function useWebhooks() {
  return useQuery({
    queryKey: ['webhooks'],
    queryFn: async () => (await api.GET('/api/v1/webhooks', { params: { query: { limit: 100 } } })).data!,
  });
}

export function useCreateWebhook(onError: (error: unknown) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { event: WebhookEvent; targetUrl: string }) => (await api.POST('/api/v1/webhooks', { body })).data!,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
    onError,
  });
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (webhookId: string) => (await api.DELETE('/api/v1/webhooks/{webhookId}', { params: { path: { webhookId } } })).data!,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}

export function useDeliveries(webhookId: string, page: number, size: number) {
  return useQuery({
    queryKey: ['webhooks', webhookId, 'deliveries', { page, size }],
    placeholderData: (previous) => previous,
    // Deliveries move (retrying → succeeded) on their own: keep the log current while it is open.
    refetchInterval: 5_000,
    queryFn: async () => {
      const { data, response } = await api.GET('/api/v1/webhooks/{webhookId}/deliveries', {
        params: { path: { webhookId }, query: { page, limit: size } },
      });
      return toPage(data, response);
    },
  });
}

export function useRetryDelivery(webhookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (deliveryId: string) =>
      (await api.POST('/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/retry', { params: { path: { webhookId, deliveryId } } })).data!,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['webhooks', webhookId, 'deliveries'] }),
  });
}
