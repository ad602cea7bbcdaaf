import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read aloud or off paper is unambiguous. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PASS_CODE_LENGTH = 16; // 80 random bits
export { PASS_CODE_PATTERN } from '../redemption-rules/redemption-rules';

export function generatePassCode(): string {
  let code = '';
  for (let i = 0; i < PASS_CODE_LENGTH; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** A pass-link key: its id travels in every token, so the secret behind it can be rotated. */
export interface PassLinkKey {
  id: string;
  secret: string;
}

export const PASS_LINK_KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;
const MAC_LENGTH = 32;

/**
 * The `token` of a public pass URL is `<key id>.<HMAC of the code>`, so the page can be served to
 * whoever holds the link and to nobody who only guesses codes. New links are signed with the
 * current key; links signed with the previous key stay valid while it is configured (the rotation
 * window), and tokens from before key ids (a bare HMAC) are checked against both secrets.
 */
export class PassLinkSigner {
  private readonly keys: PassLinkKey[];

  constructor(
    private readonly current: PassLinkKey,
    private readonly publicBaseUrl: string,
    previous?: PassLinkKey,
  ) {
    this.keys = previous ? [current, previous] : [current];
  }

  token(code: string): string {
    return `${this.current.id}.${mac(this.current.secret, code)}`;
  }

  verify(code: string, token: unknown): boolean {
    if (typeof token !== 'string' || token.length > 64) return false;
    const dot = token.indexOf('.');
    if (dot < 0) return this.keys.some((key) => sameMac(mac(key.secret, code), token));
    const key = this.keys.find((candidate) => candidate.id === token.slice(0, dot));
    return key !== undefined && sameMac(mac(key.secret, code), token.slice(dot + 1));
  }

  /**
   * The per-pass `authenticationToken` of an Apple Wallet pass, which the device sends back as
   * `Authorization: ApplePass <token>`. Derived, not stored: it can never change for a pass (Apple
   * forbids it) and the gateway checks it without a lookup.
   */
  walletToken(passId: string): string {
    return walletMac(this.current.secret, passId);
  }

  /** Checked against every configured key: a pass downloaded before a rotation keeps its token through the window. */
  verifyWalletToken(passId: string, token: unknown): boolean {
    if (typeof token !== 'string' || token.length > 64) return false;
    return this.keys.some((key) => sameMac(walletMac(key.secret, passId), token));
  }

  publicUrl(code: string): string {
    return `${this.publicBaseUrl}/p/${encodeURIComponent(code)}?token=${this.token(code)}`;
  }
}

function mac(secret: string, code: string): string {
  return createHmac('sha256', secret).update(`pass-link:${code}`).digest('base64url').slice(0, MAC_LENGTH);
}

function walletMac(secret: string, passId: string): string {
  return createHmac('sha256', secret).update(`apple-pass:${passId}`).digest('base64url');
}

function sameMac(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The signer a configuration describes (PASS_LINK_SECRET / _KEY_ID, and the previous pair during a rotation). */
export function passLinkSignerOf(config: {
  PASS_LINK_SECRET: string;
  PASS_LINK_KEY_ID: string;
  PASS_LINK_PREVIOUS_SECRET?: string;
  PASS_LINK_PREVIOUS_KEY_ID?: string;
  PUBLIC_BASE_URL: string;
}): PassLinkSigner {
  const previous =
    config.PASS_LINK_PREVIOUS_SECRET && config.PASS_LINK_PREVIOUS_KEY_ID
      ? { id: config.PASS_LINK_PREVIOUS_KEY_ID, secret: config.PASS_LINK_PREVIOUS_SECRET }
      : undefined;
  return new PassLinkSigner({ id: config.PASS_LINK_KEY_ID, secret: config.PASS_LINK_SECRET }, config.PUBLIC_BASE_URL, previous);
}
