import { randomUUID } from 'node:crypto';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { DomainEvent, parseEvent } from '../../libs/common/src/events/envelope';

export interface CollectedEvent {
  event: DomainEvent;
  key: string | null;
  headers: Record<string, string>;
  topic: string;
  partition: number;
}

/** Reads topics from the moment it has joined, keeping what passes the filter (usually one tenant's events). */
export class EventCollector {
  readonly events: CollectedEvent[] = [];
  private consumer: Consumer | undefined;

  constructor(
    private readonly topics: string[],
    private readonly filter: (event: DomainEvent) => boolean,
    private readonly brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  ) {}

  async start(): Promise<this> {
    const kafka = new Kafka({ clientId: 'e2e-collector', brokers: this.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const startOffsets = await Promise.all(this.topics.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })));
    await admin.disconnect();
    this.consumer = kafka.consumer({ groupId: `e2e-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    const startAt = new Map(
      startOffsets.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}:${p.partition}`, BigInt(p.high)])),
    );
    await this.consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        if (BigInt(message.offset) < (startAt.get(`${topic}:${partition}`) ?? 0n)) return Promise.resolve(); // from before start()
        const event = parseEvent(message.value);
        if (this.filter(event)) {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
          this.events.push({ event, key: message.key?.toString() ?? null, headers, topic, partition });
        }
        return Promise.resolve();
      },
    });
    // Start exactly at the end of each partition as it was before start(): nothing earlier, nothing missed.
    // A group that crashed while joining (a busy broker) is restarted by kafkajs: seek once it runs again.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        for (const { topic, partitions } of startOffsets) {
          for (const { partition, high } of partitions) this.consumer.seek({ topic, partition, offset: high });
        }
        return this;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  ofType(type: string): CollectedEvent[] {
    return this.events.filter((e) => e.event.type === type);
  }

  async waitFor(predicate: (events: CollectedEvent[]) => boolean, timeoutMs = 10_000): Promise<CollectedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (predicate(this.events)) return this.events;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(
      `expected events did not arrive within ${timeoutMs} ms; got: ${this.events.map((e) => e.event.type).join(', ') || 'none'}`,
    );
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
