import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SettingReader, setting } from '../config/config';

/** A PEM squeezed onto one line (`\n` written out, as some secret stores do) is unfolded; blank is absent. */
function unfolded(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return raw.trim().startsWith('-----BEGIN') ? raw.replace(/\\n/g, '\n') : raw;
}

/**
 * A secret or certificate given either inline (`NAME`) or as a mounted file (`NAME_FILE`, e.g. a
 * Kubernetes Secret volume). Inline wins; a file that cannot be read is a start-up error that names
 * the file and the error code, never its content. The file is read here, once, because zod runs no
 * schema for a variable that is absent.
 */
export function secretText(name: string): SettingReader<string | undefined> {
  return (source) => {
    const inline = z.preprocess(unfolded, z.string().optional());
    const file = source[`${name}_FILE`]?.trim();
    if (unfolded(source[name]) !== undefined || !file) return inline;
    try {
      return inline.default(readFileSync(file, 'utf8'));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      return z.never({ error: `file ${file} cannot be read (${reason})` });
    }
  };
}

/**
 * Apple Wallet and Google Wallet, read by passes (signing), notifications (pushes and Google
 * sync) and the gateway (which wallets are offered). Every one is optional: a wallet with no
 * settings is simply not offered. docs/wallet.md says where each comes from.
 */
export const walletSettings = {
  APPLE_PASS_TYPE_ID: setting.optionalString(),
  APPLE_TEAM_ID: setting.optionalString(),
  /** The Pass Type ID certificate (PEM); it signs passes and is the APNs client certificate. */
  APPLE_SIGNER_CERT: secretText('APPLE_SIGNER_CERT'),
  /** Its RSA private key (PEM, may be encrypted with APPLE_SIGNER_KEY_PASSPHRASE). */
  APPLE_SIGNER_KEY: secretText('APPLE_SIGNER_KEY'),
  APPLE_SIGNER_KEY_PASSPHRASE: secretText('APPLE_SIGNER_KEY_PASSPHRASE'),
  /** Apple's WWDR intermediate, generation G4 (PEM). */
  APPLE_WWDR_CERT: secretText('APPLE_WWDR_CERT'),
  /** Token auth for APNs instead of the certificate: the key id and the `.p8` key. */
  APNS_KEY_ID: setting.optionalString(),
  APNS_KEY: secretText('APNS_KEY'),
  /** Where APNs is reached; tests point it at a local stand-in. */
  APNS_ORIGIN: setting.url('https://api.push.apple.com:443', ['https']),
  /** Extra root (PEM) the APNs connection trusts: only for a stand-in with its own CA. */
  APNS_CA: secretText('APNS_CA'),
  /** `apns` pushes; `log` writes each push to the log (the default with a development identity). */
  APNS_PROVIDER: setting.optionalString(),
  GOOGLE_WALLET_ISSUER_ID: setting.optionalString(),
  /** The service account's JSON key, as Google Cloud downloads it. */
  GOOGLE_WALLET_SERVICE_ACCOUNT: secretText('GOOGLE_WALLET_SERVICE_ACCOUNT'),
  GOOGLE_WALLET_API_URL: setting.url('https://walletobjects.googleapis.com/walletobjects/v1', ['http', 'https']),
  GOOGLE_OAUTH_TOKEN_URL: setting.url('https://oauth2.googleapis.com/token', ['http', 'https']),
};
