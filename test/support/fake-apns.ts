import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createSecureServer, Http2SecureServer, Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';

/** One push as the stand-in received it, and how it answered. */
export interface ReceivedPush {
  at: string;
  token: string;
  topic: string;
  apnsId: string | null;
  collapseId: string | null;
  pushType: string | null;
  priority: string | null;
  payload: unknown;
  /** UID (pass type id) of the TLS client certificate; null in token mode. */
  clientCertUid: string | null;
  status: number;
  reason: string | null;
  /** true when APNs accepted it (200) and the answer reached the client. */
  accepted: boolean;
}

/**
 * A local stand-in for APNs: HTTP/2 over TLS, `POST /3/device/<token>`. Like APNs it refuses a
 * connection without a client certificate from the trusted CA, a topic that is not the
 * certificate's pass type (`DeviceTokenNotForTopic`), and an empty payload (`PayloadEmpty`).
 * Tests script answers per token (`failNext`, e.g. 410 or 500), slow answers (`delayMs`), and
 * read what arrived, in-process or over a plain HTTP control port (`/__fake/*`).
 */
export class FakeApns {
  readonly received: ReceivedPush[] = [];
  private readonly scripted = new Map<string, number[]>();
  private delayMs = 0;
  /** After `remaining` more accepted pushes, further pushes are held unanswered (to kill a sender mid-push). */
  private hold: { remaining: number; waiting: Set<() => void> } | null = null;
  private server: Http2SecureServer | undefined;
  private control: Server | undefined;

  constructor(private readonly tls: { cert: string; key: string; clientCa: string }) {}

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  get origin(): string {
    return `https://localhost:${this.port}`;
  }

