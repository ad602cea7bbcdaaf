import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { DEVELOPMENT_IDENTITY_ORG } from '../libs/common/src/wallet/wallet-identity';

/**
 * A stand-in for Apple's chain (root → "WWDR" intermediate → Pass Type ID certificate), a TLS
 * server certificate for local stand-ins, and a Google service-account key. `npm start` makes
 * one when nothing is configured (a development identity); tests make one per run.
 */
export interface WalletTestIdentity {
  passTypeId: string;
  teamId: string;
  rootCert: string;
  wwdrCert: string;
  signerCert: string;
  signerKey: string;
  signerKeyPassphrase: string;
  /** A TLS certificate for localhost / 127.0.0.1 issued by the root (APNs and Google stand-ins). */
  serverCert: string;
  serverKey: string;
  google: { issuerId: string; clientEmail: string; privateKey: string; publicKey: string };
}

const UID_OID = '0.9.2342.19200300.100.1.1';
/** node-apn refuses a client certificate without the APNs environment extension; custom addresses are "sandbox". */
const APNS_SANDBOX_OID = '1.2.840.113635.100.6.3.1';
const APNS_PRODUCTION_OID = '1.2.840.113635.100.6.3.2';

function rsaKeys(): { privatePem: string; publicPem: string; forgeKey: forge.pki.rsa.PrivateKey; forgePublic: forge.pki.rsa.PublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privatePem, publicPem, forgeKey: forge.pki.privateKeyFromPem(privatePem), forgePublic: forge.pki.publicKeyFromPem(publicPem) };
}

function certificate(options: {
  subject: forge.pki.CertificateField[];
  issuer?: forge.pki.Certificate;
  publicKey: forge.pki.rsa.PublicKey;
  signingKey: forge.pki.rsa.PrivateKey;
  extensions: object[];
  years?: number;
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKey;
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + (options.years ?? 2) * 365 * 24 * 3600_000);
  cert.setSubject(options.subject);
  cert.setIssuer(options.issuer ? options.issuer.subject.attributes : options.subject);
  cert.setExtensions(options.extensions);
  cert.sign(options.signingKey, forge.md.sha256.create());
  return cert;
}

export function makeWalletTestIdentity(
  options: { passTypeId?: string; teamId?: string; development?: boolean; apnsEnvironment?: 'sandbox' | 'production' } = {},
): WalletTestIdentity {
  const passTypeId = options.passTypeId ?? 'pass.dev.passway.test';
  const teamId = options.teamId ?? 'PASSWAY123';
  const org = options.development ? DEVELOPMENT_IDENTITY_ORG : 'Passway Test';
  const rootKeys = rsaKeys();
  const root = certificate({
    subject: [
      { name: 'commonName', value: `${org} Root CA` },
      { name: 'organizationName', value: org },
    ],
    publicKey: rootKeys.forgePublic,
    signingKey: rootKeys.forgeKey,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
    years: 10,
  });
  const wwdrKeys = rsaKeys();
  const wwdr = certificate({
    subject: [
      { name: 'commonName', value: `${org} WWDR (G4 stand-in)` },
      { name: 'organizationName', value: org },
    ],
    issuer: root,
    publicKey: wwdrKeys.forgePublic,
    signingKey: rootKeys.forgeKey,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
    years: 5,
  });
  const signerKeys = rsaKeys();
  const apnsOid = options.apnsEnvironment === 'production' ? APNS_PRODUCTION_OID : APNS_SANDBOX_OID;
  const signer = certificate({
    subject: [
      { type: UID_OID, value: passTypeId },
      { name: 'commonName', value: `Pass Type ID: ${passTypeId}` },
      { name: 'organizationalUnitName', value: teamId },
      { name: 'organizationName', value: org },
    ],
    issuer: wwdr,
    publicKey: signerKeys.forgePublic,
    signingKey: wwdrKeys.forgeKey,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', clientAuth: true },
      { id: apnsOid, value: forge.asn1.toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, '')).getBytes() },
    ],
  });
  const serverKeys = rsaKeys();
  const server = certificate({
    subject: [{ name: 'commonName', value: 'localhost' }],
    issuer: root,
    publicKey: serverKeys.forgePublic,
    signingKey: rootKeys.forgeKey,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const signerKeyPassphrase = randomBytes(12).toString('hex');
  const googleKeys = rsaKeys();
  return {
    passTypeId,
    teamId,
    rootCert: forge.pki.certificateToPem(root),
    wwdrCert: forge.pki.certificateToPem(wwdr),
    signerCert: forge.pki.certificateToPem(signer),
    signerKey: forge.pki.encryptRsaPrivateKey(signerKeys.forgeKey, signerKeyPassphrase, { algorithm: 'aes256' }),
    signerKeyPassphrase,
    serverCert: forge.pki.certificateToPem(server),
    serverKey: serverKeys.privatePem,
    google: {
      issuerId: '3388000000012345678',
      clientEmail: 'passway-wallet@passway-test.iam.gserviceaccount.com',
      privateKey: googleKeys.privatePem,
      publicKey: googleKeys.publicPem,
    },
  };
}

/** The settings (environment) that make the apps use this identity. */
export function walletEnv(identity: WalletTestIdentity): Record<string, string> {
  return {
    APPLE_PASS_TYPE_ID: identity.passTypeId,
    APPLE_TEAM_ID: identity.teamId,
    APPLE_SIGNER_CERT: identity.signerCert,
    APPLE_SIGNER_KEY: identity.signerKey,
    APPLE_SIGNER_KEY_PASSPHRASE: identity.signerKeyPassphrase,
    APPLE_WWDR_CERT: identity.wwdrCert,
    GOOGLE_WALLET_ISSUER_ID: identity.google.issuerId,
    GOOGLE_WALLET_SERVICE_ACCOUNT: JSON.stringify({
      type: 'service_account',
      client_email: identity.google.clientEmail,
      private_key: identity.google.privateKey,
    }),
  };
}
