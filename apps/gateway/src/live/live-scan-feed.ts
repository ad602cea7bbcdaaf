import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createKafka, DomainEvent, PassAdmissionUndoneValue, PassScannedValue, TOPICS } from '@passway/common';
import { randomUUID } from 'node:crypto';
import { Admin, Consumer, Kafka } from 'kafkajs';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { formatCursor, ScanCursor } from './scan-cursor';

/** What a live stream carries: a scan (`pass.scanned`) or an admission taken back (`pass.admission_undone`). */
export type LiveChange = { kind: 'scan'; data: PassScannedValue } | { kind: 'undo'; data: PassAdmissionUndoneValue };

/** One change as a live stream sends it, with the cursor just after it. */
export type LiveMessage = LiveChange & { cursor: string };

type BufferedChange = LiveChange & {
  partition: number;
  offset: bigint;
  tenantId: string;
  eventId: string;
  /** When it happened (the scan, or the undo), for the replay window. */
  at: string;
};

interface Subscriber {
  tenantId: string;
  eventId: string;
  cursor: ScanCursor;
  send(scan: LiveMessage): void;
}

export type Subscription =
  | { status: 'live'; cursor: string; replayed: LiveMessage[]; unsubscribe: () => void }
  /** The cursor is older than what this gateway can replay: the client must refetch its snapshot. */
  | { status: 'reset'; cursor: string; unsubscribe: () => void };

const TOPIC = TOPICS.scanEvents.name;

/**
 * Fans `pass.scanned` and `pass.admission_undone` out to every open live stream of this gateway. One Kafka consumer per
 * process, in a group of its own (every gateway sees every scan), started LIVE_REPLAY_MINUTES in
 * the past so that after a restart it can replay what a reconnecting browser missed; the scans are
 * kept in memory for that window. A stream resumes from its cursor once the consumer has caught up
 * with the topic as it stood at start-up.
 */
