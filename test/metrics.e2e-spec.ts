import assert from 'node:assert/strict';
import { describe, it, beforeAll, afterAll } from '@jest/globals';
import { closeGatewayDb, createTenant, eventually, sharedGatewayUrl, TestTenant } from './support/e2e-env';

const appUrl = (portSetting: string) => `http://127.0.0.1:${process.env[portSetting]}`;

async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
  return response.text();
}

/** The value of the first sample of `name` whose labels include every given pair. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('Prometheus /metrics on every app', () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant({ name: 'Metrics', rateLimitPerMinute: 2 });
    await tenant.api.post('/passes', { type: 'single', clientName: 'Metric Holder', clientEmail: 'metrics@example.com' });
    await tenant.api.get('/passes');
    await tenant.api.get('/passes'); // past the limit of 2: a 429
  });
  afterAll(closeGatewayDb);

  it('gateway: HTTP counts and latency by route, rate-limit rejections and fail-open counters', async () => {
    const text = await scrape(sharedGatewayUrl());
    assert.ok(
      (sample(text, 'passway_http_requests_total', { route: '/api/v1/passes', method: 'POST', status: '201', app: 'gateway' }) ?? 0) >= 1,
    );
    assert.ok((sample(text, 'passway_http_requests_total', { route: '/api/v1/passes', status: '429' }) ?? 0) >= 1);
    assert.ok(sample(text, 'passway_http_request_duration_seconds_bucket', { route: '/api/v1/passes', le: '+Inf' })! >= 1);
    assert.ok((sample(text, 'passway_rate_limit_rejections_total', { policy: 'manage' }) ?? 0) >= 1);
    assert.match(text, /# TYPE passway_rate_limit_fail_open_total counter/);
    assert.ok(sample(text, 'passway_process_resident_memory_bytes')! > 0, 'default process metrics');
  });

  it('passes: gRPC command counts and latency, outbox backlog and published events', async () => {
    const text = await scrape(appUrl('PASSES_HTTP_PORT'));
    assert.ok((sample(text, 'passway_rpc_requests_total', { outcome: 'ok', app: 'passes' }) ?? 0) >= 1);
    assert.ok(sample(text, 'passway_rpc_request_duration_seconds_count') !== undefined);
    assert.ok(sample(text, 'passway_outbox_backlog', { schema: 'passes' }) !== undefined);
    assert.ok((sample(text, 'passway_outbox_published_total', { schema: 'passes' }) ?? 0) >= 1);
  });

  it('notifications: Kafka consumer lag, consumed events, and BullMQ queue depth', async () => {
    const text = await eventually(async () => {
      const scraped = await scrape(appUrl('NOTIFICATIONS_HTTP_PORT'));
      return sample(scraped, 'passway_kafka_consumer_lag') !== undefined ? scraped : undefined;
    });
    assert.ok(sample(text, 'passway_kafka_consumer_lag', { topic: 'passway.pass-events.v1' })! >= 0);
    assert.ok((sample(text, 'passway_events_consumed_total', { type: 'pass.created' }) ?? 0) >= 1);
    for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) {
      assert.ok(sample(text, 'passway_queue_jobs', { queue: 'passway-emails', state }) !== undefined, state);
    }
    assert.match(text, /# TYPE passway_queue_job_failures_total counter/);
  });

  it("every app reports its Kafka and Redis as passway_dependency_up, and its projections' lag in seconds", async () => {
    const gateway = await scrape(sharedGatewayUrl());
    assert.equal(sample(gateway, 'passway_dependency_up', { dependency: 'redis' }), 1);
    const scans = await scrape(appUrl('SCANS_HTTP_PORT'));
    assert.equal(sample(scans, 'passway_dependency_up', { dependency: 'kafka' }), 1);
    const lag = sample(scans, 'passway_consumer_lag_seconds', { group: 'passway-test-scans-admissions' });
    assert.ok(lag !== undefined && lag >= 0 && lag < 60, `the scans projection's lag is known and small (${lag})`);
    const webhooks = await scrape(appUrl('WEBHOOKS_HTTP_PORT'));
    assert.equal(sample(webhooks, 'passway_dependency_up', { dependency: 'redis' }), 1);
    assert.equal(sample(webhooks, 'passway_dependency_up', { dependency: 'kafka' }), 1);
  });

  it('scans and webhooks serve /metrics too', async () => {
    for (const port of ['SCANS_HTTP_PORT', 'WEBHOOKS_HTTP_PORT']) {
      const text = await scrape(appUrl(port));
      assert.ok(sample(text, 'passway_process_cpu_seconds_total') !== undefined, port);
    }
  });
});
