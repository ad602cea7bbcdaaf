import { Logger } from '@nestjs/common';
import { Kafka, logLevel, LogEntry, Producer } from 'kafkajs';
import { TopicSpec } from '../events/topics';
import { KafkaSecurityConfig, kafkaSecurityOptions } from './kafka-security';

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
    logCreator: () => ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      logger[LEVEL_NAMES[level] ?? 'log'](`${message} ${JSON.stringify(extra)}`);
    },
  });
}

/** Idempotent (exactly one copy per send, in order) and acknowledged by all in-sync replicas. */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
}

/** Creates missing topics with their declared partitions and retention; never changes existing ones. */
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[], replicationFactor = 1): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor,
          configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }],
        })),
      });
    }
    return missing.map((topic) => topic.name);
  } finally {
    await admin.disconnect();
  }
}
