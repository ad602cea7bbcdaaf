import { Counter, Histogram } from 'prom-client';

const DELIVERY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600];

/** What an operator watches: attempts by outcome, how long subscribers take, and event → first attempt lag. */
export const deliveryMetrics = {
  attempts: new Counter({
    name: 'passway_webhook_attempts_total',
    help: 'Webhook delivery attempts, by outcome (succeeded, retrying, failed) and status class',
    labelNames: ['outcome', 'status_class'],
  }),
  attemptDuration: new Histogram({
    name: 'passway_webhook_attempt_duration_seconds',
    help: 'Time from sending a webhook to the end of its answer',
    buckets: DELIVERY_BUCKETS,
  }),
  firstAttemptLag: new Histogram({
    name: 'passway_webhook_event_to_first_attempt_seconds',
    help: 'Time from an event happening to its first delivery attempt ending',
    buckets: LAG_BUCKETS,
  }),
  /** Events logged for /triggers whose tenant has no webhook for their type: no deliveries statement ran for them. */
  intakeSkipped: new Counter({
    name: 'passway_webhook_events_without_subscriber_total',
    help: 'Consumed events no active webhook of their tenant subscribes to',
  }),
  disabled: new Counter({ name: 'passway_webhook_subscriptions_disabled_total', help: 'Webhooks disabled after failing for too long' }),
};

export function statusClass(statusCode: number | null): string {
  return statusCode === null ? 'none' : `${Math.floor(statusCode / 100)}xx`;
}
