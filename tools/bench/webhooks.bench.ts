import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { BenchContext, BenchRow, percentile } from './bench-context';

const LATENCY_EVENTS = 100;
const THROUGHPUT_SUBSCRIPTIONS = 20;
const THROUGHPUT_EVENTS = 50;
const API_CONCURRENCY = 10;

/**
 * Event → webhook: how long from a pass being created (its createdAt) to the signed POST
 * reaching a subscriber on loopback, and how many deliveries per second the service sustains
 * when one event fans out to many subscriptions.
 */
export async function benchWebhooks(ctx: BenchContext): Promise<BenchRow[]> {
  const received = new Map<string, number[]>();
  let deliveries = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      deliveries += 1;
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { data: { id: string } };
      const list = received.get(body.data.id) ?? [];
      list.push(at);
      received.set(body.data.id, list);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;

  const { apiKey } = await ctx.createTenant('Webhooks bench');
  const api = async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${ctx.gatewayUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const waitUntil = async (done: () => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('webhook bench: deliveries did not all arrive');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  try {
    // Latency: one subscription, events one at a time.
    await api('POST', '/webhooks', { event: 'pass.created', targetUrl: target('/latency') });
    // Warm-up: the first delivery also waits for consumers to join their groups after start-up.
    const warmUp = await api<{ id: string }>('POST', '/passes', { type: 'single', name: 'bench warm-up' });
    await waitUntil(() => received.has(warmUp.id), 60_000);
    const created: { id: string; createdAt: string }[] = [];
    for (let i = 0; i < LATENCY_EVENTS; i += 1)
      created.push(await api<{ id: string; createdAt: string }>('POST', '/passes', { type: 'single', name: `bench ${i}` }));
    await waitUntil(() => created.every((p) => received.has(p.id)), 60_000);
    const latencies = created.map((p) => received.get(p.id)![0] - Date.parse(p.createdAt)).sort((a, b) => a - b);

    // Throughput: one event fans out to many subscriptions.
    for (let i = 0; i < THROUGHPUT_SUBSCRIPTIONS; i += 1) {
      await api('POST', '/webhooks', { event: 'client.created', targetUrl: target(`/fanout/${i}`) });
    }
    const before = deliveries;
    const expected = THROUGHPUT_SUBSCRIPTIONS * THROUGHPUT_EVENTS;
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: API_CONCURRENCY }, async () => {
        while (next < THROUGHPUT_EVENTS) {
          next += 1;
          await api('POST', '/clients', { name: `bench client ${next}` });
        }
      }),
    );
    await waitUntil(() => deliveries - before >= expected, 120_000);
    const seconds = (Date.now() - started) / 1000;

    return [
      { bench: 'webhooks', metric: `event→webhook latency p50 (${LATENCY_EVENTS} passes)`, value: `${percentile(latencies, 50)} ms` },
      { bench: 'webhooks', metric: 'event→webhook latency p99', value: `${percentile(latencies, 99)} ms` },
      {
        bench: 'webhooks',
        metric: `deliveries/s (${THROUGHPUT_EVENTS} events × ${THROUGHPUT_SUBSCRIPTIONS} webhooks)`,
        value: (expected / seconds).toFixed(0),
      },
    ];
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
