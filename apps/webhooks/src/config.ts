import {
  benchModeOnLoopback,
  kafkaSecuritySettings,
  ConfigError,
  loadConfig,
  serviceSettings,
  setting,
  sharedSettings,
} from '@passway/common';

const HOUR_MS = 60 * 60 * 1000;

/** Standard Webhooks' usual schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const DEFAULT_RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * HOUR_MS, 5 * HOUR_MS, 10 * HOUR_MS, 10 * HOUR_MS];

/** Only for development: with NODE_ENV=production the setting is required. */
export const DEV_WEBHOOK_SECRET_KEY = 'ZGV2LW9ubHktd2ViaG9vay1zZWNyZXQta2V5LTMyYnk=';

export const webhooksSettings = {
  ...sharedSettings,
  ...kafkaSecuritySettings,
  WEBHOOKS_GRPC_URL: serviceSettings.WEBHOOKS_GRPC_URL,
  WEBHOOKS_HTTP_PORT: setting.port(3003),
  DATABASE_POOL_SIZE: setting.int(10, { min: 1, max: 200 }),
  /** AES-256-GCM key (base64 of 32 bytes) that encrypts subscription signing secrets at rest; required in production. */
  WEBHOOK_SECRET_KEY: setting.base64Bytes(DEV_WEBHOOK_SECRET_KEY, 32, { requiredInProduction: true }),
  /** Lifts the https and public-address rules on targetUrl (development and tests only; refused in production). */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: setting.bool(false),
  /** Active subscriptions a tenant may have. */
  WEBHOOK_QUOTA: setting.int(25, { min: 1, max: 10_000 }),
  WEBHOOK_TIMEOUT_MS: setting.int(10_000, { min: 100, max: 120_000 }),
  /** Delay before each retry; one automatic attempt more than there are delays. */
  WEBHOOK_RETRY_DELAYS_MS: setting.intList(DEFAULT_RETRY_DELAYS_MS.join(',')),
  /** A subscription whose deliveries have failed for this long without a success is disabled. */
  WEBHOOK_DISABLE_AFTER_MS: setting.int(5 * 24 * HOUR_MS, { min: 1_000 }),
  WEBHOOK_CONCURRENCY: setting.int(20, { min: 1, max: 500 }),
  /** How often the sweeper re-enqueues deliveries committed but never handed to the queue. */
  WEBHOOK_SWEEP_INTERVAL_MS: setting.int(5_000, { min: 100, max: 600_000 }),
  /**
   * Settled deliveries, the event log (and so /triggers) and processed event ids are kept this
   * many days. At least 8: longer than the topics' 7-day retention, so a redelivered event is
   * still recognised.
   */
  WEBHOOK_LOG_RETENTION_DAYS: setting.int(30, { min: 8, max: 3650 }),
  WEBHOOK_PURGE_INTERVAL_MS: setting.int(60 * 60_000, { min: 1_000 }),
  /** Redis key prefix of the delivery queue (lets several stacks share one Redis database). */
  WEBHOOK_QUEUE_PREFIX: setting.string('bull'),
  /** BullMQ job lock; a delivery whose worker died is picked up again once it lapses. */
  WEBHOOK_JOB_LOCK_MS: setting.int(30_000, { min: 1_000, max: 600_000 }),
};

export type WebhooksConfig = ReturnType<typeof loadWebhooksConfig>;

export function loadWebhooksConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(webhooksSettings, env);
  if (config.WEBHOOK_RETRY_DELAYS_MS.length === 0 || config.WEBHOOK_RETRY_DELAYS_MS.length > 20) {
    throw new ConfigError(['WEBHOOK_RETRY_DELAYS_MS must list between 1 and 20 delays']);
  }
  // The bench's receiver listens on loopback, next to its loopback-only broker.
  if (config.WEBHOOK_ALLOW_PRIVATE_TARGETS && config.NODE_ENV === 'production' && !benchModeOnLoopback(env)) {
    throw new ConfigError(['WEBHOOK_ALLOW_PRIVATE_TARGETS must not be set in production: it lets webhooks reach internal addresses']);
  }
  return config;
}

export const WEBHOOKS_CONFIG = Symbol('WEBHOOKS_CONFIG');
