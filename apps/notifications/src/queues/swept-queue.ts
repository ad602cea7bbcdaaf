import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { observeQueue } from '@passway/common';
import { Job, JobsOptions, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';

export interface SweptQueueOptions {
  name: string;
  redisUrl: string;
  concurrency: number;
  sweepIntervalMs: number;
  /** Sweep once at start-up too, not only after the first interval. */
  sweepAtStart?: boolean;
}

/**
 * A BullMQ queue and its worker, with a sweeper: PostgreSQL holds the truth of what is to be done,
 * and every interval the sweeper queues again the work whose job never reached Redis (a crash
 * between commit and enqueue) or was lost with it. A job's id is chosen by the subclass so that
 * queueing the same work twice yields one job.
 */
export abstract class SweptQueue<Data extends object> implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  protected connection: Redis | undefined;
  private queue: Queue<Job<Data, unknown, string>> | undefined;
  private worker: Worker<Data> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  protected constructor(private readonly options: SweptQueueOptions) {}

  /** False leaves the queue unstarted (a feature that is not configured). */
  protected get active(): boolean {
    return true;
  }

  onApplicationBootstrap(): void {
    if (!this.active) return;
    const { name, redisUrl, concurrency, sweepIntervalMs, sweepAtStart } = this.options;
    // BullMQ workers block on Redis and must never give up on a command (maxRetriesPerRequest: null).
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
    this.queue = new Queue<Job<Data, unknown, string>>(name, { connection: this.connection });
    this.worker = new Worker<Data>(name, (job) => this.process(job), { connection: this.connection.duplicate(), concurrency });
    this.worker.on('error', (error) => this.logger.warn(`worker: ${error.message}`));
    observeQueue(this.queue, this.worker);
    this.sweepTimer = setInterval(() => void this.sweep(), sweepIntervalMs);
    if (sweepAtStart) void this.sweep();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.sweeping;
    await this.worker?.close();
    await this.queue?.close();
    await this.closed();
    this.connection?.disconnect();
  }

  /** What a subclass closes after the worker stopped (its outside client). */
  protected async closed(): Promise<void> {}

  /** Queues one job (its id dedupes: the same id twice is one job). */
  protected async add(jobName: string, data: Data, options: JobsOptions & { jobId: string }): Promise<void> {
    await this.queue!.add(jobName, data, options);
  }

  /** The queue itself, for what add() does not cover (looking up a job). */
  protected get jobs(): Queue<Job<Data, unknown, string>> {
    return this.queue!;
  }

  protected abstract process(job: Job<Data>): Promise<unknown>;

  /** One round of the sweeper: finds the work Redis lost and queues it again. */
  protected abstract sweepOnce(): Promise<void>;

  /** Public for tests: one pass of the sweeper (a pass already running is awaited, not doubled). */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce()
      .catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`))
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }
}
