import { Logger } from '@nestjs/common';
import { Admin, Kafka, logLevel, LogEntry, Partitioners, Producer } from 'kafkajs';
import { TopicSpec } from '../events/topics';
import { KafkaSecurityConfig, kafkaSecurityOptions } from './kafka-security';
import './request-queue-idle-fix';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** TLS and SASL (required in production). */
  security: KafkaSecurityConfig;
}

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'log' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'log',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Warnings kafkajs gives at every start about choices made on purpose: the idempotent producer's
 * retries are bounded so that a send fails (and the outbox relay tries again later) rather than
 * blocking forever.
 */
const DELIBERATE_SETTINGS = ['Limiting retries for the idempotent producer may invalidate EoS guarantees'];

export function createKafka({ brokers, clientId, security }: KafkaSettings): Kafka {
  const logger = new Logger(`kafka:${clientId}`);
  return new Kafka({
    clientId,
    brokers,
    ...kafkaSecurityOptions(security),
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const deliberate = DELIBERATE_SETTINGS.some((known) => message.startsWith(known));
        logger[deliberate ? 'debug' : (LEVEL_NAMES[level] ?? 'log')](`${message} ${JSON.stringify(extra)}`);
      },
  });
}

/** Idempotent (exactly one copy per send, in order) and acknowledged by all in-sync replicas. */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

/** Creates missing topics with their declared partitions and retention; never changes existing ones. */
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[], replicationFactor = 1): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length > 0) {
      // kafkajs's waitForLeaders asks one broker, which in a cluster may not host the new topics yet
      // and answers "does not host this topic-partition" (not retried): wait for leaders here instead.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor,
          configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }],
        })),
      });
      await waitForLeaders(admin, missing);
    }
    return missing.map((topic) => topic.name);
  } finally {
    await admin.disconnect();
  }
}

const LEADERS_TIMEOUT_MS = 60_000;

/** Resolves once every partition of `topics` has a leader, asking again while brokers catch up. */
async function waitForLeaders(admin: Admin, topics: TopicSpec[]): Promise<void> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: topics.map((topic) => topic.name) });
      const ready = topics.every((spec) => {
        const found = metadata.topics.find((topic) => topic.name === spec.name);
        return found?.partitions.length === spec.partitions && found.partitions.every((partition) => partition.leader >= 0);
      });
      if (ready) return;
      last = 'some partitions have no leader yet';
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`topics ${topics.map((topic) => topic.name).join(', ')} have no leaders after ${LEADERS_TIMEOUT_MS} ms: ${last}`);
}
