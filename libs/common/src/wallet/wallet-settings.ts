import { readFileSync } from 'node:fs';
import { SettingProblem, SettingReader, setting } from '../config/config';

/**
 * A secret or certificate given either inline (`NAME`) or as a mounted file (`NAME_FILE`, e.g. a
 * Kubernetes Secret volume). Inline wins; a file that cannot be read is a start-up error.
 */
export function secretText(): SettingReader<string | undefined> {
  return (raw, name, source) => {
    // A PEM squeezed onto one line (`\n` written out, as some secret stores do) is unfolded.
    if (raw !== undefined && raw.trim() !== '') return raw.trim().startsWith('-----BEGIN') ? raw.replace(/\\n/g, '\n') : raw;
    const file = source[`${name}_FILE`];
    if (file === undefined || file.trim() === '') return undefined;
    try {
      return readFileSync(file.trim(), 'utf8');
    } catch (error) {
      throw new SettingProblem(`file ${source[`${name}_FILE`]} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
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
  APPLE_SIGNER_CERT: secretText(),
  /** Its RSA private key (PEM, may be encrypted with APPLE_SIGNER_KEY_PASSPHRASE). */
  APPLE_SIGNER_KEY: secretText(),
  APPLE_SIGNER_KEY_PASSPHRASE: secretText(),
  /** Apple's WWDR intermediate, generation G4 (PEM). */
  APPLE_WWDR_CERT: secretText(),
  /** Token auth for APNs instead of the certificate: the key id and the `.p8` key. */
  APNS_KEY_ID: setting.optionalString(),
  APNS_KEY: secretText(),
  /** Where APNs is reached; tests point it at a local stand-in. */
  APNS_ORIGIN: setting.url('https://api.push.apple.com:443', ['https']),
  /** Extra root (PEM) the APNs connection trusts: only for a stand-in with its own CA. */
  APNS_CA: secretText(),
  /** `apns` pushes; `log` writes each push to the log (the default with a development identity). */
  APNS_PROVIDER: setting.optionalString(),
  GOOGLE_WALLET_ISSUER_ID: setting.optionalString(),
  /** The service account's JSON key, as Google Cloud downloads it. */
  GOOGLE_WALLET_SERVICE_ACCOUNT: secretText(),
  GOOGLE_WALLET_API_URL: setting.url('https://walletobjects.googleapis.com/walletobjects/v1', ['http', 'https']),
  GOOGLE_OAUTH_TOKEN_URL: setting.url('https://oauth2.googleapis.com/token', ['http', 'https']),
};
