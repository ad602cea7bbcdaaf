import { SubscribableEventType } from '../../events/event-types';

/** A subscription as the webhooks service returns it. */
export interface WebhookView {
  id: string;
  event: SubscribableEventType;
  targetUrl: string;
  active: boolean;
  disabledReason: string | null;
  createdAt: string;
}

/** Only the create answer carries the signing secret, once. */
export interface CreatedWebhookView extends WebhookView {
  secret: string;
}

export const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryAttemptView {
  attempt: number;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  attemptedAt: string;
  /** The start of the response body (null: no response, or sent before responses were kept). */
  responseExcerpt: string | null;
}

/** One event sent to one subscription, with every attempt made so far. */
export interface DeliveryView {
  id: string;
  /** Sent as the `webhook-id` header on every attempt. */
  messageId: string;
  eventId: string;
  event: string;
  status: DeliveryStatus;
  attemptCount: number;
  lastStatusCode: number | null;
  durationMs: number | null;
  error: string | null;
  nextRetryAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The JSON body every attempt POSTs. */
  request: string;
  attempts: DeliveryAttemptView[];
}

/** An item of `GET /triggers`: the event's data in the REST shape of its kind. */
export type TriggerItem = Record<string, unknown>;
