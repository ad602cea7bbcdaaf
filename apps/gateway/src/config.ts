import { DEFAULT_CONSOLE_DIR } from './console/console-static';
import {
  kafkaSecuritySettings,
  loadAppleIdentity,
  loadConfig,
  loadGoogleIdentity,
  passLinkSettings,
  serviceSettings,
  setting,
  sharedSettings,
  walletSettings,
} from '@passway/common';

export const gatewaySettings = {
  ...sharedSettings,
  /** The live scan feed reads Kafka, with the services' connection security. */
  ...kafkaSecuritySettings,
  ...passLinkSettings,
  ...serviceSettings,
  ...walletSettings,
  PORT: setting.port(3000),
  /** Comma-separated origins allowed by CORS, or * for any. */
  CORS_ORIGINS: setting.string('*'),
  API_KEY_CACHE_TTL_MS: setting.int(30_000, { min: 0, max: 600_000 }),
  RPC_DEADLINE_MS: setting.int(5_000, { min: 100, max: 60_000 }),
  DATABASE_POOL_SIZE: setting.int(5, { min: 1, max: 100 }),
  /** Proxies in front of the gateway whose X-Forwarded-For is believed (0 = use the socket address). */
  TRUST_PROXY_HOPS: setting.int(1, { min: 0, max: 10 }),
  /** Per API key, for the `manage` route group, unless the tenant sets its own figure. */
  RATE_LIMIT_MANAGE_PER_MINUTE: setting.int(30, { min: 1, max: 1_000_000 }),
  /** Per API key, for the `integrations` route group (scales as tenant figure / 3 when the tenant sets one). */
  RATE_LIMIT_INTEGRATIONS_PER_MINUTE: setting.int(10, { min: 1, max: 1_000_000 }),
  /** Failed authentications per client IP and minute before that IP gets 429 without its key being checked. */
  AUTH_FAILURES_PER_IP_PER_MINUTE: setting.int(20, { min: 1, max: 10_000_000 }),
  /** Requests per client IP and minute to the public pass page `/p/*`. */
  PUBLIC_PAGE_PER_IP_PER_MINUTE: setting.int(120, { min: 1, max: 10_000_000 }),
  SELF_CHECKIN_PER_IP_PER_MINUTE: setting.int(30, { min: 1, max: 10_000_000 }),
  /** Door-device pairing attempts per client IP and minute (`POST /api/v1/devices/pair`). */
  DEVICE_PAIRING_PER_IP_PER_MINUTE: setting.int(30, { min: 1, max: 10_000_000 }),
  /** Holder portal requests (`/p/portal/*`) per client IP and minute. */
  PORTAL_PER_IP_PER_MINUTE: setting.int(10, { min: 1, max: 10_000_000 }),
  /** Portal links asked for one email address at one organisation, per hour. */
  PORTAL_PER_EMAIL_PER_HOUR: setting.int(5, { min: 1, max: 10_000 }),
  /** Requests per client IP and minute to the PassKit web service `/wallet/v1/*` (devices behind one NAT share it). */
  WALLET_SERVICE_PER_IP_PER_MINUTE: setting.int(600, { min: 1, max: 10_000_000 }),
  /** How long an Idempotency-Key remembers its first response. */
  IDEMPOTENCY_TTL_SECONDS: setting.int(86_400, { min: 60, max: 604_800 }),
  /** How often unsettled token reservations (a create whose outcome was unknown) are reconciled. */
  TOKEN_RECONCILE_INTERVAL_MS: setting.int(30_000, { min: 200, max: 3_600_000 }),
  /** A reservation is only reconciled once this old, so its create call can no longer be running. */
  TOKEN_RECONCILE_AFTER_MS: setting.int(120_000, { min: 1_000, max: 86_400_000 }),
  /** How long a console session lasts after sign-in. */
  SESSION_TTL_HOURS: setting.int(168, { min: 1, max: 24 * 90 }),
  /** Sign-in attempts per client IP and minute (429 past it). */
  LOGIN_ATTEMPTS_PER_IP_PER_MINUTE: setting.int(10, { min: 1, max: 10_000_000 }),
  /** Failed sign-ins per account (email) in LOGIN_LOCKOUT_MINUTES before the account is locked for that long. */
  LOGIN_FAILURES_PER_ACCOUNT: setting.int(5, { min: 1, max: 1_000 }),
  LOGIN_LOCKOUT_MINUTES: setting.int(15, { min: 1, max: 24 * 60 }),
  /** How far back each gateway's live scan feed reads on start, so a browser reconnecting after a restart misses nothing. */
  LIVE_REPLAY_MINUTES: setting.int(60, { min: 1, max: 24 * 60 }),
  /** Scans kept in memory for replay (the oldest go first). */
  LIVE_BUFFER_MAX: setting.int(200_000, { min: 100, max: 10_000_000 }),
  LIVE_HEARTBEAT_MS: setting.int(15_000, { min: 100, max: 300_000 }),
  /** What the browser waits before reconnecting (the SSE retry field). */
  LIVE_RETRY_MS: setting.int(1_000, { min: 100, max: 60_000 }),
  /** How long a resuming stream waits for a just-started feed to catch up with the topic. */
  LIVE_CATCH_UP_TIMEOUT_MS: setting.int(10_000, { min: 100, max: 120_000 }),
  /** The built console (index.html + assets/) served at /app. */
  CONSOLE_DIR: setting.string(DEFAULT_CONSOLE_DIR),
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

/** The settings plus which wallets are configured (their certificates are checked here too, so a bad one stops start-up). */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(gatewaySettings, env);
  const apple = loadAppleIdentity(config);
  const google = loadGoogleIdentity(config);
  return Object.freeze({ ...config, applePassTypeId: apple?.passTypeId ?? null, googleWalletEnabled: google !== null });
}
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const API_PREFIX = 'api/v1';
