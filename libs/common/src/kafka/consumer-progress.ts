import { Admin, Kafka } from 'kafkajs';
import { Gauge, register } from 'prom-client';

/** The end of every partition of the group's topics at one moment. */
interface Snapshot {
  takenAt: number;
  ends: Map<string, { high: bigint; low: bigint }>;
}

/** Snapshots waiting for the group to reach them; past this many, every second one is dropped (the window doubles). */
const MAX_PENDING = 50;

function lagGauge(): Gauge {
  return (
    (register.getSingleMetric('passway_consumer_lag_seconds') as Gauge | undefined) ??
    new Gauge({
      name: 'passway_consumer_lag_seconds',
      help: 'How far behind a consumer group (a projection) is: the age of the newest moment whose events it has all applied',
      labelNames: ['group'],
    })
  );
}

/**
 * How current a consumer group is, in time, whether or not events flow. Every interval it notes
 * the end (high watermark) of each partition and asks the broker for the group's committed
 * offsets (all replicas of the service together): the group is caught up *as of* the newest
 * snapshot its offsets have reached. Lag = now − that moment. When Kafka cannot be asked, the
 * moment stops advancing and the lag grows, which is what a reader of the projection must assume.
 *
 * Pending snapshots are thinned rather than dropped from the old end, so a group that trails by
 * more than the window (under sustained writes) still reaches one and its lag is known. Readiness
 * asks less than "no lag": that the group has applied everything that was in its topics when this
 * member joined (the first snapshot after joining), which a consumer keeping up reaches however
 * steadily events keep arriving.
 */
export class ConsumerProgress {
  private readonly admin: Admin;
  private connected: Promise<void> | undefined;
  private readonly pending: Snapshot[] = [];
  private caughtUpAsOf: number | undefined;
  private joinedAt: number | undefined;
  /** The first snapshot taken after joining: reaching it means the backlog found at the join is applied. */
  private joinSnapshot: Snapshot | undefined;
  private caughtUpSinceJoin = false;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly gauge = lagGauge();

  constructor(
    kafka: Kafka,
    private readonly groupId: string,
    private readonly topics: string[],
    private readonly intervalMs: number,
    /** The interval once the group has caught up since joining (readiness no longer waits on it). */
    private readonly caughtUpIntervalMs = intervalMs,
    private readonly maxPending = MAX_PENDING,
  ) {
    this.admin = kafka.admin({ retry: { retries: 0 } });
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.connected) await this.admin.disconnect().catch(() => undefined);
    this.connected = undefined;
  }

  /** This process's consumer holds its share of the partitions (kafkajs GROUP_JOIN). */
  markJoined(): void {
    this.joinedAt = Date.now();
  }

  markLeft(): void {
    this.joinedAt = undefined;
  }

  /** Joined, and the group has since applied everything that was in its topics: the app may take work. */
  get hasCaughtUp(): boolean {
    return this.caughtUpSinceJoin;
  }

  /** Milliseconds since the newest moment the group had applied every event of; Infinity before the first. */
  lagMs(): number {
    return this.caughtUpAsOf === undefined ? Number.POSITIVE_INFINITY : Date.now() - this.caughtUpAsOf;
  }

  /** One probe; public so tests can drive it. */
  async probe(): Promise<void> {
    try {
      const snapshot = await this.snapshot();
      this.pending.push(snapshot);
      if (this.pending.length > this.maxPending) this.thin();
      if (
        this.joinedAt !== undefined &&
        snapshot.takenAt >= this.joinedAt &&
        !(this.joinSnapshot && this.joinSnapshot.takenAt >= this.joinedAt)
      )
        this.joinSnapshot = snapshot;
      const committed = await this.committedOffsets();
      for (let i = this.pending.length - 1; i >= 0; i -= 1) {
        if (!reached(this.pending[i], committed)) continue;
        this.caughtUpAsOf = Math.max(this.caughtUpAsOf ?? 0, this.pending[i].takenAt);
        this.pending.splice(0, i + 1);
        break;
      }
      if (
        this.joinSnapshot &&
        this.joinedAt !== undefined &&
        this.joinSnapshot.takenAt >= this.joinedAt &&
        reached(this.joinSnapshot, committed)
      )
        this.caughtUpSinceJoin = true;
    } catch {
      this.connected = undefined; // Kafka away: reconnect next time; the lag keeps growing meanwhile
    } finally {
      const lag = this.lagMs();
      this.gauge.set({ group: this.groupId }, Number.isFinite(lag) ? lag / 1000 : -1);
    }
  }

  /** Keeps the oldest, the newest and every second one between: bounded memory, a window that grows with the lag. */
  private thin(): void {
    const last = this.pending.length - 1;
    const kept = this.pending.filter((_, i) => i % 2 === 0 || i === last);
    this.pending.splice(0, this.pending.length, ...kept);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.probe().finally(() => this.schedule(this.caughtUpSinceJoin ? this.caughtUpIntervalMs : this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async connect(): Promise<void> {
    this.connected ??= this.admin.connect();
    await this.connected;
  }

  private async snapshot(): Promise<Snapshot> {
    await this.connect();
    const takenAt = Date.now();
    const ends = new Map<string, { high: bigint; low: bigint }>();
    for (const topic of this.topics) {
      for (const { partition, high, low } of await this.admin.fetchTopicOffsets(topic)) {
        ends.set(`${topic}:${partition}`, { high: BigInt(high), low: BigInt(low) });
      }
    }
    return { takenAt, ends };
  }

  private async committedOffsets(): Promise<Map<string, bigint>> {
    const offsets = new Map<string, bigint>();
    for (const { topic, partitions } of await this.admin.fetchOffsets({ groupId: this.groupId, topics: this.topics })) {
      for (const { partition, offset } of partitions) offsets.set(`${topic}:${partition}`, BigInt(offset));
    }
    return offsets;
  }
}

/** Every partition's committed offset is at its end as of the snapshot (an empty partition needs none). */
function reached(snapshot: Snapshot, committed: Map<string, bigint>): boolean {
  for (const [key, { high, low }] of snapshot.ends) {
    const offset = committed.get(key) ?? -1n;
    if (offset >= high) continue;
    if (offset < 0n && high === low) continue;
    return false;
  }
  return true;
}
