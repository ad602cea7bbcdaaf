import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One POST /emails as the fake received it, and how it answered. */
export interface ReceivedEmailRequest {
  at: string;
  idempotencyKey: string | null;
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string | null;
  attachments: { filename?: string; content_id?: string; content?: string }[];
  status: number;
  /** The id answered; a replay of an accepted idempotency key answers the first id again. */
  id: string | null;
  /** true when this request was accepted as a new email (not a failure, not an idempotent replay). */
  accepted: boolean;
}

const REQUIRED_FIELDS = ['from', 'to', 'subject'] as const;

/**
 * A local stand-in for Resend's `POST /emails`: it checks the request the way Resend does
 * (Bearer key, JSON body with from/to/subject and html or text, Idempotency-Key semantics) and answers
 * like Resend (`{ "id": … }`, or `{ statusCode, name, message }`). Tests script failures per recipient
 * (`failNext`) and read what arrived (`received`), in-process or over its `/__fake/*` control routes.
 */
export class FakeResend {
  readonly received: ReceivedEmailRequest[] = [];
  private readonly scripted = new Map<string, number[]>();
  private readonly byKey = new Map<string, { id: string; body: string }>();
  private server: Server | undefined;

  constructor(readonly apiKey: string) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('FakeResend is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error) => answer(res, 500, { statusCode: 500, name: 'internal_server_error', message: String(error) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next requests for this recipient answer these statuses, in order, before succeeding again. */
  failNext(to: string, statuses: number[]): void {
    this.scripted.set(to.toLowerCase(), [...(this.scripted.get(to.toLowerCase()) ?? []), ...statuses]);
  }

  to(address: string): ReceivedEmailRequest[] {
    return this.received.filter((request) => request.to.some((to) => to.toLowerCase() === address.toLowerCase()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname === '/__fake/requests') {
      const to = url.searchParams.get('to');
      return answer(res, 200, to ? this.to(to) : this.received);
    }
    if (req.method === 'POST' && url.pathname === '/__fake/fail') {
      const { to, statuses } = JSON.parse(await readBody(req));
      this.failNext(String(to), (statuses as unknown[]).map(Number));
      return answer(res, 204, null);
    }
    if (req.method === 'POST' && url.pathname === '/emails') return this.sendEmail(req, res);
    return answer(res, 404, { statusCode: 404, name: 'not_found', message: 'The requested endpoint does not exist.' });
  }

  private async sendEmail(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.authorization === undefined) {
      return answer(res, 401, { statusCode: 401, name: 'missing_api_key', message: 'Missing API key in the authorization header.' });
    }
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return answer(res, 403, { statusCode: 403, name: 'invalid_api_key', message: 'API key is invalid' });
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return answer(res, 422, { statusCode: 422, name: 'validation_error', message: 'Content-Type must be application/json' });
    }
    const raw = await readBody(req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(res, 422, { statusCode: 422, name: 'validation_error', message: 'Invalid JSON body' });
    }
    const missing = REQUIRED_FIELDS.find((field) => !body[field]) ?? (!body.html && !body.text ? 'html' : undefined);
    if (missing) return answer(res, 422, { statusCode: 422, name: 'missing_required_field', message: `Missing \`${missing}\` field.` });
    const to = (Array.isArray(body.to) ? body.to : [body.to]).map(String);
    const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const record: ReceivedEmailRequest = {
      at: new Date().toISOString(),
      idempotencyKey,
      from: String(body.from),
      to,
      subject: String(body.subject),
      html: typeof body.html === 'string' ? body.html : '',
      text: typeof body.text === 'string' ? body.text : null,
      attachments: Array.isArray(body.attachments) ? body.attachments : [],
      status: 200,
      id: null,
      accepted: false,
    };
    this.received.push(record);

    const queue = this.scripted.get(to[0].toLowerCase());
    const scriptedStatus = queue?.shift();
    if (scriptedStatus !== undefined) {
      record.status = scriptedStatus;
      const name = scriptedStatus === 429 ? 'rate_limit_exceeded' : scriptedStatus >= 500 ? 'internal_server_error' : 'validation_error';
      return answer(res, scriptedStatus, { statusCode: scriptedStatus, name, message: `scripted ${scriptedStatus}` });
    }
    if (idempotencyKey) {
      const earlier = this.byKey.get(idempotencyKey);
      if (earlier && earlier.body !== raw) {
        record.status = 409;
        return answer(res, 409, {
          statusCode: 409,
          name: 'invalid_idempotent_request',
          message: 'Same idempotency key used with a different request payload.',
        });
      }
      if (earlier) {
        record.id = earlier.id;
        return answer(res, 200, { id: earlier.id });
      }
    }
    const id = randomUUID();
    record.id = id;
    record.accepted = true;
    if (idempotencyKey) this.byKey.set(idempotencyKey, { id, body: raw });
    return answer(res, 200, { id });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204) {
    res.writeHead(204).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Talks to a FakeResend started by another process (npm test starts one for the shared stack). */
export class FakeResendControl {
  constructor(readonly url: string) {}

  static fromEnv(): FakeResendControl {
    const url = process.env.PASSWAY_FAKE_RESEND_URL;
    if (!url) throw new Error('PASSWAY_FAKE_RESEND_URL is not set: run the tests through "npm test"');
    return new FakeResendControl(url);
  }

  async failNext(to: string, statuses: number[]): Promise<void> {
    const response = await fetch(`${this.url}/__fake/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to, statuses }),
    });
    if (response.status !== 204) throw new Error(`fake resend: ${response.status}`);
  }

  async to(address: string): Promise<ReceivedEmailRequest[]> {
    const response = await fetch(`${this.url}/__fake/requests?to=${encodeURIComponent(address)}`);
    return (await response.json()) as ReceivedEmailRequest[];
  }
}
