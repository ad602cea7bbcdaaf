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
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewaySettings, env);
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const API_PREFIX = 'api/v1';
