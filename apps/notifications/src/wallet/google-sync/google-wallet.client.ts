import { GOOGLE_WALLET_SCOPE, GoogleWalletIdentity } from '@passway/common';
import { Gaxios, GaxiosError } from 'gaxios';
import { JWT } from 'google-auth-library';

/** Google's token endpoint as google-auth-library hard-codes it; requests to it go to the configured one. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export type GooglePatchOutcome =
  { kind: 'done' } | { kind: 'absent' } | { kind: 'retry'; reason: string } | { kind: 'rejected'; reason: string };

/**
 * The Google Wallet REST API with an OAuth2 token from the service account (google-auth-library's
 * JWT client: it signs the assertion, fetches, caches and refreshes the token). The API's base URL
 * and the token endpoint are settings, so tests run against a local stand-in.
 */
export class GoogleWalletClient {
  private readonly auth: JWT;

  constructor(
    private readonly identity: GoogleWalletIdentity,
    private readonly timeoutMs: number,
  ) {
    const transporter = new Gaxios();
    if (identity.tokenUrl !== GOOGLE_TOKEN_URL) {
      transporter.interceptors.request.add({
        resolved: (options) => {
          if (String(options.url) === GOOGLE_TOKEN_URL) options.url = new URL(identity.tokenUrl);
          return Promise.resolve(options);
        },
      });
    }
    this.auth = new JWT({ email: identity.clientEmail, key: identity.privateKey, scopes: [GOOGLE_WALLET_SCOPE], transporter });
  }

  /** PATCH one object or class. A 404 means the holder never saved it: nothing to update. */
  async patch(type: string, id: string, body: Record<string, unknown>): Promise<GooglePatchOutcome> {
    try {
      await this.auth.request({
        url: `${this.identity.apiUrl}/${type}/${encodeURIComponent(id)}`,
        method: 'PATCH',
        data: body,
        timeout: this.timeoutMs,
        retry: false,
      });
      return { kind: 'done' };
    } catch (error) {
      const status = (error as GaxiosError).response?.status ?? (error as { status?: number }).status;
      const reason = `${status ?? 'network'} ${(error as Error).message}`.slice(0, 500);
      if (status === 404) return { kind: 'absent' };
      if (status === undefined || status === 408 || status === 429 || status >= 500 || status === 401) return { kind: 'retry', reason };
      return { kind: 'rejected', reason };
    }
  }
}
