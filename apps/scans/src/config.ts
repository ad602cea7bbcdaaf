import { loadConfig, serviceSettings, setting, sharedSettings } from '@passway/common';

export const scansSettings = {
  ...sharedSettings,
  SCANS_GRPC_URL: serviceSettings.SCANS_GRPC_URL,
  SCANS_HTTP_PORT: setting.port(3002),
  DATABASE_POOL_SIZE: setting.int(10, { min: 1, max: 200 }),
};

export type ScansConfig = ReturnType<typeof loadScansConfig>;
export const loadScansConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(scansSettings, env);
export const SCANS_CONFIG = Symbol('SCANS_CONFIG');
