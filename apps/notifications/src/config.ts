import { loadConfig, serviceSettings, setting, sharedSettings } from '@passway/common';

export const notificationsSettings = {
  ...sharedSettings,
  NOTIFICATIONS_GRPC_URL: serviceSettings.NOTIFICATIONS_GRPC_URL,
  NOTIFICATIONS_HTTP_PORT: setting.port(3004),
  DATABASE_POOL_SIZE: setting.int(10, { min: 1, max: 200 }),
};

export type NotificationsConfig = ReturnType<typeof loadNotificationsConfig>;
export const loadNotificationsConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(notificationsSettings, env);
export const NOTIFICATIONS_CONFIG = Symbol('NOTIFICATIONS_CONFIG');
