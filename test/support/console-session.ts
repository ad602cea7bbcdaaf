import { ApiClient, ApiResponse, RequestOptions } from './api-client';
import { eventually, gatewayDb, sharedGatewayUrl } from './e2e-env';
import { FakeResendControl } from './fake-resend';

let userCounter = 0;
export const TEST_PASSWORD = 'correct horse battery staple';

/** A unique address for a test user. */
export function uniqueEmail(label: string): string {
  userCounter += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${userCounter}@example.com`;
}

/**
 * A browser-like client of the console API: keeps the cookies the gateway sets and sends the
 * pw_csrf cookie's value in X-CSRF-Token on every write (unless told not to).
 */
export class SessionClient extends ApiClient {
  readonly cookies = new Map<string, string>();
  sendCsrf = true;

  constructor(baseUrl = sharedGatewayUrl()) {
    super(baseUrl);
  }

  get csrfToken(): string | undefined {
    return this.cookies.get('pw_csrf');
  }

  override async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (this.cookies.size > 0 && !headers.cookie) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (this.sendCsrf && method !== 'GET' && this.csrfToken && !headers['x-csrf-token']) headers['x-csrf-token'] = this.csrfToken;
    const response = await super.request<T>(method, path, { ...options, headers });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((attribute) => /^\s*expires=Thu, 01 Jan 1970/i.test(attribute)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

/** The one-time link of the newest email to `to` whose link path starts with `pathPrefix`. */
export async function linkFromInbox(to: string, pathPrefix: string, after = 0): Promise<{ url: string; token: string }> {
  const inbox = FakeResendControl.fromEnv();
  return eventually(async () => {
    const emails = (await inbox.to(to)).filter((email) => email.accepted).slice(after);
    for (const email of emails.reverse()) {
      const match = new RegExp(`(https?://[^\\s"<]+/app${pathPrefix.replace(/[?]/g, '\\?')}[^\\s"<]*token=([A-Za-z0-9_-]{43}))`).exec(
        email.text ?? email.html,
      );
      if (match) return { url: match[1], token: match[2] };
    }
    return undefined;
  }, 20_000);
}

/** Signs up, confirms the address from the fake Resend inbox, and returns the signed-in client (the owner of a new organisation). */
export async function signUpOwner(
  label: string,
  organizationName?: string,
): Promise<{ client: SessionClient; email: string; session: any }> {
  const email = uniqueEmail(label);
  const client = new SessionClient();
  const signUp = await client.post('/auth/signup', {
    name: `Owner ${label}`,
    email,
    password: TEST_PASSWORD,
    organizationName: organizationName ?? `Org ${label} ${userCounter}`,
  });
  if (signUp.status !== 202) throw new Error(`sign-up: ${signUp.status} ${signUp.text}`);
  const { token } = await linkFromInbox(email, '/verify-email');
  const verified = await client.post('/auth/verify-email', { token });
  if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${verified.text}`);
  return { client, email, session: verified.body };
}

/** Lifts a signed-up organisation's request budget (tests make many calls a minute; the CLI's tenants in tests get the same). */
export async function relaxRateLimit(organizationId: string): Promise<void> {
  const db = await gatewayDb();
  await db.query('UPDATE gateway.tenants SET rate_limit_per_minute = 100000 WHERE id = $1', [organizationId]);
}

/** Invites `role` (optionally scoped to events) as `owner`, accepts from the inbox as a new user, and returns their signed-in client. */
export async function inviteMember(
  owner: SessionClient,
  role: string,
  events?: string[],
): Promise<{ client: SessionClient; email: string; memberSession: any }> {
  const email = uniqueEmail(role.replace('_', '-'));
  const invited = await owner.post('/invitations', { email, role, ...(events ? { events } : {}) });
  if (invited.status !== 201) throw new Error(`invite: ${invited.status} ${invited.text}`);
  const { token } = await linkFromInbox(email, '/invite');
  const client = new SessionClient();
  const accepted = await client.post('/invitations/accept', { token, name: `Member ${role}`, password: TEST_PASSWORD });
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${accepted.text}`);
  return { client, email, memberSession: accepted.body };
}
