import {
  kafkaSecuritySettings,
  ConfigError,
  loadAppleIdentity,
  loadConfig,
  loadGoogleIdentity,
  serviceSettings,
  setting,
  sharedSettings,
  walletSettings,
} from '@passway/common';

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
  ...walletSettings,
  /** A burst of changes to one pass within this window becomes one push. */
  WALLET_PUSH_COALESCE_MS: setting.int(1_000, { min: 0, max: 60_000 }),
  /** Attempts per device and change on 429/5xx/network errors, backing off from WALLET_PUSH_RETRY_BASE_MS. */
  WALLET_PUSH_MAX_ATTEMPTS: setting.int(8, { min: 1, max: 50 }),
  WALLET_PUSH_RETRY_BASE_MS: setting.int(2_000, { min: 10, max: 600_000 }),
  /** How long a worker holds a device it is pushing; a worker that dies frees it after this. */
  WALLET_PUSH_LEASE_MS: setting.int(15_000, { min: 500, max: 600_000 }),
  WALLET_PUSH_TIMEOUT_MS: setting.int(10_000, { min: 100, max: 120_000 }),
  /** Passes pushed in parallel per notifications replica (each fans out to all its devices over HTTP/2). */
  WALLET_PUSH_CONCURRENCY: setting.int(20, { min: 1, max: 500 }),
  /** Pushes in flight at once for one pass (HTTP/2 streams on one APNs connection). */
  WALLET_PUSH_FANOUT: setting.int(100, { min: 1, max: 1_000 }),
  /** How often devices left unpushed (a lost job, a crash mid-push) are queued again. */
  WALLET_SWEEP_INTERVAL_MS: setting.int(5_000, { min: 100, max: 3_600_000 }),
};

export type EmailProviderName = 'resend' | 'log';

export type NotificationsConfig = ReturnType<typeof loadNotificationsConfig>;

export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(notificationsSettings, env);
  const apple = loadAppleIdentity(config);
  return Object.freeze({
    ...config,
    EMAIL_PROVIDER: resolveEmailProvider(config.EMAIL_PROVIDER, config.RESEND_API_KEY),
    apple,
    google: loadGoogleIdentity(config),
    apnsProvider: resolveApnsProvider(config.APNS_PROVIDER, apple?.development ?? false),
  });
}

export function resolveEmailProvider(requested: string | undefined, apiKey: string | undefined): EmailProviderName {
  if (requested === undefined) return apiKey ? 'resend' : 'log';
  if (requested !== 'resend' && requested !== 'log') {
    throw new ConfigError([`EMAIL_PROVIDER must be one of resend, log (got "${requested}")`]);
  }
  if (requested === 'resend' && !apiKey) throw new ConfigError(['RESEND_API_KEY is required when EMAIL_PROVIDER=resend']);
  return requested;
}

/** APNs by default; the log with the development identity (whose pushes Apple would refuse anyway). */
export function resolveApnsProvider(requested: string | undefined, development: boolean): 'apns' | 'log' {
  if (requested === undefined) return development ? 'log' : 'apns';
  if (requested !== 'apns' && requested !== 'log') throw new ConfigError([`APNS_PROVIDER must be one of apns, log (got "${requested}")`]);
  return requested;
}

export const NOTIFICATIONS_CONFIG = Symbol('NOTIFICATIONS_CONFIG');
