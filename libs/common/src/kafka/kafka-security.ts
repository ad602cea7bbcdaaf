import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { setting } from '../config/config';

export const SASL_MECHANISMS = ['none', 'plain', 'scram-sha-256', 'scram-sha-512'] as const;
type SaslMechanism = (typeof SASL_MECHANISMS)[number];

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost)$/i;

/**
 * `npm run bench` runs production settings against a plaintext broker of its own on this
 * machine. BENCH_MODE lifts the Kafka transport rule only when every broker is on loopback, so it
 * can never let a deployment talk to a real cluster in the clear.
 */
export function benchModeOnLoopback(source: NodeJS.ProcessEnv): boolean {
  if ((source.BENCH_MODE ?? '').trim().toLowerCase() !== 'true') return false;
  const brokers = (source.KAFKA_BROKERS ?? '').split(',').map((broker) => broker.trim().replace(/:\d+$/, ''));
  return brokers.length > 0 && brokers.every((host) => LOOPBACK.test(host));
}

const inProduction = (source: NodeJS.ProcessEnv) => source.NODE_ENV === 'production' && !benchModeOnLoopback(source);
const saslEnabled = (source: NodeJS.ProcessEnv) =>
  (source.KAFKA_SASL_MECHANISM ?? 'none').trim().toLowerCase() !== 'none' && !!source.KAFKA_SASL_MECHANISM?.trim();

/**
 * How the apps authenticate to Kafka and encrypt the connection (docs/security.md#kafka). With
 * NODE_ENV=production both TLS and SASL are required: consumers trust an event envelope because
 * only authenticated apps with write ACLs can produce to the topics.
 */
export const kafkaSecuritySettings = {
  /** `npm run bench` only: production settings with a plaintext broker on loopback (benchModeOnLoopback). */
  BENCH_MODE: setting.bool(false),
  KAFKA_SSL: setting.refine(setting.bool(false), (value, source) =>
    !value && inProduction(source) ? 'must be true in production (Kafka traffic is encrypted with TLS)' : undefined,
  ),
  /** PEM file of the CA that signed the brokers' certificates (Strimzi: the cluster CA); the system CAs otherwise. */
  KAFKA_SSL_CA_FILE: setting.optionalString(),
  KAFKA_SASL_MECHANISM: setting.refine(setting.oneOf(SASL_MECHANISMS, 'none'), (value, source) =>
    value === 'none' && inProduction(source) ? 'must be set in production (scram-sha-512 with Strimzi KafkaUsers)' : undefined,
  ),
  KAFKA_SASL_USERNAME: setting.refine(setting.optionalString(), (value, source) =>
    !value && saslEnabled(source) ? 'is required with KAFKA_SASL_MECHANISM' : undefined,
  ),
  KAFKA_SASL_PASSWORD: setting.refine(setting.optionalString(), (value, source) =>
    !value && saslEnabled(source) ? 'is required with KAFKA_SASL_MECHANISM' : undefined,
  ),
};

export interface KafkaSecurityConfig {
  BENCH_MODE?: boolean;
  KAFKA_SSL: boolean;
  KAFKA_SSL_CA_FILE?: string;
  KAFKA_SASL_MECHANISM: SaslMechanism;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
}

/** kafkajs's `ssl` and `sasl` options for these settings (the CA file is read once, here). */
export function kafkaSecurityOptions(config: KafkaSecurityConfig): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const options: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (config.KAFKA_SSL) options.ssl = config.KAFKA_SSL_CA_FILE ? { ca: [readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] } : true;
  if (config.KAFKA_SASL_MECHANISM !== 'none') {
    options.sasl = {
      mechanism: config.KAFKA_SASL_MECHANISM,
      username: config.KAFKA_SASL_USERNAME!,
      password: config.KAFKA_SASL_PASSWORD!,
    } as SASLOptions;
  }
  return options;
}