  get controlUrl(): string {
    return `http://127.0.0.1:${(this.control!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createSecureServer({
      cert: this.tls.cert,
      key: this.tls.key,
      ca: this.tls.clientCa,
      requestCert: true,
      rejectUnauthorized: true,
    });
    this.server.on('request', (req, res) => void this.push(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.control = createHttpServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.control!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.control ? this.control.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  failNext(token: string, statuses: number[]): void {
    this.scripted.set(token, [...(this.scripted.get(token) ?? []), ...statuses]);
  }

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  holdAfter(count: number): void {
    this.hold = { remaining: count, waiting: new Set() };
  }

  /** Answers every held push (those whose client is gone are recorded as not delivered) and stops holding. */
  release(): void {
    const waiting = this.hold?.waiting ?? new Set();
    this.hold = null;
    for (const wake of waiting) wake();
  }

  get heldCount(): number {
    return this.hold?.waiting.size ?? 0;
  }

  to(token: string): ReceivedPush[] {
    return this.received.filter((push) => push.token === token);
  }

  private async push(req: Http2ServerRequest, res: Http2ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const match = /^\/3\/device\/([0-9A-Fa-f]+)$/.exec(req.url);
    const peer = (req.socket as unknown as TLSSocket).getPeerX509Certificate?.();
    const uid = peer ? (/(?:^|\n)UID=([^\n]+)/.exec(peer.subject)?.[1] ?? null) : null;
    const header = (name: string) => (typeof req.headers[name] === 'string' ? req.headers[name] : null);
    const record: ReceivedPush = {
      at: new Date().toISOString(),
      token: match?.[1] ?? '',
      topic: header('apns-topic') ?? '',
      apnsId: header('apns-id'),
      collapseId: header('apns-collapse-id'),
      pushType: header('apns-push-type'),
      priority: header('apns-priority'),
      payload: safeJson(body),
      clientCertUid: uid,
      status: 200,
      reason: null,
      accepted: false,
    };
    const refuse = (status: number, reason: string, extra: Record<string, unknown> = {}) => {
      record.status = status;
      record.reason = reason;
      this.received.push(record);
      res.writeHead(status, { 'content-type': 'application/json', 'apns-id': record.apnsId ?? randomUUID() });
      res.end(JSON.stringify({ reason, ...extra }));
    };
    if (req.method !== 'POST' || !match) return refuse(404, 'BadPath');
    if (!record.topic) return refuse(400, 'MissingTopic');
    if (!uid || uid !== record.topic) return refuse(400, 'DeviceTokenNotForTopic');
    if (body.length === 0) return refuse(400, 'PayloadEmpty');
    const scripted = this.scripted.get(record.token);
    const status = scripted?.shift();
    if (status !== undefined) {
      if (status === 410) return refuse(410, 'Unregistered', { timestamp: Date.now() });
      return refuse(status, status === 429 ? 'TooManyRequests' : status >= 500 ? 'InternalServerError' : 'BadDeviceToken');
    }
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.hold && this.hold.remaining <= 0) {
      const hold = this.hold;
      await new Promise<void>((resolve) => {
        const wake = () => {
          hold.waiting.delete(wake);
          resolve();
        };
        hold.waiting.add(wake);
        res.stream.once('close', wake);
      });
    } else if (this.hold) {
      this.hold.remaining -= 1;
    }
    // Accepted only once the answer is written: a client that vanished before it never learns of the push.
    if (res.stream.destroyed || res.stream.closed) {
      record.status = 0;
      record.reason = 'client went away before the answer';
      this.received.push(record);
      return;
    }
    record.accepted = true;
    this.received.push(record);
    res.writeHead(200, { 'apns-id': record.apnsId ?? randomUUID() });
    res.end();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    const answer = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(value === null ? '' : JSON.stringify(value));
    };
    if (req.method === 'GET' && url.pathname === '/__fake/pushes') {
      const token = url.searchParams.get('token');
      return answer(200, token ? this.to(token) : this.received);
    }
    if (req.method === 'POST' && url.pathname === '/__fake/fail') {
      this.failNext(String(body.token), (body.statuses as unknown[]).map(Number));
      return answer(204, null);
    }
    if (req.method === 'POST' && url.pathname === '/__fake/hold') {
      this.holdAfter(Number(body.after));
      return answer(204, null);
    }
    if (req.method === 'POST' && url.pathname === '/__fake/release') {
      this.release();
      return answer(204, null);
    }
    if (req.method === 'GET' && url.pathname === '/__fake/held') return answer(200, { held: this.heldCount });
    if (req.method === 'POST' && url.pathname === '/__fake/delay') {
      this.setDelay(Number(body.ms));
      return answer(204, null);
    }
    answer(404, { error: 'unknown control route' });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The test process's handle on the stand-in `npm test` started. */
export class FakeApnsControl {
  constructor(private readonly baseUrl: string) {}

  static fromEnv(): FakeApnsControl {
    const url = process.env.PASSWAY_FAKE_APNS_URL;
    if (!url) throw new Error('PASSWAY_FAKE_APNS_URL is not set: run the e2e tests through "npm test"');
    return new FakeApnsControl(url);
  }

  async pushes(token?: string): Promise<ReceivedPush[]> {
    const response = await fetch(`${this.baseUrl}/__fake/pushes${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    return (await response.json()) as ReceivedPush[];
  }

  async failNext(token: string, statuses: number[]): Promise<void> {
    await fetch(`${this.baseUrl}/__fake/fail`, { method: 'POST', body: JSON.stringify({ token, statuses }) });
  }

  async holdAfter(count: number): Promise<void> {
    await fetch(`${this.baseUrl}/__fake/hold`, { method: 'POST', body: JSON.stringify({ after: count }) });
  }

  async release(): Promise<void> {
    await fetch(`${this.baseUrl}/__fake/release`, { method: 'POST', body: '{}' });
  }

  async held(): Promise<number> {
    return ((await (await fetch(`${this.baseUrl}/__fake/held`)).json()) as { held: number }).held;
  }

  async setDelay(ms: number): Promise<void> {
    await fetch(`${this.baseUrl}/__fake/delay`, { method: 'POST', body: JSON.stringify({ ms }) });
  }
}
