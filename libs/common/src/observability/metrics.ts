import { Controller, Get, Header, SetMetadata } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client';

/** Metadata marking a route that needs no API key (health, metrics, docs, public pages). */
export const PUBLIC_ROUTE = 'passway:isPublic';
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);

let defaultsCollected = false;

/** Names every series of this process with its app, and starts Node's default metrics once. */
export function initMetrics(app: string): void {
  register.setDefaultLabels({ app });
  if (!defaultsCollected) collectDefaultMetrics({ prefix: 'passway_' });
  defaultsCollected = true;
}

const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const metrics = {
  httpRequests: new Counter({ name: 'passway_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'] }),
  httpDuration: new Histogram({
    name: 'passway_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'],
    buckets: LATENCY_BUCKETS,
  }),
  rpcRequests: new Counter({ name: 'passway_rpc_requests_total', help: 'gRPC commands handled', labelNames: ['method', 'outcome'] }),
  rpcDuration: new Histogram({
    name: 'passway_rpc_request_duration_seconds',
    help: 'gRPC command latency',
    labelNames: ['method'],
    buckets: LATENCY_BUCKETS,
  }),
  consumerLag: new Gauge({
    name: 'passway_kafka_consumer_lag',
    help: 'Messages behind the end of the partition, per consumer group',
    labelNames: ['group', 'topic', 'partition'],
  }),
  eventsConsumed: new Counter({
    name: 'passway_events_consumed_total',
    help: 'Domain events handled by consumers',
    labelNames: ['group', 'type', 'outcome'],
  }),
  outboxPublished: new Counter({
    name: 'passway_outbox_published_total',
    help: 'Events the outbox relay published',
    labelNames: ['schema'],
  }),
  outboxDeadLettered: new Counter({
    name: 'passway_outbox_dead_lettered_total',
    help: 'Outbox rows Kafka would never take (too large, invalid topic), set aside in outbox_dead_letters',
    labelNames: ['schema'],
  }),
  rateLimitRejections: new Counter({
    name: 'passway_rate_limit_rejections_total',
    help: 'Requests refused with 429',
    labelNames: ['policy'],
  }),
  rateLimitFailOpen: new Counter({
    name: 'passway_rate_limit_fail_open_total',
    help: 'Requests let through because Redis could not be asked',
    labelNames: ['policy'],
  }),
};

/** A gauge whose value is read when Prometheus scrapes (outbox backlog, queue depth). */
export function scrapedGauge(name: string, help: string, labelNames: string[], read: (gauge: Gauge) => Promise<void>): Gauge {
  const existing = register.getSingleMetric(name) as Gauge | undefined;
  if (existing) return existing;
  return new Gauge({
    name,
    help,
    labelNames,
    async collect() {
      try {
        await read(this);
      } catch {
        // A scrape must not fail because one source is briefly unreachable.
      }
    },
  });
}

export function httpMetricsMiddleware(req: Request, res: Response, next: NextFunction): void {
  const stop = metrics.httpDuration.startTimer();
  res.on('finish', () => {
    const routePath = (req.route as { path?: string } | undefined)?.path;
    const route = routePath ? `${req.baseUrl}${routePath}` : 'unmatched';
    metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    stop({ method: req.method, route });
  });
  next();
}

@PublicRoute()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  scrape(): Promise<string> {
    return register.metrics();
  }
}

interface ObservableQueue {
  name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}
interface ObservableWorker {
  on(event: 'failed', listener: (...args: unknown[]) => void): unknown;
}

const observedQueues = new Set<ObservableQueue>();
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'];
const queueFailures = new Counter({
  name: 'passway_queue_job_failures_total',
  help: 'BullMQ job attempts that failed',
  labelNames: ['queue'],
});

/** BullMQ queue depth by state (read at scrape time) and failed attempts, for a queue and its worker. */
export function observeQueue(queue: ObservableQueue, worker?: ObservableWorker): void {
  observedQueues.add(queue);
  worker?.on('failed', () => queueFailures.inc({ queue: queue.name }));
  scrapedGauge('passway_queue_jobs', 'BullMQ jobs by state', ['queue', 'state'], async (gauge) => {
    for (const observed of observedQueues) {
      const counts = await observed.getJobCounts(...QUEUE_STATES);
      for (const state of QUEUE_STATES) gauge.set({ queue: observed.name, state }, counts[state] ?? 0);
    }
  });
}
