import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  receivedAt: number;
}

/** Decides the answer to one request: a status code, optionally after a delay. */
export type Responder = (request: ReceivedWebhook, countForPath: number) => number | { status: number; delayMs: number };

/** A real HTTP endpoint on loopback that records every webhook POST it gets. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server: Server | undefined;
  private responder: Responder = () => 200;
  private host = '127.0.0.1';

  /** Listens on loopback, or on `host` (an address of this machine, e.g. a container network's gateway). */
  async start(host = '127.0.0.1'): Promise<this> {
    this.host = host;
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        const request = { path: req.url ?? '/', headers: req.headers, body, json, receivedAt: Date.now() };
        this.received.push(request);
        const answer = this.responder(request, this.forPath(request.path).length);
        const { status, delayMs } = typeof answer === 'number' ? { status: answer, delayMs: 0 } : answer;
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'text/plain' });
          res.end(status < 300 ? 'ok' : 'nope');
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
    return this;
  }

  respondWith(responder: Responder): void {
    this.responder = responder;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://${this.host}:${this.port}${path}`;
  }

  forPath(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  async waitFor(predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs = 30_000): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (predicate(this.received)) return this.received;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(
      `webhooks did not arrive within ${timeoutMs} ms; got ${this.received.length}: ${this.received.map((r) => r.path).join(', ')}`,
    );
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** Checks a Standard Webhooks signature the way a subscriber would, independently of Passway's code. */
export function verifySignature(secret: string, webhook: ReceivedWebhook): boolean {
  const id = String(webhook.headers['webhook-id']);
  const timestamp = String(webhook.headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${webhook.body}`).digest('base64');
  return String(webhook.headers['webhook-signature'])
    .split(' ')
    .some((entry) => entry === `v1,${expected}`);
}
