import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read aloud or off paper is unambiguous. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PASS_CODE_LENGTH = 16; // 80 random bits
export const PASS_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{12,32}$/;

export function generatePassCode(): string {
  let code = '';
  for (let i = 0; i < PASS_CODE_LENGTH; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/**
 * The `token` of a public pass URL is an HMAC of the code, so the page can be served to whoever
 * holds the link and to nobody who only guesses codes.
 */
export class PassLinkSigner {
  constructor(
    private readonly secret: string,
    private readonly publicBaseUrl: string,
  ) {}

  token(code: string): string {
    return createHmac('sha256', this.secret).update(`pass-link:${code}`).digest('base64url').slice(0, 32);
  }

  verify(code: string, token: unknown): boolean {
    if (typeof token !== 'string' || token.length !== 32) return false;
    const expected = Buffer.from(this.token(code));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * The per-pass `authenticationToken` of an Apple Wallet pass, which the device sends back as
   * `Authorization: ApplePass <token>`. Derived, not stored: it can never change for a pass (Apple
   * forbids it) and the gateway checks it without a lookup.
   */
  walletToken(passId: string): string {
    return createHmac('sha256', this.secret).update(`apple-pass:${passId}`).digest('base64url');
  }

  verifyWalletToken(passId: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.walletToken(passId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  publicUrl(code: string): string {
    return `${this.publicBaseUrl}/p/${encodeURIComponent(code)}?token=${this.token(code)}`;
  }
}
