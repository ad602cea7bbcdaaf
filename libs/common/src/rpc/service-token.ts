import { createHash, createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';

/** The gRPC metadata entry that carries a call's service token. */
export const SERVICE_TOKEN_METADATA = 'x-passway-service-token';
/** How far a token's time may be from the verifier's clock (replay window and clock skew). */
export const SERVICE_TOKEN_MAX_AGE_MS = 60_000;
const VERSION = 'v1';
const TOKEN_PATTERN = /^v1\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

export type ServiceTokenVerdict = 'valid' | 'missing' | 'malformed' | 'expired' | 'bad_signature';

/**
 * Signed per-call service tokens: `v1.<issued at, ms>.<HMAC-SHA256>` over the method path, the time
 * and the SHA-256 of the command bytes, under SERVICE_TOKEN_KEY. A token is good for one method and
 * one command for a minute, so one seen on the wire cannot carry another tenant's command or call
 * another method. Verification also accepts SERVICE_TOKEN_PREVIOUS_KEY, so the key can be rotated.
 */
export class ServiceTokens {
  /** KeyObjects made once: an HMAC from a raw Buffer imports the key again on every call. */
  private readonly keys: KeyObject[];

  constructor(key: string, previousKey?: string) {
    this.keys = [key, previousKey].filter((k): k is string => !!k).map((k) => createSecretKey(Buffer.from(k, 'utf8')));
  }

  sign(path: string, payload: string, now = Date.now()): string {
    return `${VERSION}.${now}.${mac(this.keys[0], path, now, payload).toString('base64url')}`;
  }

  verify(token: unknown, path: string, payload: string, now = Date.now()): ServiceTokenVerdict {
    if (token === undefined || token === null || token === '') return 'missing';
    const match = typeof token === 'string' ? TOKEN_PATTERN.exec(token) : null;
    if (!match) return 'malformed';
    const issuedAt = Number(match[1]);
    if (Math.abs(now - issuedAt) > SERVICE_TOKEN_MAX_AGE_MS) return 'expired';
    const given = Buffer.from(match[2], 'base64url');
    const valid = this.keys.some((key) => timingSafeEqual(mac(key, path, issuedAt, payload), given));
    return valid ? 'valid' : 'bad_signature';
  }
}

function mac(key: KeyObject, path: string, issuedAt: number, payload: string): Buffer {
  const digest = createHash('sha256').update(payload).digest('base64url');
  return createHmac('sha256', key).update(`${VERSION}\n${path}\n${issuedAt}\n${digest}`).digest();
}

/** The gRPC path of a Passway method, as the server sees it (`call.getPath()`). */
export function grpcMethodPath(service: string, method: string): string {
  return `/passway.v1.${service}/${method}`;
}

export function serviceTokensOf(config: { SERVICE_TOKEN_KEY: string; SERVICE_TOKEN_PREVIOUS_KEY?: string }): ServiceTokens {
  return new ServiceTokens(config.SERVICE_TOKEN_KEY, config.SERVICE_TOKEN_PREVIOUS_KEY);
}