@Injectable()
export class LiveScanFeed implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(LiveScanFeed.name);
  private readonly buffer: BufferedChange[] = [];
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  /** Last offset consumed per partition. */
  private readonly position: ScanCursor = new Map();
  /** The first offset this process read per partition: a cursor before it cannot be replayed. */
  private readonly startOffsets = new Map<number, bigint>();
  private kafka: Kafka | undefined;
  private consumer: Consumer | undefined;
  private admin: Admin | undefined;
  private groupId = '';
  private caughtUp!: Promise<void>;
  private markCaughtUp: () => void = () => undefined;
  private targets = new Map<number, bigint>();
  private readonly closers = new Set<() => void>();

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.caughtUp = new Promise((resolve) => {
      this.markCaughtUp = resolve;
    });
  }

  onApplicationBootstrap(): void {
    this.kafka = createKafka({
      brokers: [...this.config.KAFKA_BROKERS],
      clientId: `${this.config.KAFKA_CLIENT_ID_PREFIX}-gateway-live`,
      security: this.config,
    });
    this.groupId = `${this.config.KAFKA_CLIENT_ID_PREFIX}-gateway-live-${randomUUID()}`;
    void this.start().catch((error: unknown) =>
      this.logger.error(`live scan feed did not start: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** Streams end when the gateway shuts down, so browsers reconnect (to another gateway, or this one once back). */
  onShutdown(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /** Before the HTTP server closes (it waits for open connections), end every stream. */
  beforeApplicationShutdown(): void {
    for (const close of [...this.closers]) close();
    this.closers.clear();
    for (const set of this.subscribers.values()) set.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.admin?.deleteGroups([this.groupId]).catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }

  get streams(): number {
    let count = 0;
    for (const set of this.subscribers.values()) count += set.size;
    return count;
  }

  /**
   * Opens a stream for one event of one tenant. With a cursor, first replays every buffered scan
   * after it (waiting for the consumer to catch up after a restart); without, starts at the present.
   */
  async subscribe(tenantId: string, eventId: string, from: ScanCursor | null, send: (scan: LiveMessage) => void): Promise<Subscription> {
    if (from) await Promise.race([this.caughtUp, new Promise((resolve) => setTimeout(resolve, this.config.LIVE_CATCH_UP_TIMEOUT_MS))]);
    const subscriber: Subscriber = { tenantId, eventId, cursor: new Map(from ?? this.position), send };
    const unsubscribe = () => {
      const set = this.subscribers.get(key(tenantId, eventId));
      set?.delete(subscriber);
      if (set?.size === 0) this.subscribers.delete(key(tenantId, eventId));
    };
    if (from && !this.canReplayFrom(from)) {
      subscriber.cursor = new Map(this.position);
      this.add(subscriber);
      return { status: 'reset', cursor: formatCursor(subscriber.cursor), unsubscribe };
    }
    const replayed: LiveMessage[] = [];
    for (const buffered of this.buffer) {
      if (buffered.tenantId !== tenantId || buffered.eventId !== eventId) continue;
      if (buffered.offset <= (subscriber.cursor.get(buffered.partition) ?? -1n)) continue;
      subscriber.cursor.set(buffered.partition, buffered.offset);
      replayed.push(liveMessage(buffered, subscriber.cursor));
    }
    for (const [partition, offset] of this.position)
      if ((subscriber.cursor.get(partition) ?? -1n) < offset) subscriber.cursor.set(partition, offset);
    this.add(subscriber);
    return { status: 'live', cursor: formatCursor(subscriber.cursor), replayed, unsubscribe };
  }

  private add(subscriber: Subscriber): void {
    const id = key(subscriber.tenantId, subscriber.eventId);
    let set = this.subscribers.get(id);
    if (!set) this.subscribers.set(id, (set = new Set()));
    set.add(subscriber);
  }

  private canReplayFrom(cursor: ScanCursor): boolean {
    for (const [partition, start] of this.startOffsets) {
      const seen = cursor.get(partition);
      if (seen === undefined || seen + 1n < start) return false;
    }
    return this.startOffsets.size > 0;
  }

  private async start(): Promise<void> {
    const kafka = this.kafka!;
    this.admin = kafka.admin();
    await this.admin.connect();
    const since = Date.now() - this.config.LIVE_REPLAY_MINUTES * 60_000;
    const [starts, ends] = await Promise.all([this.admin.fetchTopicOffsetsByTimestamp(TOPIC, since), this.admin.fetchTopicOffsets(TOPIC)]);
    for (const { partition, offset } of starts) {
      this.startOffsets.set(partition, BigInt(offset));
      this.position.set(partition, BigInt(offset) - 1n);
    }
    for (const { partition, high } of ends) this.targets.set(partition, BigInt(high) - 1n);
    this.checkCaughtUp();

    this.consumer = kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: this.config.KAFKA_MAX_WAIT_MS, sessionTimeout: 30_000 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: TOPIC, fromBeginning: false });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: ({ partition, message }) => {
        this.consume(partition, BigInt(message.offset), message.value);
        return Promise.resolve();
      },
    });
    for (const [partition, offset] of this.startOffsets) this.consumer.seek({ topic: TOPIC, partition, offset: offset.toString() });
    this.logger.debug(`live scan feed: consuming ${TOPIC} from ${new Date(since).toISOString()} (group ${this.groupId})`);
  }

  private consume(partition: number, offset: bigint, value: Buffer | null): void {
    if (offset <= (this.position.get(partition) ?? -1n)) return;
    this.position.set(partition, offset);
    const buffered = bufferedChange(partition, offset, parse(value));
    if (buffered) {
      this.buffer.push(buffered);
      this.trim();
      for (const subscriber of this.subscribers.get(key(buffered.tenantId, buffered.eventId)) ?? []) {
        if (offset <= (subscriber.cursor.get(partition) ?? -1n)) continue;
        subscriber.cursor.set(partition, offset);
        subscriber.send(liveMessage(buffered, subscriber.cursor));
      }
    }
    this.checkCaughtUp();
  }

  private trim(): void {
    const oldest = Date.now() - this.config.LIVE_REPLAY_MINUTES * 60_000;
    let drop = Math.max(0, this.buffer.length - this.config.LIVE_BUFFER_MAX);
    while (drop < this.buffer.length && Date.parse(this.buffer[drop].at) < oldest && drop < 1000) drop += 1;
    if (drop === 0) return;
    for (const dropped of this.buffer.splice(0, drop)) {
      // A cursor at or before a dropped scan can no longer be replayed in full.
      const start = this.startOffsets.get(dropped.partition) ?? 0n;
      if (dropped.offset + 1n > start) this.startOffsets.set(dropped.partition, dropped.offset + 1n);
    }
  }

  private checkCaughtUp(): void {
    for (const [partition, target] of this.targets) if ((this.position.get(partition) ?? -1n) < target) return;
    this.markCaughtUp();
  }
}

function bufferedChange(partition: number, offset: bigint, event: DomainEvent | null): BufferedChange | null {
  const base = { partition, offset, tenantId: event?.tenantId ?? '' };
  if (event?.type === 'pass.scanned' && event.data?.eventId)
    return { ...base, eventId: event.data.eventId, kind: 'scan', data: event.data, at: event.data.scannedAt };
  if (event?.type === 'pass.admission_undone' && event.data?.eventId)
    return { ...base, eventId: event.data.eventId, kind: 'undo', data: event.data, at: event.data.undoneAt };
  return null;
}

function liveMessage(buffered: BufferedChange, cursor: ScanCursor): LiveMessage {
  const at = formatCursor(cursor);
  return buffered.kind === 'scan' ? { kind: 'scan', data: buffered.data, cursor: at } : { kind: 'undo', data: buffered.data, cursor: at };
}

function key(tenantId: string, eventId: string): string {
  return `${tenantId}:${eventId}`;
}

function parse(value: Buffer | null): DomainEvent | null {
  if (!value) return null;
  try {
    return JSON.parse(value.toString('utf8')) as DomainEvent;
  } catch {
    return null;
  }
}
