import {
  kafkaSecuritySettings,
  ConfigError,
  loadAppleIdentity,
  loadConfig,
  loadGoogleIdentity,
  passLinkSettings,
  serviceSettings,
  setting,
  sharedSettings,
  walletSettings,
} from '@passway/common';

export const passesSettings = {
  ...sharedSettings,
  ...kafkaSecuritySettings,
  ...passLinkSettings,
  ...walletSettings,
  PASSES_GRPC_URL: serviceSettings.PASSES_GRPC_URL,
  /** Told at once of status changes, so the door need not wait for the event. */
  SCANS_GRPC_URL: serviceSettings.SCANS_GRPC_URL,
  PASSES_HTTP_PORT: setting.port(3001),
  DATABASE_POOL_SIZE: setting.int(10, { min: 1, max: 200 }),
  /** organizationName of wallet passes whose template and event give none. */
  WALLET_ORGANIZATION_NAME: setting.string('Passway'),
};

export type PassesConfig = ReturnType<typeof loadPassesConfig>;

/** The settings plus the wallet identities, loaded and checked once (a certificate that does not load stops start-up). */
export function loadPassesConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(passesSettings, env);
  const apple = loadAppleIdentity(config);
  if (apple && config.NODE_ENV === 'production' && !config.PUBLIC_BASE_URL.startsWith('https://')) {
    throw new ConfigError(['PUBLIC_BASE_URL must be https in production: it is the webServiceURL of Apple Wallet passes']);
  }
  return Object.freeze({ ...config, apple, google: loadGoogleIdentity(config) });
}

export const PASSES_CONFIG = Symbol('PASSES_CONFIG');
