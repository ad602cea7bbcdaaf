import { CreatedWebhookView, WebhookView } from './webhook.view';

/** The REST contract's `/webhooks` shapes; `disabledReason` appears only on a subscription the service switched off. */
export const WebhookPresenter = {
  view: (webhook: WebhookView) => ({
    id: webhook.id,
    event: webhook.event,
    targetUrl: webhook.targetUrl,
    active: webhook.active,
    ...(webhook.disabledReason ? { disabledReason: webhook.disabledReason } : {}),
    createdAt: webhook.createdAt,
  }),

  created: (webhook: CreatedWebhookView) => ({ ...WebhookPresenter.view(webhook), secret: webhook.secret }),
};
