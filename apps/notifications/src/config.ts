import { kafkaSecuritySettings, ConfigError, loadConfig, serviceSettings, setting, sharedSettings } from '@passway/common';

export const notificationsSettings = {
  ...sharedSettings,
  ...kafkaSecuritySettings,
  NOTIFICATIONS_GRPC_URL: serviceSettings.NOTIFICATIONS_GRPC_URL,
  NOTIFICATIONS_HTTP_PORT: setting.port(3004),
  DATABASE_POOL_SIZE: setting.int(10, { min: 1, max: 200 }),
  /** resend sends through Resend; log records the rendered email instead. Default: resend when RESEND_API_KEY is set. */
  EMAIL_PROVIDER: setting.optionalString(),
  RESEND_API_KEY: setting.optionalString(),
  /** The Resend API origin; only tests and proxies change it. */
  RESEND_BASE_URL: setting.url('https://api.resend.com', ['http', 'https']),
  EMAIL_FROM: setting.string('Passway <passes@passway.local>'),
  /** Attempts per email on 429/5xx/network errors, with exponential backoff from EMAIL_RETRY_BASE_MS. */
  EMAIL_MAX_ATTEMPTS: setting.int(8, { min: 1, max: 50 }),
  EMAIL_RETRY_BASE_MS: setting.int(2_000, { min: 10, max: 600_000 }),
  EMAIL_SEND_TIMEOUT_MS: setting.int(15_000, { min: 100, max: 120_000 }),
  EMAIL_CONCURRENCY: setting.int(5, { min: 1, max: 100 }),
  /** How often queued emails whose job may have been lost (a crash after commit) are queued again. */
  EMAIL_SWEEP_INTERVAL_MS: setting.int(15_000, { min: 100, max: 3_600_000 }),
  EMAIL_SWEEP_AFTER_MS: setting.int(30_000, { min: 0, max: 86_400_000 }),
};

export type EmailProviderName = 'resend' | 'log';

export type NotificationsConfig = ReturnType<typeof loadNotificationsConfig>;

export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(notificationsSettings, env);
  return Object.freeze({ ...config, EMAIL_PROVIDER: resolveEmailProvider(config.EMAIL_PROVIDER, config.RESEND_API_KEY) });
}

export function resolveEmailProvider(requested: string | undefined, apiKey: string | undefined): EmailProviderName {
  if (requested === undefined) return apiKey ? 'resend' : 'log';
  if (requested !== 'resend' && requested !== 'log') {
    throw new ConfigError([`EMAIL_PROVIDER must be one of resend, log (got "${requested}")`]);
  }
  if (requested === 'resend' && !apiKey) throw new ConfigError(['RESEND_API_KEY is required when EMAIL_PROVIDER=resend']);
  return requested;
}

export const NOTIFICATIONS_CONFIG = Symbol('NOTIFICATIONS_CONFIG');
