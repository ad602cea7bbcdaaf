import { constants, createPrivateKey, KeyObject, privateEncrypt } from 'node:crypto';
import forge from 'node-forge';

/** DER prefixes of PKCS#1 v1.5 DigestInfo, by the digests PKCS#7 signers use. */
const DIGEST_INFO_PREFIX: Record<string, string> = {
  sha1: '3021300906052b0e03021a05000414',
  sha256: '3031300d060960864801650304020105000420',
};

const accelerated = new Map<string, forge.pki.rsa.PrivateKey>();
let installed = false;

/**
 * passkit-generator signs the manifest with node-forge, whose RSA is pure JavaScript (~25 ms per
 * pass on an idle core, far more under load). For the one key registered here, the forge key it
 * parses signs through OpenSSL instead: the same RSASSA-PKCS1-v1_5 bytes, from `privateEncrypt`
 * over the DigestInfo. Every other key, and everything else forge does, is untouched.
 */
export function signWithOpenSsl(pem: string): void {
  const native = createPrivateKey(pem);
  const key = forge.pki.privateKeyFromPem(pem);
  key.sign = (md: forge.md.MessageDigest) => nativeSign(native, md);
  accelerated.set(pem, key);
  if (installed) return;
  installed = true;
  const original = forge.pki.decryptRsaPrivateKey;
  forge.pki.decryptRsaPrivateKey = (pemText: string, password?: string) =>
    accelerated.get(pemText) ?? original(pemText, password as string);
}

function nativeSign(key: KeyObject, md: forge.md.MessageDigest): string {
  const prefix = DIGEST_INFO_PREFIX[md.algorithm];
  if (!prefix) throw new Error(`unsupported digest for pass signing: ${md.algorithm}`);
  const digestInfo = Buffer.concat([Buffer.from(prefix, 'hex'), Buffer.from(md.digest().getBytes(), 'binary')]);
  return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
}
