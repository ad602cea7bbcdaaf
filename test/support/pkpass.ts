import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';

/** The test identity `npm test` made (tools/wallet-identity): its root stands in for Apple's. */
export interface WalletTestIdentityEnv {
  passTypeId: string;
  teamId: string;
  rootCert: string;
  wwdrCert: string;
  signerCert: string;
  google: { issuerId: string; clientEmail: string; privateKey: string; publicKey: string };
}

export function walletTestIdentity(): WalletTestIdentityEnv {
  const raw = process.env.PASSWAY_WALLET_TEST_IDENTITY;
  if (!raw) throw new Error('PASSWAY_WALLET_TEST_IDENTITY is not set: run the e2e tests through "npm test"');
  return JSON.parse(raw);
}

/** Every file of a .pkpass (a zip), by name. */
export function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('not a zip'));
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Problems with the manifest: a file whose SHA-1 differs, one missing from it, one listed but absent. */
export function manifestProblems(files: Map<string, Buffer>): string[] {
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Record<string, string>;
  const problems: string[] = [];
  for (const [name, content] of files) {
    if (name === 'manifest.json' || name === 'signature') continue;
    const hash = createHash('sha1').update(content).digest('hex');
    if (!(name in manifest)) problems.push(`${name} is not in the manifest`);
    else if (manifest[name] !== hash) problems.push(`${name} hash differs`);
  }
  for (const name of Object.keys(manifest)) if (!files.has(name)) problems.push(`${name} is listed but absent`);
  return problems;
}

/** `openssl smime -verify` of the detached signature over manifest.json against the root: its exit code (0 = valid). */
export function verifySignature(files: Map<string, Buffer>, rootPem: string, manifest = files.get('manifest.json')!): number {
  const dir = mkdtempSync(join(tmpdir(), 'pkpass-'));
  try {
    writeFileSync(join(dir, 'signature'), files.get('signature')!);
    writeFileSync(join(dir, 'manifest.json'), manifest);
    writeFileSync(join(dir, 'root.pem'), rootPem);
    const result = spawnSync(
      'openssl',
      [
        'smime',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        join(dir, 'signature'),
        '-content',
        join(dir, 'manifest.json'),
        '-CAfile',
        join(dir, 'root.pem'),
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8' },
    );
    return result.status ?? -1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** UID (pass type id) and OU (team id) of a certificate. */
export function certificateIds(pem: string): { uid: string | undefined; ou: string | undefined } {
  const subject = new X509Certificate(pem).subject;
  return { uid: /(?:^|\n)UID=([^\n]+)/.exec(subject)?.[1], ou: /(?:^|\n)OU=([^\n]+)/.exec(subject)?.[1] };
}
