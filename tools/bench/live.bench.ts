import { SseStream } from '../../test/support/sse-client';
import { BenchContext, BenchRow, percentile, runningApps } from './bench-context';

const STREAMS = Number(process.env.BENCH_LIVE_STREAMS || 1000);
const OPEN_AT_ONCE = 100;

/** The resident memory of the one gateway process this checkout runs. */
function gatewayRssBytes(): number {
  const gateway = runningApps().find((running) => running.app === 'gateway');
  if (!gateway) throw new Error('no gateway of this checkout is running');
  return gateway.rssBytes;
}

/**
 * Live check-in streams (GET /events/:id/live): BENCH_LIVE_STREAMS (1,000) streams of one event
 * held open on one gateway, the gateway's added resident memory, and how long one scan takes to
 * reach every stream (scan request sent → the stream's `event: scan` parsed here).
 */
export async function benchLive(context: BenchContext): Promise<BenchRow[]> {
  const { apiKey } = await context.createTenant('Bench Live');
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${context.gatewayUrl}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string; code: string };
  };
  const event = await post('/events', { name: 'Bench Live Night', startsAt: '2031-01-01T18:00:00Z' });
  const pass = await post('/passes', { type: 'multi', name: 'Bench live', clientName: 'Bench Live', eventId: event.id });

  const rssBefore = gatewayRssBytes();
  const streams: SseStream[] = [];
  try {
    for (let opened = 0; opened < STREAMS; opened += OPEN_AT_ONCE) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(OPEN_AT_ONCE, STREAMS - opened) }, () =>
          SseStream.open(`${context.gatewayUrl}/api/v1/events/${event.id}/live`, { authorization: headers.authorization }),
        ),
      );
      streams.push(...batch);
      await Promise.all(batch.map((stream) => stream.next((message) => message.event === 'ready', 60_000)));
    }
    const open = streams.filter((stream) => stream.status === 200 && !stream.ended).length;
    const rssOpen = gatewayRssBytes();

    const sent = Date.now();
    await post('/scan', { code: pass.code });
    const arrivals = await Promise.all(
      streams.map((stream) => stream.next((message) => message.event === 'scan', 30_000).then(() => Date.now() - sent)),
    );
    arrivals.sort((a, b) => a - b);
    return [
      { bench: 'live', metric: `SSE streams open on one gateway (of ${STREAMS})`, value: String(open) },
      {
        bench: 'live',
        metric: 'gateway RSS added by the open streams (target <= 200 MB)',
        value: `${((rssOpen - rssBefore) / 2 ** 20).toFixed(1)} MB`,
      },
      { bench: 'live', metric: 'scan -> every stream, last arrival (target <= 2 s)', value: `${arrivals.at(-1)} ms` },
      { bench: 'live', metric: 'scan -> stream, p50', value: `${percentile(arrivals, 50)} ms` },
    ];
  } finally {
    for (const stream of streams) stream.close();
  }
}
