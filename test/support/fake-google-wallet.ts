import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const WALLET_SCOPE = 'https://www.googleapis.com/auth/wallet_object.issuer';

export interface ReceivedPatch {
  at: string;
  type: string;
  id: string;
  body: Record<string, unknown>;
  status: number;
}

/**
 * A local stand-in for Google: the OAuth token endpoint (JWT-bearer grant: the assertion must be
 * signed RS256 by the service account, for Google's token audience, with the Wallet scope) and the
 * Wallet REST API's objects and classes (Bearer token checked; PATCH merges and is recorded; an
 * object nobody saved is a 404). `POST /__fake/save` plays the holder pressing "Save to Google
 * Wallet": it verifies the save JWT with the service account's public key and stores its objects.
 */
export class FakeGoogleWallet {
  readonly patches: ReceivedPatch[] = [];
  readonly tokensIssued: string[] = [];
  private readonly objects = new Map<string, Record<string, unknown>>();
  private readonly scripted = new Map<string, number[]>();
  private server: Server | undefined;

  constructor(private readonly account: { clientEmail: string; publicKey: string }) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error) => answer(res, 500, { error: { code: 500, message: String(error) } }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    if (req.method === 'POST' && url.pathname === '/token') return this.token(raw, res);
    if (req.method === 'POST' && url.pathname === '/__fake/save') return this.save(JSON.parse(raw).jwt, res);
    if (req.method === 'GET' && url.pathname === '/__fake/patches') {
      const id = url.searchParams.get('id');
      return answer(res, 200, id ? this.patches.filter((patch) => patch.id === id) : this.patches);
    }
    if (req.method === 'GET' && url.pathname === '/__fake/object')
      return answer(res, 200, this.objects.get(url.searchParams.get('id') ?? '') ?? null);
    if (req.method === 'POST' && url.pathname === '/__fake/fail') {
      const { id, statuses } = JSON.parse(raw);
      this.scripted.set(id, [...(this.scripted.get(id) ?? []), ...statuses]);
      return answer(res, 204, null);
    }
    const match = /^\/walletobjects\/v1\/(eventTicketObject|genericObject|eventTicketClass|genericClass)\/([^/]+)$/.exec(url.pathname);
    if (!match) return answer(res, 404, { error: { code: 404, message: 'unknown path' } });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !this.tokensIssued.includes(bearer))
      return answer(res, 401, { error: { code: 401, message: 'Request had invalid authentication credentials.' } });
    const [, type, encodedId] = match;
    const id = decodeURIComponent(encodedId);
    if (req.method === 'GET')
      return this.objects.has(id)
        ? answer(res, 200, this.objects.get(id))
        : answer(res, 404, { error: { code: 404, message: 'not found' } });
    if (req.method !== 'PATCH') return answer(res, 405, { error: { code: 405, message: 'method' } });
    const body = JSON.parse(raw || '{}');
    const scripted = this.scripted.get(id)?.shift();
    const status = scripted ?? (this.objects.has(id) ? 200 : 404);
    this.patches.push({ at: new Date().toISOString(), type, id, body, status });
    if (status !== 200) return answer(res, status, { error: { code: status, message: 'scripted or unknown object' } });
    const merged = { ...this.objects.get(id), ...body };
    this.objects.set(id, merged);
    answer(res, 200, merged);
  }

  private token(raw: string, res: ServerResponse): void {
    const form = new URLSearchParams(raw);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return answer(res, 400, { error: 'unsupported_grant_type' });
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(form.get('assertion') ?? '', this.account.publicKey, {
        algorithms: ['RS256'],
        audience: GOOGLE_TOKEN_AUDIENCE,
        issuer: this.account.clientEmail,
      }) as jwt.JwtPayload;
    } catch (error) {
      return answer(res, 400, { error: 'invalid_grant', error_description: (error as Error).message });
    }
    if (
      !String(claims.scope ?? '')
        .split(' ')
        .includes(WALLET_SCOPE)
    )
      return answer(res, 400, { error: 'invalid_scope' });
    const token = `ya29.fake-${randomBytes(12).toString('hex')}`;
    this.tokensIssued.push(token);
    answer(res, 200, { access_token: token, expires_in: 3600, token_type: 'Bearer' });
  }

  private save(token: string, res: ServerResponse): void {
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, this.account.publicKey, {
        algorithms: ['RS256'],
        audience: 'google',
        issuer: this.account.clientEmail,
      }) as jwt.JwtPayload;
    } catch (error) {
      return answer(res, 400, { error: (error as Error).message });
    }
    if (claims.typ !== 'savetowallet') return answer(res, 400, { error: 'typ must be savetowallet' });
    const payload = claims.payload as Record<string, Record<string, unknown>[]>;
    const saved: string[] = [];
    for (const list of Object.values(payload)) {
      for (const item of list) {
        this.objects.set(String(item.id), item);
        saved.push(String(item.id));
      }
    }
    answer(res, 200, { saved });
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
  res.writeHead(status, body === null ? {} : { 'content-type': 'application/json' });
  res.end(body === null ? '' : JSON.stringify(body));
}

/** The test process's handle on the stand-in `npm test` started. */
export class FakeGoogleWalletControl {
  constructor(private readonly baseUrl: string) {}

  static fromEnv(): FakeGoogleWalletControl {
    const url = process.env.PASSWAY_FAKE_GOOGLE_URL;
    if (!url) throw new Error('PASSWAY_FAKE_GOOGLE_URL is not set: run the e2e tests through "npm test"');
    return new FakeGoogleWalletControl(url);
  }

  async save(saveJwt: string): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.baseUrl}/__fake/save`, { method: 'POST', body: JSON.stringify({ jwt: saveJwt }) });
    return { status: response.status, body: await response.json() };
  }

  async patches(id: string): Promise<ReceivedPatch[]> {
    return (await (await fetch(`${this.baseUrl}/__fake/patches?id=${encodeURIComponent(id)}`)).json()) as ReceivedPatch[];
  }

  /** The object or class as the stand-in holds it (saved, then PATCHed), or null. */
  async object(id: string): Promise<Record<string, any> | null> {
    return (await (await fetch(`${this.baseUrl}/__fake/object?id=${encodeURIComponent(id)}`)).json()) as Record<string, any> | null;
  }

  async failNext(id: string, statuses: number[]): Promise<void> {
    await fetch(`${this.baseUrl}/__fake/fail`, { method: 'POST', body: JSON.stringify({ id, statuses }) });
  }
}
