import { loadConfig, serviceSettings, setting, sharedSettings } from '@passway/common';

export const webhooksSettings = {
  ...sharedSettings,
  WEBHOOKS_GRPC_URL: serviceSettings.WEBHOOKS_GRPC_URL,
  WEBHOOKS_HTTP_PORT: setting.port(3003),
  DATABASE_POOL_SIZE: setting.int(10, { min: 1, max: 200 }),
};

export type WebhooksConfig = ReturnType<typeof loadWebhooksConfig>;
export const loadWebhooksConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(webhooksSettings, env);
export const WEBHOOKS_CONFIG = Symbol('WEBHOOKS_CONFIG');
