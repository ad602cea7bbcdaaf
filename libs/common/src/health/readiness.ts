import { Gauge, register } from 'prom-client';

export type ReadinessCheck = () => Promise<unknown>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * What an app needs before it may take work, for `/health/ready` and gRPC Health: the process,
 * its database and (once, at start) its consumers having caught up. Kafka and Redis are
 * *monitored* only: a blip in either must not take every replica out of its Service at once
 * (the outbox holds events while Kafka is away; rate limits fail open without Redis). Their
 * health is the `passway_dependency_up` gauge, for alerts.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly monitors = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  /** A check that gates readiness. */
  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** A dependency whose health is reported (`passway_dependency_up{dependency=name}`) but never gates readiness. */
  monitor(name: string, check: ReadinessCheck): void {
    this.monitors.set(name, check);
    dependencyGauge(this);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks.entries()];
  }

  /** After SIGTERM the app reports not-ready so load balancers drain it before it exits. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async report(): Promise<ReadinessReport> {
    const checks = await runChecks(this.checks);
    if (this.shuttingDown) checks.shutdown = { ok: false, error: 'shutting down' };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }

  /** The monitored dependencies, each up or down with why. */
  dependencies(): Promise<Record<string, { ok: boolean; error?: string }>> {
    return runChecks(this.monitors);
  }
}

async function runChecks(checks: Map<string, ReadinessCheck>): Promise<Record<string, { ok: boolean; error?: string }>> {
  const entries = await Promise.all(
    [...checks.entries()].map(async ([name, check]) => {
      try {
        await withTimeout(check(), CHECK_TIMEOUT_MS);
        return [name, { ok: true }] as const;
      } catch (error) {
        return [name, { ok: false, error: (error as Error).message }] as const;
      }
    }),
  );
  return Object.fromEntries<{ ok: boolean; error?: string }>(entries);
}

const monitored = new Set<Readiness>();

/** One gauge per process, asked at scrape time, over every Readiness that monitors something. */
function dependencyGauge(readiness: Readiness): void {
  monitored.add(readiness);
  if (register.getSingleMetric('passway_dependency_up')) return;
  new Gauge({
    name: 'passway_dependency_up',
    help: 'Whether a dependency that does not gate readiness (Kafka, Redis) answers: 1 up, 0 down',
    labelNames: ['dependency'],
    async collect() {
      for (const owner of monitored) {
        for (const [name, result] of Object.entries(await owner.dependencies())) this.set({ dependency: name }, result.ok ? 1 : 0);
      }
    },
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
