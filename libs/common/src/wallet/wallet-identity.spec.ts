import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import { appEntry } from '../../../../tools/stack';
import { makeWalletTestIdentity, walletEnv } from '../../../../tools/wallet-identity';
import { ConfigError, loadConfig } from '../config/config';
import { loadAppleIdentity, loadGoogleIdentity } from './wallet-identity';
import { walletSettings } from './wallet-settings';

const test = makeWalletTestIdentity();
const dev = makeWalletTestIdentity({ development: true });

function load(env: Record<string, string | undefined>, nodeEnv = 'test') {
  return loadAppleIdentity({ ...loadConfig(walletSettings, env as NodeJS.ProcessEnv), NODE_ENV: nodeEnv });
}

function problem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.problems.length, 1, 'one clear line');
    return error.problems[0];
  }
  assert.fail('expected a ConfigError');
}

describe('wallet identities', () => {
  it('is off when nothing is configured, and complete when everything is', () => {
    assert.equal(load({}), null);
    const apple = load(walletEnv(test))!;
    assert.equal(apple.passTypeId, test.passTypeId);
    assert.equal(apple.development, false);
    const google = loadGoogleIdentity({ ...loadConfig(walletSettings, walletEnv(test)), NODE_ENV: 'test' })!;
    assert.equal(google.clientEmail, test.google.clientEmail);
  });

  it('stops on a certificate, key or passphrase that does not load, or that names another pass type', () => {
    const env = walletEnv(test);
    assert.match(
      problem(() => load({ ...env, APPLE_SIGNER_CERT: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----' })),
      /^APPLE_SIGNER_CERT does not load/,
    );
    assert.match(
      problem(() => load({ ...env, APPLE_WWDR_CERT: 'garbage' })),
      /^APPLE_WWDR_CERT does not load/,
    );
    assert.match(
      problem(() => load({ ...env, APPLE_SIGNER_KEY_PASSPHRASE: 'wrong' })),
      /^APPLE_SIGNER_KEY does not load/,
    );
    assert.match(
      problem(() => load({ ...env, APPLE_PASS_TYPE_ID: 'pass.other' })),
      /is for pass type "pass.dev.passway.test"/,
    );
    assert.match(
      problem(() => load({ ...env, APPLE_TEAM_ID: 'OTHER' })),
      /is for team "PASSWAY123"/,
    );
    assert.match(
      problem(() => load({ ...env, APPLE_SIGNER_KEY: dev.signerKey, APPLE_SIGNER_KEY_PASSPHRASE: dev.signerKeyPassphrase })),
      /is not the key of/,
    );
    assert.match(
      problem(() => load({ APPLE_PASS_TYPE_ID: 'pass.x' })),
      /half configured: APPLE_TEAM_ID, APPLE_SIGNER_CERT/,
    );
  });

  it('accepts the development identity except in production', () => {
    assert.equal(load(walletEnv(dev))!.development, true);
    assert.match(
      problem(() => load(walletEnv(dev), 'production')),
      /development identity/,
    );
  });

  it('reads each secret from a mounted file (NAME_FILE)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wallet-secrets-'));
    try {
      const env: Record<string, string> = { ...walletEnv(test) };
      for (const name of ['APPLE_SIGNER_CERT', 'APPLE_SIGNER_KEY', 'APPLE_WWDR_CERT', 'GOOGLE_WALLET_SERVICE_ACCOUNT']) {
        writeFileSync(join(dir, name), env[name]);
        env[`${name}_FILE`] = join(dir, name);
        delete env[name];
      }
      assert.equal(load(env)!.passTypeId, test.passTypeId);
      assert.match(
        problem(() => load({ ...env, APPLE_WWDR_CERT_FILE: join(dir, 'missing.pem') })),
        /^APPLE_WWDR_CERT file .*missing\.pem cannot be read \(ENOENT\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a service whose certificate does not load exits 78 with one line', () => {
    const main = appEntry('passes');
    const result = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, ...walletEnv(test), APPLE_SIGNER_CERT: 'not a certificate' },
      encoding: 'utf8',
      timeout: 240_000,
    });
    assert.equal(result.status, 78, result.stderr);
    const lines = result.stderr
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('  - '));
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /APPLE_SIGNER_CERT does not load as a PEM certificate/);
  });
});
