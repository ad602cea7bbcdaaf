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
  /** Short fetch waits keep scan → event latency low (kafkajs defaults to 5 s). */
  KAFKA_MAX_WAIT_MS: setting.int(100, { min: 10, max: 10000 }),
  SHUTDOWN_GRACE_MS: setting.int(20000, { min: 1000, max: 300000 }),
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
};

/** What the migrations step needs: the database and, for topics, the brokers; never an app's secrets. */
export const migrationSettings = {
  DATABASE_URL: sharedSettings.DATABASE_URL,
};

export const topicSettings = {
  KAFKA_BROKERS: sharedSettings.KAFKA_BROKERS,
  KAFKA_CLIENT_ID_PREFIX: sharedSettings.KAFKA_CLIENT_ID_PREFIX,
  /** Replication of topics the migration creates: 1 for a single local broker, 3 in production. */
  KAFKA_TOPIC_REPLICATION_FACTOR: setting.int(1, { min: 1, max: 10 }),
};
