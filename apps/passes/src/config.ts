import { kafkaSecuritySettings, loadConfig, passLinkSettings, serviceSettings, setting, sharedSettings } from '@passway/common';

export const passesSettings = {
  ...sharedSettings,
  ...kafkaSecuritySettings,
  ...passLinkSettings,
  PASSES_GRPC_URL: serviceSettings.PASSES_GRPC_URL,
  /** Told at once of status changes, so the door need not wait for the event. */
  SCANS_GRPC_URL: serviceSettings.SCANS_GRPC_URL,
  PASSES_HTTP_PORT: setting.port(3001),
  DATABASE_POOL_SIZE: setting.int(10, { min: 1, max: 200 }),
};

export type PassesConfig = ReturnType<typeof loadPassesConfig>;
export const loadPassesConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(passesSettings, env);
export const PASSES_CONFIG = Symbol('PASSES_CONFIG');
