import { DEFAULT_CONSOLE_DIR } from './console/console-static';
import { loadConfig, passLinkSettings, serviceSettings, setting, sharedSettings } from '@passway/common';

export const gatewaySettings = {
  ...sharedSettings,
  ...passLinkSettings,
  ...serviceSettings,
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
  /** The built console (index.html + assets/) served at /app. */
  CONSOLE_DIR: setting.string(DEFAULT_CONSOLE_DIR),
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewaySettings, env);
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const API_PREFIX = 'api/v1';
