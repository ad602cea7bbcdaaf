import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { DomainEvent, parseEvent } from '../../libs/common/src/events/envelope';

/**
 * Every message of the topics, from the beginning to their end as it is now, parsed; what passes
 * the filter is returned in order of arrival per partition. For "nothing lost, nothing doubled".
 */
export async function readTopics(
  kafka: Kafka,
  topics: string[],
  filter: (event: DomainEvent) => boolean,
  timeoutMs = 60_000,
): Promise<DomainEvent[]> {
  return (await readTopicMessages(kafka, topics, filter, timeoutMs)).map(({ event }) => event);
}

/** readTopics, with the partition each event was read from. */
export async function readTopicMessages(
  kafka: Kafka,
  topics: string[],
  filter: (event: DomainEvent) => boolean,
  timeoutMs = 60_000,
): Promise<{ event: DomainEvent; topic: string; partition: number }[]> {
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) remaining.set(`${topic}:${partition}`, BigInt(high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const events: { event: DomainEvent; topic: string; partition: number }[] = [];
  if (remaining.size === 0) return events;
  const consumer = kafka.consumer({ groupId: `e2e-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: ({ topic, partition, message }) => {
          const key = `${topic}:${partition}`;
          const end = remaining.get(key);
          if (end !== undefined) {
            if (BigInt(message.offset) < end) {
              const event = parseEvent(message.value);
              if (filter(event)) events.push({ event, topic, partition });
            }
            if (BigInt(message.offset) + 1n >= end) remaining.delete(key);
            if (remaining.size === 0) resolve();
          }
          return Promise.resolve();
        },
      });
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`topics not read to their end within ${timeoutMs} ms (${[...remaining.keys()].join(', ')} left)`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return events;
}

/** Event ids seen more than once. */
export function duplicateIds(events: DomainEvent[]): string[] {
  const seen = new Map<string, number>();
  for (const event of events) seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
  return [...seen.entries()].filter(([, n]) => n > 1).map(([id]) => id);
}
