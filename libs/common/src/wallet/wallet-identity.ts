import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { ConfigError, ConfigOf } from '../config/config';
import { walletSettings } from './wallet-settings';

export type WalletConfig = ConfigOf<typeof walletSettings> & { NODE_ENV: string };

/** The organisation name `npm start` puts in the development identity it makes; production refuses it. */
export const DEVELOPMENT_IDENTITY_ORG = 'Passway Development Identity';

export interface AppleWalletIdentity {
  passTypeId: string;
  teamId: string;
  signerCert: string;
  signerKey: string;
  signerKeyPassphrase: string | undefined;
  wwdr: string;
  /** Made by `npm start`: every endpoint works, but no iPhone installs what it signs. */
  development: boolean;
  /** Token auth for APNs, when configured; otherwise the certificate is the TLS client certificate. */
  apnsToken: { keyId: string; key: string } | undefined;
}

export interface GoogleWalletIdentity {
  issuerId: string;
  clientEmail: string;
  privateKey: string;
  apiUrl: string;
  tokenUrl: string;
}

const APPLE_SETTINGS = ['APPLE_PASS_TYPE_ID', 'APPLE_TEAM_ID', 'APPLE_SIGNER_CERT', 'APPLE_SIGNER_KEY', 'APPLE_WWDR_CERT'] as const;

/**
 * The Apple pass-type identity, checked at start-up: null when nothing is configured (Apple
 * Wallet is then not offered), otherwise certificate, key and WWDR that load, belong together
 * and name the configured pass type and team. Any problem is one clear ConfigError line.
 */
export function loadAppleIdentity(config: WalletConfig): AppleWalletIdentity | null {
  const given = APPLE_SETTINGS.filter((name) => config[name] !== undefined);
  if (given.length === 0) return null;
  const missing = APPLE_SETTINGS.filter((name) => config[name] === undefined);
  if (missing.length > 0) throw new ConfigError([`Apple Wallet is half configured: ${missing.join(', ')} missing`]);
  const passTypeId = config.APPLE_PASS_TYPE_ID!;
  const teamId = config.APPLE_TEAM_ID!;
  const signer = loadCertificate('APPLE_SIGNER_CERT', config.APPLE_SIGNER_CERT!);
  loadCertificate('APPLE_WWDR_CERT', config.APPLE_WWDR_CERT!);
  const key = loadPrivateKey(config.APPLE_SIGNER_KEY!, config.APPLE_SIGNER_KEY_PASSPHRASE);
  if (!signer.checkPrivateKey(key)) throw new ConfigError(['APPLE_SIGNER_KEY is not the key of APPLE_SIGNER_CERT']);
  if (new Date(signer.validTo).getTime() < Date.now()) {
    throw new ConfigError([`APPLE_SIGNER_CERT expired on ${new Date(signer.validTo).toISOString()}`]);
  }
  const subject = parseSubject(signer.subject);
  if (subject.UID !== passTypeId) {
    throw new ConfigError([`APPLE_SIGNER_CERT is for pass type "${subject.UID ?? '?'}", not APPLE_PASS_TYPE_ID "${passTypeId}"`]);
  }
  if (subject.OU !== teamId) {
    throw new ConfigError([`APPLE_SIGNER_CERT is for team "${subject.OU ?? '?'}", not APPLE_TEAM_ID "${teamId}"`]);
  }
  const development = subject.O === DEVELOPMENT_IDENTITY_ORG;
  if (development && config.NODE_ENV === 'production') {
    throw new ConfigError([
      'APPLE_SIGNER_CERT is the development identity npm start makes; production needs a real Pass Type ID certificate',
    ]);
  }
  let apnsToken: AppleWalletIdentity['apnsToken'];
  if (config.APNS_KEY_ID || config.APNS_KEY) {
    if (!config.APNS_KEY_ID || !config.APNS_KEY) throw new ConfigError(['APNS_KEY_ID and APNS_KEY go together']);
    try {
      createPrivateKey(config.APNS_KEY);
    } catch (error) {
      throw new ConfigError([`APNS_KEY does not load: ${(error as Error).message}`]);
    }
    apnsToken = { keyId: config.APNS_KEY_ID, key: config.APNS_KEY };
  }
  return {
    passTypeId,
    teamId,
    signerCert: config.APPLE_SIGNER_CERT!,
    signerKey: config.APPLE_SIGNER_KEY!,
    signerKeyPassphrase: config.APPLE_SIGNER_KEY_PASSPHRASE,
    wwdr: config.APPLE_WWDR_CERT!,
    development,
    apnsToken,
  };
}

/** The Google Wallet issuer and service account: null when not configured. */
export function loadGoogleIdentity(config: WalletConfig): GoogleWalletIdentity | null {
  const issuerId = config.GOOGLE_WALLET_ISSUER_ID;
  const account = config.GOOGLE_WALLET_SERVICE_ACCOUNT;
  if (!issuerId && !account) return null;
  if (!issuerId || !account) throw new ConfigError(['GOOGLE_WALLET_ISSUER_ID and GOOGLE_WALLET_SERVICE_ACCOUNT go together']);
  if (!/^\d+$/.test(issuerId)) throw new ConfigError(['GOOGLE_WALLET_ISSUER_ID must be the numeric issuer id']);
  let parsed: { client_email?: unknown; private_key?: unknown };
  try {
    parsed = JSON.parse(account) as { client_email?: unknown; private_key?: unknown };
  } catch {
    throw new ConfigError(['GOOGLE_WALLET_SERVICE_ACCOUNT is not a service-account JSON key']);
  }
  if (typeof parsed.client_email !== 'string' || typeof parsed.private_key !== 'string') {
    throw new ConfigError(['GOOGLE_WALLET_SERVICE_ACCOUNT has no client_email or private_key']);
  }
  try {
    createPrivateKey(parsed.private_key);
  } catch (error) {
    throw new ConfigError([`GOOGLE_WALLET_SERVICE_ACCOUNT private_key does not load: ${(error as Error).message}`]);
  }
  return {
    issuerId,
    clientEmail: parsed.client_email,
    privateKey: parsed.private_key,
    apiUrl: config.GOOGLE_WALLET_API_URL,
    tokenUrl: config.GOOGLE_OAUTH_TOKEN_URL,
  };
}

function loadCertificate(name: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new ConfigError([`${name} does not load as a PEM certificate: ${(error as Error).message}`]);
  }
}

function loadPrivateKey(pem: string, passphrase: string | undefined): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, passphrase: passphrase ?? '' });
  } catch (error) {
    throw new ConfigError([`APPLE_SIGNER_KEY does not load (wrong APPLE_SIGNER_KEY_PASSPHRASE?): ${(error as Error).message}`]);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new ConfigError(['APPLE_SIGNER_KEY must be an RSA key']);
  return key;
}

/** `UID=pass.x\nCN=…\nOU=TEAM` (Node's X509Certificate.subject) as a map. */
function parseSubject(subject: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of subject.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) entries[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return entries;
}
