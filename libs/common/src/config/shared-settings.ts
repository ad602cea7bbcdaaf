import { kafkaSecuritySettings } from '../kafka/kafka-security';
import { setting } from './config';

/** Settings every Passway process reads; each app spreads these into its own spec. */
export const sharedSettings = {
  NODE_ENV: setting.oneOf(['development', 'test', 'production'] as const, 'development'),
  LOG_LEVEL: setting.oneOf(['error', 'warn', 'log', 'debug', 'verbose'] as const, 'log'),
  /** json: one object a line; pretty: coloured lines for a person; auto: pretty when stdout is a terminal. */
  LOG_FORMAT: setting.oneOf(['json', 'pretty', 'auto'] as const, 'auto'),
  DATABASE_URL: setting.url('postgres://postgres@127.0.0.1:5432/passway', ['postgres', 'postgresql']),
  REDIS_URL: setting.url('redis://127.0.0.1:6379', ['redis', 'rediss']),
  KAFKA_BROKERS: setting.hostPortList('127.0.0.1:9092'),
  KAFKA_CLIENT_ID_PREFIX: setting.string('passway'),
  /**
   * How long the broker holds a fetch that finds nothing new (kafkajs defaults to 5 s). A fetch
   * answers as soon as one message arrives (minBytes 1), so this sets only how often an idle
   * consumer asks again, and how long a stopping consumer may wait for its last fetch.
   */
  KAFKA_MAX_WAIT_MS: setting.int(500, { min: 10, max: 10000 }),
  SHUTDOWN_GRACE_MS: setting.int(20000, { min: 1000, max: 300000 }),
  /**
   * Signs and verifies every gRPC call between the apps (docs/security.md). `npm start` and `npm test`
   * generate one per run; production refuses to start without a real one.
   */
  SERVICE_TOKEN_KEY: setting.secret('dev-only-service-token-key-change-me-0123456789', 32, { requiredInProduction: true }),
  /** The key before the last rotation, still accepted while every app moves to the new one. */
  SERVICE_TOKEN_PREVIOUS_KEY: setting.optionalString(),
};

/** Where each backend service listens for gRPC commands and serves its health/metrics HTTP port. */
export const serviceSettings = {
  PASSES_GRPC_URL: setting.string('127.0.0.1:50051'),
  SCANS_GRPC_URL: setting.string('127.0.0.1:50052'),
  WEBHOOKS_GRPC_URL: setting.string('127.0.0.1:50053'),
  NOTIFICATIONS_GRPC_URL: setting.string('127.0.0.1:50054'),
};

/** Signs public pass links; the passes service makes them and the gateway checks them. */
export const passLinkSettings = {
  PUBLIC_BASE_URL: setting.url('http://localhost:3000', ['http', 'https']),
  PASS_LINK_SECRET: setting.secret('dev-only-pass-link-secret-change-me', 16, { requiredInProduction: true }),
  /** The id new pass-link tokens carry (letters, digits, _ and -; at most 16). Change it with the secret. */
  PASS_LINK_KEY_ID: setting.refine(setting.string('k1'), (value) =>
    /^[A-Za-z0-9_-]{1,16}$/.test(value) ? undefined : 'must be 1 to 16 letters, digits, _ or -',
  ),
  /** During a rotation: the secret and id before the change; links signed with them stay valid until these are removed. */
  PASS_LINK_PREVIOUS_SECRET: setting.optionalString(),
  PASS_LINK_PREVIOUS_KEY_ID: setting.refine(setting.optionalString(), (value, source) =>
    source.PASS_LINK_PREVIOUS_SECRET?.trim() && !value ? 'is required with PASS_LINK_PREVIOUS_SECRET' : undefined,
  ),
};

/** What the migrations step needs: the database and, for topics, the brokers; never an app's secrets. */
export const migrationSettings = {
  DATABASE_URL: sharedSettings.DATABASE_URL,
};

export const topicSettings = {
  KAFKA_BROKERS: sharedSettings.KAFKA_BROKERS,
  KAFKA_CLIENT_ID_PREFIX: sharedSettings.KAFKA_CLIENT_ID_PREFIX,
  NODE_ENV: sharedSettings.NODE_ENV,
  ...kafkaSecuritySettings,
  /** Replication of topics the migration creates: 1 for a single local broker, 3 in production. */
  KAFKA_TOPIC_REPLICATION_FACTOR: setting.int(1, { min: 1, max: 10 }),
};
