import { kafkaSecuritySettings, loadConfig, serviceSettings, setting, sharedSettings } from '@passway/common';

export const scansSettings = {
  ...sharedSettings,
  ...kafkaSecuritySettings,
  SCANS_GRPC_URL: serviceSettings.SCANS_GRPC_URL,
  /** Read-through for passes the projection has not seen yet. */
  PASSES_GRPC_URL: serviceSettings.PASSES_GRPC_URL,
  SCANS_HTTP_PORT: setting.port(3002),
  DATABASE_POOL_SIZE: setting.int(10, { min: 1, max: 200 }),
  /** How long a read-through to the passes service may take before the scan answers 503. */
  PASSES_LOOKUP_DEADLINE_MS: setting.int(2_000, { min: 100, max: 30_000 }),
  /**
   * Past this lag the projection is not trusted to admit: the pass and its event are confirmed
   * with the passes service first, and the scan is refused as `offline` if that fails too.
   */
  SCANS_PROJECTION_LAG_BOUND_MS: setting.int(5_000, { min: 0, max: 600_000 }),
};

export type ScansConfig = ReturnType<typeof loadScansConfig>;
export const loadScansConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(scansSettings, env);
export const SCANS_CONFIG = Symbol('SCANS_CONFIG');
